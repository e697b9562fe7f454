// A user namespace's mappings decide who the container's ids are on the host: with
// linux.uidMappings {containerID 1001, hostID 0}, the uid 1001 the user rule let through is the
// host's root, owning every root file a bind brings in. So the host side of each mapping is judged
// as the user rule judges an id without one (identity.hpp): never root, not below UID_MIN (the
// host's system accounts), and no host account the profile protects. Docker's --userns-remap and
// podman's --userns=auto map to subordinate ids (/etc/subuid), which no account has.
//
// Only for a runtime run by root: the kernel lets anyone else map only the ids it already has (its
// own, and its /etc/subuid ranges through newuidmap), so a rootless caller gains nothing by it.
#include <algorithm>
#include <cstdint>

#include "hardened/identity.hpp"
#include "rules.hpp"

namespace hardened::rules {
namespace {

struct Mapping {
  std::uint64_t container = 0, host = 0, size = 0;
};

// {"containerID", "hostID", "size"}, each a number of 0 to 2^32-1; false when not.
bool read_mapping(const json& entry, Mapping& out) {
  if (!entry.is_object()) return false;
  for (auto [key, field] : {std::pair{"containerID", &out.container}, std::pair{"hostID", &out.host}, std::pair{"size", &out.size}}) {
    const json* value = member(entry, key);
    if (value == nullptr || !value->is_number_integer() || value->get<std::int64_t>() < 0 || value->get<std::int64_t>() > std::int64_t{UINT32_MAX}) {
      return false;
    }
    *field = static_cast<std::uint64_t>(value->get<std::int64_t>());
  }
  return true;
}

// Why some host id of [first, first + size) may not be used, or nullopt: each id below the minimum
// (root, the host's system ids: at most UID_MIN of them) and each host account above it.
std::optional<std::string> range_problem(std::uint64_t first, std::uint64_t size, IdKind kind, const Profile& profile, const HostIdentities& host) {
  const bool uid = kind == IdKind::uid;
  const std::uint64_t end = first + size, min = profile.ids_min.value_or(uid ? host.uid_min : host.gid_min);
  for (std::uint64_t id = first; id < end && id < min; ++id) {
    if (auto why = id_outside_range(static_cast<std::uint32_t>(id), kind, profile, host)) return std::to_string(id) + " " + *why;
  }
  const auto& accounts = uid ? host.users : host.groups;
  for (auto it = accounts.lower_bound(static_cast<std::uint32_t>(std::max(first, min))); it != accounts.end() && it->first < end; ++it) {
    if (auto why = id_outside_range(it->first, kind, profile, host)) return std::to_string(it->first) + " " + *why;
  }
  return std::nullopt;
}

}  // namespace

Result<void> id_mappings(const json& spec, const Profile& profile, const HostFacts& facts, Findings& denials) {
  if (facts.caller_uid != 0) return {};
  for (const auto& [key, kind] : {std::pair{"uidMappings", IdKind::uid}, std::pair{"gidMappings", IdKind::gid}}) {
    const json* mappings = linux_member(spec, key);
    if (mappings == nullptr) continue;
    const std::string field = std::string("linux.") + key;
    if (!mappings->is_array()) return fail(field + " must be a list");
    for (const auto& entry : *mappings) {
      Mapping m;
      if (!read_mapping(entry, m)) return fail(field + "[] must be {\"containerID\", \"hostID\", \"size\"}, each a number of 0 to 4294967295");
      if (m.size == 0) continue;
      if (auto why = range_problem(m.host, m.size, kind, profile, facts.identities)) {
        const std::string ids = kind == IdKind::uid ? "uid" : "gid";
        denials.push_back({"user", "refused by rule user: " + field + " maps the container's " + ids + "s " + std::to_string(m.container) + "-" +
                                       std::to_string(m.container + m.size - 1) + " to the host's " + std::to_string(m.host) + "-" +
                                       std::to_string(m.host + m.size - 1) + ", and host " + ids + " " + *why + ", so a process of the container is that " +
                                       "identity on the host; map them to subordinate ids no host account has (dockerd --userns-remap, "
                                       "/etc/subuid and /etc/subgid)"});
      }
    }
  }
  return {};
}

}  // namespace hardened::rules
