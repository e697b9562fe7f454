#pragma once
// Reads the host's accounts for the identity rules (identity.hpp): /etc/login.defs, /etc/passwd and
// /etc/group under `etc`. A missing file is an empty one (a minimal host); one that cannot be read
// fails, so the policy is never judged against half the host.
#include <string>

#include "hardened/error.hpp"
#include "hardened/identity.hpp"

namespace hardened {

Result<HostIdentities> read_host_identities(const std::string& etc = "/etc");

}  // namespace hardened
