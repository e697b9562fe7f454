#pragma once
// The runtime flags of create, run and exec that would loosen what the profile sets and that have no
// tighter form to rewrite them to: each is a denial (refused in enforce mode, "would refuse" in audit).
#include "hardened/harden.hpp"
#include "hardened/invocation.hpp"

namespace hardened {

// create/run: crun's --config/-f naming a file other than the bundle's config.json (the one hardened),
// crun's --cgroup-manager=disabled (no cgroup, so no limit). exec: --apparmor and --process-label (the
// process's LSM confinement, which the profile does not judge; without them the process keeps the
// container's), and a --cgroup with a ".." component (out of the container's cgroup and its limits).
Findings refuse_runtime_flags(const Invocation& invocation);

}  // namespace hardened
