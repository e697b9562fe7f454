#pragma once
// Finds the real runc, never this binary itself (even when installed as `runc` first in PATH).
#include <string>

#include "hardened/error.hpp"
#include "hardened/host_config.hpp"

namespace hardened {

// `configured` from the host config wins; else the first `runc` on `path_env` that is not us; else
// /usr/sbin/runc, /usr/bin/runc, /usr/local/sbin/runc.
Result<std::string> locate_runc(const HostConfig& config, const char* path_env);

}  // namespace hardened
