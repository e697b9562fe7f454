// Every bind mount gets the profile's bind_options (nosuid, nodev by default): a host directory
// must not bring setuid binaries or device nodes into the container.
#include <algorithm>

#include "rules.hpp"

namespace hardened::rules {

Result<void> bind_options(json& spec, const Profile& profile, Changes& changes) {
  json* mounts = member(spec, "mounts");
  if (mounts == nullptr || profile.bind_options.empty()) return {};
  std::size_t changed = 0;
  for (auto& mount : *mounts) {
    if (!mount.is_object() || !is_bind(mount)) continue;
    json* options = member(mount, "options");
    if (options == nullptr) {
      mount["options"] = json::array();
      options = &mount["options"];
    }
    if (!options->is_array()) return fail("mounts[].options must be a list");
    bool added = false;
    for (const auto& option : profile.bind_options) {
      if (std::find(options->begin(), options->end(), option) == options->end()) {
        options->push_back(option);
        added = true;
      }
      added |= remove_opposites(*options, option);  // "suid" after "nosuid" would win; "rsuid" anywhere
    }
    changed += added ? 1 : 0;
  }
  if (changed != 0) {
    changes.push_back({"mounts", "added " + list_names(profile.bind_options) + " to " + std::to_string(changed) + " bind mount" +
                                     (changed == 1 ? "" : "s")});
  }
  return {};
}

}  // namespace hardened::rules
