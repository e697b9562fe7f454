// maskedPaths and readonlyPaths become the union of the container's and the profile's lists.
#include <algorithm>

#include "rules.hpp"

namespace hardened::rules {

Result<void> paths(json& spec, const Profile& profile, Changes& changes) {
  auto linux_section = object_member(spec, "linux", "");
  if (!linux_section) return tl::unexpected(linux_section.error());
  for (const auto& [key, wanted] : {std::pair{"maskedPaths", &profile.masked_paths}, std::pair{"readonlyPaths", &profile.readonly_paths}}) {
    std::vector<std::string> current;
    if (const json* value = member(**linux_section, key)) {
      auto list = as_string_list(*value, std::string("linux.") + key);
      if (!list) return tl::unexpected(list.error());
      current = std::move(*list);
    }
    std::vector<std::string> added;
    for (const auto& path : *wanted) {
      if (std::find(current.begin(), current.end(), path) == current.end()) {
        current.push_back(path);
        added.push_back(path);
      }
    }
    if (!added.empty()) {
      (**linux_section)[key] = current;
      changes.push_back({"paths", std::string("added to linux.") + key + ": " + list_names(added)});
    }
  }
  return {};
}

}  // namespace hardened::rules
