// linux.resources.unified: cgroup v2 files runc writes after the typed limits, so {"pids.max": "max"}
// would undo every ceiling (podman --cgroup-conf and CRI's unified map set it). The keys of the
// controllers the profile limits (pids, memory, cpu) are lowered to the ceilings or refused
// (resources.beyond_ceilings); a key of those controllers this rule does not know is refused, since
// what it does cannot be judged. Keys of other controllers (io, cpuset, hugetlb, ...) pass.
#include <cctype>
#include <limits>

#include "limits.hpp"

namespace hardened::rules {
namespace {

constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max();

// A cgroup v2 count or size: "max", digits, or (sizes) digits with the kernel's K/M/G/T/P/E suffix.
std::optional<std::int64_t> read_amount(std::string_view text, bool size) {
  if (text == "max") return kUnlimited;
  std::int64_t multiplier = 1;
  if (size && !text.empty() && std::isalpha(static_cast<unsigned char>(text.back())) != 0) {
    const auto at = std::string_view("kmgtpe").find(static_cast<char>(std::tolower(static_cast<unsigned char>(text.back()))));
    if (at == std::string_view::npos) return std::nullopt;
    multiplier = std::int64_t{1} << (10 * (at + 1));
    text.remove_suffix(1);
  }
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    if (value > (kUnlimited - (c - '0')) / 10) return kUnlimited;  // more than any ceiling
    value = value * 10 + (c - '0');
  }
  return value > kUnlimited / multiplier ? kUnlimited : value * multiplier;
}

std::string amount_text(std::int64_t value) { return value == kUnlimited ? std::string("max") : std::to_string(value); }

struct Ceiling {
  std::int64_t max;
  std::string profile_key;
};

// The ceiling of a plain count/size key, or nullopt for a key of a limited controller that is not one.
std::optional<Ceiling> ceiling_of(const std::string& key, const Profile& profile) {
  if (key == "pids.max") return Ceiling{profile.pids_max, "resources.pids_max"};
  for (const char* memory : {"memory.max", "memory.high", "memory.low", "memory.min"}) {
    if (key == memory) return Ceiling{profile.memory_max_bytes, "resources.memory_max_bytes"};
  }
  if (key == "memory.swap.max") return Ceiling{0, "resources.memory_max_bytes, which leaves no swap"};
  if (key == "cpu.max.burst") return Ceiling{0, "resources.cpus_max, which leaves no burst"};
  return std::nullopt;
}

// Keys of the limited controllers that set no amount beyond the ceilings: relative weights, idle
// scheduling, OOM grouping, reclaim and pressure triggers, limits on what is already limited.
bool passes(const std::string& key) {
  for (const char* known : {"cpu.weight", "cpu.weight.nice", "cpu.idle", "cpu.uclamp.min", "cpu.uclamp.max", "cpu.pressure",
                            "memory.oom.group", "memory.swap.high", "memory.zswap.max", "memory.zswap.writeback", "memory.reclaim",
                            "memory.pressure"}) {
    if (key == known) return true;
  }
  return false;
}

bool limited_controller(const std::string& key) {
  const std::string controller = key.substr(0, key.find('.'));
  return controller == "pids" || controller == "memory" || controller == "cpu";
}

}  // namespace

Result<void> unified(json& resources, const std::string& path, const Profile& profile, Changes& changes, Findings& denials) {
  json* map = member(resources, "unified");
  if (map == nullptr) return {};
  const std::string map_path = join_path(path, "unified");
  if (!map->is_object()) return fail(map_path + " must be an object of cgroup file names to values");
  for (auto& [key, value] : map->items()) {
    const std::string field = map_path + "[\"" + key + "\"]";
    if (!value.is_string()) return fail(field + " must be a string");
    if (!limited_controller(key) || passes(key)) continue;
    const std::string text = value.get<std::string>();
    const std::string flag = " (podman --cgroup-conf " + key + "=";
    if (key == "cpu.max") {
      // "quota period", "quota", "max period" or "max".
      const auto space = text.find(' ');
      const auto quota = read_amount(text.substr(0, space), false);
      const auto period = space == std::string::npos ? std::optional<std::int64_t>(profile.cpu_period_us) : read_amount(text.substr(space + 1), false);
      if (!quota || !period || *period <= 0 || *period == kUnlimited) return fail(field + " \"" + text + "\" is not \"<quota|max> [period]\"");
      const std::int64_t ceiling = profile.cpu_quota_max(*period);
      if (*quota <= ceiling) continue;
      const std::string allowed = std::to_string(ceiling) + " " + std::to_string(*period);
      if (clamp_or_refuse(profile, "resources.unified",
                          field + " \"" + text + "\" is above the profile's CPU ceiling \"" + allowed + "\" (resources.cpus_max)",
                          field + " \"" + text + "\" -> \"" + allowed + "\"", "ask for \"" + allowed + "\" or less" + flag + allowed + ") or remove it",
                          changes, denials)) {
        value = allowed;
      }
      continue;
    }
    const auto ceiling = ceiling_of(key, profile);
    if (!ceiling) {
      denials.push_back({"resources.unified", "refused by rule resources.unified: " + field +
                                                  " is not a cgroup file hardened-runtime knows for a controller whose limits the profile "
                                                  "sets, so what it would do cannot be judged; remove it"});
      continue;
    }
    const auto requested = read_amount(text, key != "pids.max");
    if (!requested) return fail(field + " \"" + text + "\" is not \"max\" or a number");
    if (*requested <= ceiling->max) continue;
    const std::string allowed = std::to_string(ceiling->max);
    if (clamp_or_refuse(profile, "resources.unified",
                        field + " \"" + text + "\" is above the profile's ceiling " + allowed + " (" + ceiling->profile_key + ")",
                        field + " \"" + amount_text(*requested) + "\" -> \"" + allowed + "\"",
                        "ask for " + allowed + " or less" + flag + allowed + ") or remove it", changes, denials)) {
      value = allowed;
    }
  }
  return {};
}

}  // namespace hardened::rules
