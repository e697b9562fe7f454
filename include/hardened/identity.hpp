#pragma once
// Which uids and gids a container may run as. Without a user namespace a container's uid is the same
// uid on the host: uid 101 inside is whatever host service runs as 101 to a peer-credential check or a
// file on a bind mount, and supplementary group 42 reads the host's /etc/shadow. So an id is judged as
// the host sees it: the host's accounts (/etc/passwd, /etc/group) and its UID_MIN/GID_MIN
// (/etc/login.defs), read at the edge (host_identities.cpp), against the profile's user.* keys.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "hardened/profile.hpp"

namespace hardened {

struct HostAccount {
  std::string name;
  // A user without a login shell (nologin, false, none), or a group that is no login user's own
  // (primary) group: an identity the host's services, not its people, run under.
  bool service = false;
  bool operator==(const HostAccount&) const = default;
};

struct HostIdentities {
  std::uint32_t uid_min = 1000;  // shadow's defaults, where login.defs does not say
  std::uint32_t gid_min = 1000;
  std::map<std::uint32_t, HostAccount> users;   // by uid
  std::map<std::uint32_t, HostAccount> groups;  // by gid
  bool operator==(const HostIdentities&) const = default;
};

enum class IdKind { uid, gid };

// Why `id` may not be used, as a phrase ("is below the host's UID_MIN 1000 (the host account
// 'postgres')"), or nullopt when the profile allows it. Root is never allowed (it is remapped, not
// judged); the profile's own uid/gid and user.ids_allowed always are.
std::optional<std::string> id_outside_range(std::uint32_t id, IdKind kind, const Profile& profile, const HostIdentities& host);

// Whether judging `process` (a spec's process, or exec's) needs the host's accounts: some id of its
// user is neither root, nor the profile's own, nor always allowed. The common create (root, with
// Docker's supplementary group 0) then reads nothing from /etc. Malformed ids say yes: the rule
// reports them.
bool user_needs_host_accounts(const json& process, const Profile& profile);
// Whether `spec` maps ids through a user namespace (linux.uidMappings or gidMappings, not empty).
bool has_id_mappings(const json& spec);

// "process.user.uid 101 (docker run -u 101; Kubernetes runAsUser)": the field named for a message.
std::string id_field_words(IdKind kind, bool supplementary);

// The way out of a refusal on identity, for any client.
std::string identity_way_out(const Profile& profile);

}  // namespace hardened
