#pragma once
// Finds the real runc, never this binary itself (even when installed as `runc` first in PATH).
#include <array>
#include <string>
#include <string_view>

#include "hardened/error.hpp"
#include "hardened/host_config.hpp"

namespace hardened {

// The search without allocating, so the early pass-through path (fast_path.hpp) runs on it too: the
// path found is written to `out`, NUL-terminated.
enum class RuncSearch { found, configured_not_executable, configured_is_self, not_found };
using RuncPath = std::array<char, 4096>;
RuncSearch search_runc(std::string_view configured, const char* path_env, RuncPath& out);

// `configured` from the host config wins; else the first `runc` on `path_env` that is not us; else
// /usr/sbin/runc, /usr/bin/runc, /usr/local/sbin/runc. The error says what to change.
Result<std::string> locate_runc(const HostConfig& config, const char* path_env);

// The runtime container `id`'s creation record (in `state_dir`) names: it must still be there.
Result<std::string> locate_recorded_runtime(const std::string& runtime, const std::string& state_dir, const std::string& id);

}  // namespace hardened
