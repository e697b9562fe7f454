#pragma once
// Looks at the host for what the pure rules need to know about a spec (see HostFacts).
#include "hardened/harden.hpp"

namespace hardened {

// The running kernel's version; every bind mount source of `spec` resolved with realpath(3) (sources
// that do not resolve are left out: runc fails on them itself); the namespace paths that are the
// host's own (same inode as /proc/self/ns/<type>).
HostFacts observe_host(const json& spec);

}  // namespace hardened
