#pragma once
// The pass-through path without the JSON library, the heap or the C++ runtime's start-up: main.cpp
// calls plan_fast_passthrough from a constructor that runs before the other static initialisers, and
// execs runc at once when the call is a pass-through and the host config is plain enough to read with a
// small scanner. Anything else (a rewritten call, a tool command, an unusual or broken host config,
// runc not found) returns false, and main's normal path handles it, errors included, so both paths
// always agree on which runc runs with which argv (a unit test compares them). Nothing here allocates:
// every page it touches is part of the cost of each `runc state`, `kill`, `delete`.
#include <array>
#include <optional>
#include <string_view>

#include "hardened/runc_locator.hpp"

namespace hardened {

// The host config's "runtime", a view into `text`: nullopt when the text is not a JSON object this
// scanner fully understands (then the full parser decides); empty when there is no "runtime" key.
// Only the keys the host config allows, string values where it wants strings, ASCII only, and no
// escapes in the runtime's path.
// `state_dir`, when given, gets the "state_dir" value where there is one (a view into `text`).
std::optional<std::string_view> scan_host_config_runtime(std::string_view text, std::string_view* state_dir = nullptr);

// What the early path needs of a creation record (creation_record.hpp): views into `text`. false when
// the text is not a record this scanner fully understands (then the full parser decides).
struct RecordScan {
  bool has_profile = false;  // a record without one is no record to the full reader either
  std::string_view runtime;
  std::string_view root;
};
bool scan_creation_record(std::string_view text, RecordScan& out);

struct FastPassThrough {
  static constexpr std::size_t kMaxArgs = 64;  // runc's pass-through calls have a dozen; more go the normal path
  RuncPath runc{};
  std::array<char*, kMaxArgs + 1> argv{};  // the caller's words, our own options left out, NULL-terminated
};

// Whether the fast path execs this call, and what: into `out`.
bool plan_fast_passthrough(int argc, char* const* argv, const char* config_env, const char* path_env, FastPassThrough& out);

}  // namespace hardened
