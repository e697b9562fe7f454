#pragma once
// What a later call on a container (delete, kill, state, exec, update, ...) takes from its creation
// record: the runtime it was created with, the runtime's root, and, for the calls judged by a profile
// (exec, update), the host config. podman runs the runtime with no arguments of ours and no
// environment, and conmon's cleanup (`delete --force`) remembers no --runtime-flag: without this, a
// container created behind crun through a host config given per call was deleted by runc, which did
// not know it, and crun's state was left behind.
#include <optional>
#include <string>
#include <vector>

#include "hardened/creation_record.hpp"
#include "hardened/invocation.hpp"

namespace hardened {

// What the call itself names.
struct CallNames {
  bool config = false;  // --config or $HARDENED_RUNTIME_CONFIG: that host config is used
  bool root = false;    // --root: that root is used
  bool judged = false;  // exec or update: a profile decides, so the host config matters
};

struct Continuation {
  std::optional<std::string> runtime;  // exec this runtime, not the host config's
  std::optional<std::string> root;     // give it --root ROOT
  std::optional<std::string> config;   // read this host config instead of the default one
};

Continuation continuation_of(const CreationRecord& record, const CallNames& call, const std::string& config_source);

// argv with `--root ROOT` after argv[0] (a global flag: runc and crun read it before the subcommand).
std::vector<std::string> with_root(std::vector<std::string> argv, const std::string& root);
// The same for a parsed call: its flags, positionals and subcommand move two words on.
void add_root(Invocation& inv, const std::string& root);

}  // namespace hardened
