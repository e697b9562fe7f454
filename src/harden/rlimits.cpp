// process.rlimits above the profile's ceilings (resources.rlimits_max): soft and hard limits are
// lowered to the ceiling, or the container is refused (resources.beyond_ceilings). Only the types the
// profile names are judged (RLIMIT_RTPRIO lets an unprivileged process take a CPU with real-time
// scheduling, which the CFS quota does not limit; RLIMIT_NICE lets it raise its priority over the
// host's; RLIMIT_CORE lets it dump core through the host's core_pattern); others pass. An absent list
// means the limits runc inherits, which the host sets, not the container.
#include <algorithm>
#include <cctype>
#include <limits>

#include "limits.hpp"

namespace hardened::rules {
namespace {

std::string rlimit_text(std::int64_t value) {
  return value == std::numeric_limits<std::int64_t>::max() ? std::string("unlimited") : std::to_string(value);
}

// docker run --ulimit spells RLIMIT_NOFILE as nofile.
std::string docker_name(const std::string& type) {
  std::string out = type.starts_with("RLIMIT_") ? type.substr(7) : type;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<void> rlimits(json& process, const Profile& profile, Changes& changes, Findings& denials) {
  json* list = member(process, "rlimits");
  if (list == nullptr || profile.rlimits_max.empty()) return {};
  if (!list->is_array()) return fail("process.rlimits must be a list");
  for (std::size_t i = 0; i < list->size(); ++i) {
    json& entry = (*list)[i];
    const std::string path = "process.rlimits[" + std::to_string(i) + "]";
    if (!entry.is_object()) return fail(path + " must be an object");
    const json* type_value = member(entry, "type");
    if (type_value == nullptr) return fail(path + ".type is missing");
    auto type = as_string(*type_value, path + ".type");
    if (!type) return tl::unexpected(type.error());
    const auto ceiling = std::find_if(profile.rlimits_max.begin(), profile.rlimits_max.end(), [&](const auto& c) { return c.type == *type; });
    if (ceiling == profile.rlimits_max.end()) continue;
    // A ceiling of 2^63 or more is "unlimited" (RLIM_INFINITY is 2^64-1): as_int64_saturating's scale.
    const std::int64_t max = ceiling->max >= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                                 ? std::numeric_limits<std::int64_t>::max()
                                 : static_cast<std::int64_t>(ceiling->max);
    for (const char* key : {"hard", "soft"}) {
      const json* value = member(entry, key);
      if (value == nullptr) continue;
      auto requested = as_int64_saturating(*value, path + "." + key);
      if (!requested) return tl::unexpected(requested.error());
      if (*requested < 0) return fail(path + "." + key + " must be an unsigned integer");
      if (*requested <= max) continue;
      const std::string what = path + "." + key + " (" + *type + ") " + rlimit_text(*requested);
      if (clamp_or_refuse(profile, "resources.rlimits", what + " is above the profile's ceiling " + rlimit_text(max) + " (resources.rlimits_max)",
                          what + " -> " + rlimit_text(max),
                          "ask for " + rlimit_text(max) + " or less (docker run --ulimit " + docker_name(*type) + "=" + rlimit_text(max) + ") or none",
                          changes, denials)) {
        entry[key] = max;
      }
    }
  }
  return {};
}

}  // namespace hardened::rules
