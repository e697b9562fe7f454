#pragma once
// The pass-through path without the JSON library or the C++ runtime's start-up: main.cpp calls
// try_fast_passthrough from a constructor that runs before the other static initialisers, and it
// execs runc at once when the call is a pass-through and the host config is plain enough to read
// with a small scanner. Anything else (a rewritten call, a tool command, an unusual or broken host
// config, runc not found) returns, and main's normal path handles it, errors included, so both paths
// always agree on which runc runs with which argv (a unit test compares them).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hardened {

// The host config's "runtime": nullopt when the text is not a JSON object this scanner fully
// understands (then the full parser decides); an empty string when there is no "runtime" key.
// Only the keys the host config allows, string values where it wants strings, ASCII only.
std::optional<std::string> scan_host_config_runtime(std::string_view text);

struct FastPassThrough {
  std::string runc;
  std::vector<std::string> argv;
};

// What the fast path would exec for this call, or nullopt to leave it to the normal path.
std::optional<FastPassThrough> plan_fast_passthrough(const std::vector<std::string>& argv, const char* config_env, const char* path_env);

}  // namespace hardened
