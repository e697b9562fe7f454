#pragma once
// Rewrites of runc's own flags where they define what a process may do, for the calls that carry the
// request in argv instead of a file: `exec` without --process and `update` without --resources.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hardened/harden.hpp"
#include "hardened/invocation.hpp"

namespace hardened {

struct RewrittenArgv {
  std::vector<std::string> argv;
  Changes changes;
  Findings denials;  // exec only: a --user or --additional-gids outside the profile's range
};

// exec: --user 0[:0] -> the profile's user, and any other uid/gid judged as create judges
// process.user (identity.hpp): outside the profile's range it is refused or remapped, an
// --additional-gids outside it removed or refused; --cap outside the allow-list removed, and
// --no-new-privs forced on when the profile asks for it (--no-new-privs=false included).
// `process_path`, when given, stands instead of --process's value (the hardened copy runc reads).
Result<RewrittenArgv> rewrite_exec_flags(const Invocation& invocation, const Profile& profile, const HostIdentities& host = {},
                                         const std::optional<std::string>& process_path = std::nullopt);

// update: --memory, --memory-swap, --pids-limit, --cpu-period, --cpu-quota and runc 1.2's --cpu-burst
// clamped exactly as a
// --resources file would be (clamp_update_resources), written back as --flag=value. A period or quota
// alone is written with the other one, `current`'s (the container's own), met with the ceiling.
Result<RewrittenArgv> rewrite_update_flags(const Invocation& invocation, const Profile& profile, const CurrentCpu& current = {});

// runc's (docker/go-units RAMInBytes) sizes: "1024", "512m", "1.5GiB", "-1" for unlimited.
Result<std::int64_t> parse_ram_bytes(const std::string& text, const std::string& flag);

}  // namespace hardened
