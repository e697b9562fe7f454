#pragma once
// No race between the check and the mount: each bind source's checked object (its O_PATH descriptor,
// mount_facts.hpp) is bind-mounted on <state_dir>/stages/<id>/<n>, a path only root can change, and
// the spec's source becomes that path; a createRuntime hook (runc runs it after it made the
// container's mounts, before pivot_root) unmounts the stages on the host, and `delete` removes what a
// failed create left behind.
#include <string>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"
#include "hardened/mount_facts.hpp"

namespace hardened {

inline constexpr const char* kUnstageTool = "unstage";

std::string stage_dir(const std::string& state_dir, const std::string& container_id);

// Stages every bind source of `spec` that is in `open` and rewrites it; adds the unstage hook
// (`self` is this program's path). On failure, what was staged is undone and nothing else changed.
// Relative sources are the bundle's (`bundle_dir`).
Result<void> stage_sources(json& spec, const OpenSources& open, const std::string& bundle_dir, const std::string& state_dir,
                           const std::string& container_id, const std::string& self);

// Lazily unmounts every stage of `dir` and removes them and it (never recursing into a mount).
void unstage(const std::string& dir);

}  // namespace hardened
