#pragma once
// The policy transform: a pure function (spec, profile) -> (spec, changes), no I/O.
// Rules run in this fixed order (refusals first, so a refused spec is never half-hardened):
//   deny, capabilities, no_new_privileges, user, rootfs, resources, seccomp, paths
// Each rule is a meet: the result is at least as strict as both the request and the profile, and
// applying the transform to its own output changes nothing.
#include <map>
#include <string>
#include <vector>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"
#include "hardened/profile.hpp"

namespace hardened {

struct Change {
  std::string rule;    // "capabilities", "user", ...
  std::string detail;  // what changed, for the audit log
};
using Changes = std::vector<Change>;

// What the edge observed on the host for this spec, so the pure rules can use it: each bind mount
// source as written -> the path it resolves to (symlinks followed), where that differs.
struct HostFacts {
  std::map<std::string, std::string> resolved_sources;
};

struct Hardened {
  json document;
  Changes changes;
};

// A bundle's config.json, for create and run. Errors are refusals or malformed specs.
Result<Hardened> harden_spec(json spec, const Profile& profile, const HostFacts& facts = {});

// A process object (runc exec --process FILE): capabilities, noNewPrivileges and user.
Result<Hardened> harden_process(json process, const Profile& profile);

// The LinuxResources of `runc update`, clamped to the profile's ceilings. 0 means "unchanged" to
// runc, so it stays 0; -1 ("unlimited") and anything above a ceiling become the ceiling.
Result<Hardened> clamp_update_resources(json resources, const Profile& profile);

}  // namespace hardened
