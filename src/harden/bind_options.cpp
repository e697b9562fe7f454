// Every bind mount gets the profile's bind_options (nosuid, nodev by default): a host directory
// must not bring setuid binaries or device nodes into the container. Where the host can (rules.hpp:
// recursive_flags), they reach the mounts below the bind too, and so does a read-only bind's "ro":
// a disk mounted under a bound host directory would otherwise keep its own suid, dev and rw.
#include "rules.hpp"

namespace hardened::rules {

Result<void> bind_options(json& spec, const Profile& profile, const HostFacts& facts, Changes& changes) {
  json* mounts = member(spec, "mounts");
  if (mounts == nullptr) return {};
  if (!mounts->is_array()) return fail("mounts must be a list");
  std::size_t changed = 0, made_ro = 0;
  bool below = false;
  for (auto& mount : *mounts) {
    if (!mount.is_object() || !is_bind(mount)) continue;
    json* options = member(mount, "options");
    if (options == nullptr) {
      if (profile.bind_options.empty()) continue;
      mount["options"] = json::array();
      options = &mount["options"];
    }
    if (!options->is_array()) return fail("mounts[].options must be a list");
    const bool recursive = recursive_flags(mount, facts);
    bool added = false;
    for (const auto& option : profile.bind_options) {
      added |= ensure_option(*options, option, recursive);
      added |= remove_opposites(*options, option);  // "suid" after "nosuid" would win; "rsuid" anywhere
    }
    changed += added ? 1 : 0;
    below |= added && recursive;
    if (read_only(mount) && ensure_option(*options, "ro", recursive)) ++made_ro;
  }
  const auto mounts_word = [](std::size_t n) { return std::to_string(n) + " bind mount" + (n == 1 ? "" : "s"); };
  if (changed != 0) {
    changes.push_back({"mounts", "added " + list_names(profile.bind_options) + " to " + mounts_word(changed) +
                                     (below ? ", and to the host's mounts below them" : "")});
  }
  if (made_ro != 0) {
    changes.push_back({"mounts", "made the host's mounts below " + mounts_word(made_ro) + " read-only too, as the bind is (rro)"});
  }
  return {};
}

}  // namespace hardened::rules
