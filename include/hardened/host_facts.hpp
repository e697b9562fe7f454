#pragma once
// Looks at the host for what the pure rules need to know about a spec (see HostFacts).
#include "hardened/harden.hpp"

namespace hardened {

// Resolves every bind mount source of `spec` with realpath(3); sources that do not resolve are left
// out (runc will fail on them itself).
HostFacts observe_host(const json& spec);

}  // namespace hardened
