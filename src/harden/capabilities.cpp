// All five capability sets become (requested ∩ allow-list). An absent set or an absent
// "capabilities" object is written out as an empty set: runc leaves the capabilities of a process
// alone when the spec names none, and for uid 0 that would be all of them.
#include <algorithm>

#include "rules.hpp"

namespace hardened::rules {

Result<void> capabilities(json& process, const Profile& profile, Changes& changes) {
  auto caps = object_member(process, "capabilities", "process");
  if (!caps) return tl::unexpected(caps.error());
  std::vector<std::string> dropped;
  std::vector<std::string> added_sets;
  for (const char* set : {"bounding", "effective", "inheritable", "permitted", "ambient"}) {
    const std::string path = "process.capabilities." + std::string(set);
    std::vector<std::string> requested;
    if (const json* value = member(**caps, set)) {
      auto list = as_string_list(*value, path);
      if (!list) return tl::unexpected(list.error());
      requested = std::move(*list);
    } else {
      added_sets.emplace_back(set);
    }
    std::vector<std::string> kept;
    for (const auto& cap : requested) {
      const bool allowed = std::find(profile.capabilities_allow.begin(), profile.capabilities_allow.end(), cap) !=
                           profile.capabilities_allow.end();
      if (allowed) {
        if (std::find(kept.begin(), kept.end(), cap) == kept.end()) kept.push_back(cap);
      } else if (std::find(dropped.begin(), dropped.end(), cap) == dropped.end()) {
        dropped.push_back(cap);
      }
    }
    if (kept != requested || member(**caps, set) == nullptr) (**caps)[set] = kept;
  }
  if (!dropped.empty()) {
    changes.push_back({"capabilities", "dropped " + std::to_string(dropped.size()) + " not in the allow-list: " +
                                           list_names(dropped, 64)});
  }
  if (!added_sets.empty()) {
    changes.push_back({"capabilities", "set the unset capability sets to empty: " + list_names(added_sets)});
  }
  return {};
}

}  // namespace hardened::rules
