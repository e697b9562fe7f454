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

// A value beyond what the profile allows, in one of the forms resources.beyond_ceilings governs: with
// "clamp" the caller writes the allowed value and `change` goes on the trail (returns true); with
// "refuse" it is a denial naming the field, the rule and the way out (returns false).
inline bool clamp_or_refuse(const Profile& profile, const std::string& rule, const std::string& what, const std::string& change,
                            const std::string& way_out, Changes& changes, Findings& denials) {
  if (profile.beyond_ceilings == Profile::Excess::clamp) {
    changes.push_back({rule, change});
    return true;
  }
  denials.push_back({rule, "refused by rule " + rule + ": " + what + "; " + way_out +
                               ", or select a profile whose resources.beyond_ceilings is \"clamp\""});
  return false;
}

}  // namespace hardened::rules
