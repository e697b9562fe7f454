// The profile's range of uids and gids, judged against the host's own accounts (identity.hpp).
#include <algorithm>
#include <cstdint>

#include "hardened/identity.hpp"

namespace hardened {

std::optional<std::string> id_outside_range(std::uint32_t id, IdKind kind, const Profile& profile, const HostIdentities& host) {
  const bool uid = kind == IdKind::uid;
  if (id == 0) return std::string("is root");
  if (id == (uid ? profile.uid : profile.gid)) return std::nullopt;  // the profile's own choice for root
  if (std::find(profile.ids_allowed.begin(), profile.ids_allowed.end(), id) != profile.ids_allowed.end()) return std::nullopt;
  const auto& accounts = uid ? host.users : host.groups;
  const auto account = accounts.find(id);
  const std::string what = uid ? "account" : "group";
  const std::string named = account == accounts.end() ? "" : " (the host " + what + " '" + account->second.name + "')";
  const std::uint32_t min = profile.ids_min.value_or(uid ? host.uid_min : host.gid_min);
  if (id < min) {
    const std::string limit = profile.ids_min ? "the profile's user.ids_min " + std::to_string(min)
                                              : "the host's " + std::string(uid ? "UID_MIN " : "GID_MIN ") + std::to_string(min) + " (/etc/login.defs)";
    return "is below " + limit + ", where the host's system " + what + "s are" + named;
  }
  if (account == accounts.end()) return std::nullopt;
  if (profile.host_accounts == Profile::HostAccounts::all) return "is the host " + what + " '" + account->second.name + "'";
  if (profile.host_accounts == Profile::HostAccounts::services && account->second.service) {
    return "is the host's service " + what + " '" + account->second.name + "'" +
           (uid ? " (it has no login shell)" : " (no login user's own group)");
  }
  return std::nullopt;
}

bool user_needs_host_accounts(const json& process, const Profile& profile) {
  const json* user = process.is_object() ? member(process, "user") : nullptr;
  if (user == nullptr || !user->is_object()) return false;  // absent: root
  const auto judged = [&](const json& id, std::uint32_t own) {
    if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > std::int64_t{UINT32_MAX}) return true;
    const auto value = static_cast<std::uint32_t>(id.get<std::int64_t>());
    return value != 0 && value != own && std::find(profile.ids_allowed.begin(), profile.ids_allowed.end(), value) == profile.ids_allowed.end();
  };
  if (const json* uid = member(*user, "uid"); uid != nullptr && judged(*uid, profile.uid)) return true;
  if (const json* gid = member(*user, "gid"); gid != nullptr && judged(*gid, profile.gid)) return true;
  if (const json* gids = member(*user, "additionalGids"); gids != nullptr) {
    if (!gids->is_array()) return true;
    return std::any_of(gids->begin(), gids->end(), [&](const json& gid) { return judged(gid, profile.gid); });
  }
  return false;
}

bool has_id_mappings(const json& spec) {
  const json* linux_section = member(spec, "linux");
  if (linux_section == nullptr || !linux_section->is_object()) return false;
  for (const char* key : {"uidMappings", "gidMappings"}) {
    const json* mappings = member(*linux_section, key);
    if (mappings != nullptr && !(mappings->is_array() && mappings->empty())) return true;
  }
  return false;
}

std::string id_field_words(IdKind kind, bool supplementary) {
  if (supplementary) return "process.user.additionalGids (docker run --group-add; Kubernetes supplementalGroups)";
  return kind == IdKind::uid ? "process.user.uid (docker run -u; Kubernetes runAsUser)"
                             : "process.user.gid (docker run -u UID:GID; Kubernetes runAsGroup)";
}

std::string identity_way_out(const Profile& profile) {
  return "run it as an ordinary user that is no host system account (a uid/gid of " +
         (profile.ids_min ? std::to_string(*profile.ids_min) : std::string("the host's UID_MIN/GID_MIN")) +
         " or more), or as root (which becomes " + std::to_string(profile.uid) + ":" + std::to_string(profile.gid) +
         "), or select a profile whose user.ids_allowed lists the id";
}

}  // namespace hardened
