#pragma once
// Looks at the host for what the pure rules need to know about a spec (see HostFacts).
#include "hardened/harden.hpp"

namespace hardened {

// Every bind mount source of `spec` resolved as realpath(3) would (sources that do not resolve are
// left out: runc fails on them itself); the namespace paths that are the host's own (same inode as
// /proc/self/ns/<type>); the running kernel's version only `with_kernel` (a Docker-format seccomp
// profile needs it).
HostFacts observe_host(const json& spec, bool with_kernel = true);

}  // namespace hardened
