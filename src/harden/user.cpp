// Root becomes the profile's user: uid 0 -> profile uid, gid 0 -> profile gid, supplementary gid 0
// removed. Any other user is kept. An absent user means 0:0 to runc, so it is written out.
#include <algorithm>

#include "rules.hpp"

namespace hardened::rules {

Result<void> user(json& process, const Profile& profile, Changes& changes) {
  auto user = object_member(process, "user", "process");
  if (!user) return tl::unexpected(user.error());
  json& u = **user;
  for (const auto& [key, replacement] : {std::pair{"uid", profile.uid}, std::pair{"gid", profile.gid}}) {
    std::uint32_t current = 0;  // absent means root to runc
    if (const json* value = member(u, key)) {
      auto parsed = as_uint32(*value, std::string("process.user.") + key);
      if (!parsed) return tl::unexpected(parsed.error());
      current = *parsed;
    }
    if (current == 0) {
      u[key] = replacement;
      changes.push_back({"user", std::string(key) + " 0 -> " + std::to_string(replacement)});
    }
  }
  if (json* gids = member(u, "additionalGids")) {
    if (!gids->is_array()) return fail("process.user.additionalGids must be a list of gids");
    std::vector<std::uint32_t> kept;
    for (const auto& gid : *gids) {
      auto parsed = as_uint32(gid, "process.user.additionalGids");
      if (!parsed) return tl::unexpected(parsed.error());
      if (*parsed != 0) kept.push_back(*parsed);
    }
    if (kept.size() != gids->size()) {
      *gids = kept;
      changes.push_back({"user", "removed supplementary group 0"});
    }
  }
  return {};
}

}  // namespace hardened::rules
