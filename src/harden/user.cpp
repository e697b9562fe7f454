// process.user: root becomes the profile's user (uid 0 -> user.uid, gid 0 -> user.gid, supplementary
// group 0 removed); any other uid/gid must be in the profile's range (identity.hpp) or the container
// is refused (or, with user.outside_range "remap", it becomes the profile's user too); supplementary
// groups outside the range are removed, or refused (user.additional_gids_outside_range). An absent
// user means 0:0 to runc, so it is written out.
#include <algorithm>

#include "rules.hpp"

namespace hardened::rules {
namespace {

std::string id_list(const std::vector<std::uint32_t>& ids) {
  std::vector<std::string> names;
  for (auto id : ids) names.push_back(std::to_string(id));
  return list_names(names);
}

}  // namespace

Result<void> user(json& process, const Profile& profile, const HostIdentities& host, Changes& changes, Findings& denials) {
  auto user = object_member(process, "user", "process");
  if (!user) return tl::unexpected(user.error());
  json& u = **user;
  std::vector<std::string> outside;  // "process.user.uid (...) 101 is ...": one refusal names them all
  for (const auto& [key, kind, replacement] : {std::tuple{"uid", IdKind::uid, profile.uid}, std::tuple{"gid", IdKind::gid, profile.gid}}) {
    std::uint32_t current = 0;  // absent means root to runc
    if (const json* value = member(u, key)) {
      auto parsed = as_uint32(*value, std::string("process.user.") + key);
      if (!parsed) return tl::unexpected(parsed.error());
      current = *parsed;
    }
    if (current == 0) {
      u[key] = replacement;
      changes.push_back({"user", std::string(key) + " 0 -> " + std::to_string(replacement)});
      continue;
    }
    const auto why = id_outside_range(current, kind, profile, host);
    if (!why) continue;
    if (profile.ids_outside == Profile::Outside::remap) {
      u[key] = replacement;
      changes.push_back({"user", std::string(key) + " " + std::to_string(current) + " -> " + std::to_string(replacement) + " (" +
                                     std::to_string(current) + " " + *why + ")"});
      continue;
    }
    outside.push_back(id_field_words(kind, false) + " " + std::to_string(current) + " " + *why);
  }
  if (!outside.empty()) {
    denials.push_back({"user.ids", "refused by rule user.ids: " + outside.front() + (outside.size() > 1 ? "; and " + outside.back() : "") +
                                       "; " + identity_way_out(profile)});
  }
  if (json* gids = member(u, "additionalGids")) {
    if (!gids->is_array()) return fail("process.user.additionalGids must be a list of gids");
    std::vector<std::uint32_t> kept, groups_outside;
    std::vector<std::string> reasons;
    bool root_group = false;
    for (const auto& gid : *gids) {
      auto parsed = as_uint32(gid, "process.user.additionalGids");
      if (!parsed) return tl::unexpected(parsed.error());
      if (*parsed == 0) {
        root_group = true;
      } else if (auto why = id_outside_range(*parsed, IdKind::gid, profile, host)) {
        groups_outside.push_back(*parsed);
        reasons.push_back(std::to_string(*parsed) + " " + *why);
      } else {
        kept.push_back(*parsed);
      }
    }
    if (!groups_outside.empty() && profile.additional_gids_outside == Profile::ExtraGroups::refuse) {
      denials.push_back({"user.additional_gids", "refused by rule user.additional_gids: " + id_field_words(IdKind::gid, true) + ": " +
                                                     list_names(reasons, 4) + "; remove those groups, or " + identity_way_out(profile) +
                                                     ", or one whose user.additional_gids_outside_range is \"remove\""});
    }
    if (kept.size() != gids->size()) {
      *gids = kept;
      if (root_group) changes.push_back({"user", "removed supplementary group 0"});
      if (!groups_outside.empty()) {
        changes.push_back({"user", "removed supplementary groups outside the profile's range: " + id_list(groups_outside)});
      }
    }
  }
  return {};
}

}  // namespace hardened::rules
