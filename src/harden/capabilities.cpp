// All five capability sets become (requested ∩ allow-list). An absent set or an absent
// "capabilities" object is written out as an empty set: runc leaves the capabilities of a process
// alone when the spec names none, and for uid 0 that would be all of them.
// A non-root process loses its capabilities at execve unless they are ambient. When root is about to
// be replaced by the profile's user (the user rule runs next), the profile's `ambient` caps that the
// container kept are raised to inheritable and ambient, so the server that asked for them as root
// still has them as uid 1001. That is still less than root with the same caps; a container that
// asked for a non-root user itself gets nothing raised (it would not have had them either).
#include <algorithm>

#include "rules.hpp"

namespace hardened::rules {
namespace {

bool runs_as_root(const json& process) {
  const json* user = member(process, "user");
  const json* uid = user != nullptr && user->is_object() ? member(*user, "uid") : nullptr;
  return uid == nullptr || (uid->is_number_integer() && uid->get<std::int64_t>() == 0);
}

}  // namespace

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
  if (!profile.capabilities_ambient.empty() && runs_as_root(process)) {
    std::vector<std::string> raised;
    const json permitted = (**caps)["permitted"];
    for (const auto& cap : profile.capabilities_ambient) {
      if (std::find(permitted.begin(), permitted.end(), cap) == permitted.end()) continue;
      for (const char* set : {"inheritable", "ambient"}) {
        json& list = (**caps)[set];
        if (std::find(list.begin(), list.end(), cap) == list.end()) {
          list.push_back(cap);
          if (std::find(raised.begin(), raised.end(), cap) == raised.end()) raised.push_back(cap);
        }
      }
    }
    if (!raised.empty()) {
      changes.push_back({"capabilities", "raised to ambient, so the non-root user keeps them: " + list_names(raised)});
    }
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
