#pragma once
// Reading and lowering one numeric cgroup limit, shared by create (resources.cpp) and update
// (update_resources.cpp). `field` is the member name inside `object`; `path` names it in messages.
#include <cstdint>
#include <optional>

#include "rules.hpp"

namespace hardened::rules {

struct Limit {
  json& object;
  const char* field;
  std::string path;

  Result<std::optional<std::int64_t>> read() const;
  // Writes `value` if it differs from `before`, and records the change.
  void write(std::optional<std::int64_t> before, std::int64_t value, Changes& changes, const char* rule) const;
};

using LimitPair = std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>;

// Both limits of a pair that are set together (memory limit and swap, CPU period and quota).
inline Result<LimitPair> read_pair(const Limit& first, const Limit& second) {
  auto a = first.read();
  if (!a) return tl::unexpected(a.error());
  auto b = second.read();
  if (!b) return tl::unexpected(b.error());
  return LimitPair{*a, *b};
}

// A limit that must end up set (every limit on create, the CPU quota on update): no value, 0 or a
// negative value ("unlimited") and anything above the ceiling become the ceiling.
inline std::int64_t meet_required(std::optional<std::int64_t> requested, std::int64_t ceiling) {
  return requested && *requested > 0 && *requested <= ceiling ? *requested : ceiling;
}

}  // namespace hardened::rules
