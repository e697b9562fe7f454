#include "hardened/host_identities.hpp"

#include <unistd.h>

#include <cerrno>
#include <set>
#include <string_view>
#include <vector>

#include "hardened/json_file.hpp"
#include "hardened/split.hpp"
#include "hardened/whole_number.hpp"

namespace hardened {
namespace {

Result<std::string> read_if_present(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) return std::string();
  return read_text_file(path);
}

// "UID_MIN   1000" in login.defs; nullopt when absent or not a number.
std::optional<std::uint32_t> login_defs_value(std::string_view text, std::string_view key) {
  for (std::string_view line : split(text, '\n')) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || !line.substr(start).starts_with(key)) continue;
    line.remove_prefix(start + key.size());
    if (line.empty() || (line.front() != ' ' && line.front() != '\t')) continue;  // UID_MINIMUM, ...
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    line.remove_prefix(first);
    return whole_number<std::uint32_t>(line.substr(0, line.find_first_of(" \t#")));
  }
  return std::nullopt;
}

bool login_shell(std::string_view shell) {
  return !shell.empty() && !shell.ends_with("/nologin") && !shell.ends_with("/false") && shell != "/bin/sync";
}

}  // namespace

Result<HostIdentities> read_host_identities(const std::string& etc) {
  HostIdentities host;
  auto defs = read_if_present(etc + "/login.defs");
  auto passwd = read_if_present(etc + "/passwd");
  auto group = read_if_present(etc + "/group");
  for (const auto* text : {&defs, &passwd, &group}) {
    if (!*text) return fail("cannot read the host's accounts to judge the container's user: " + text->error().message);
  }
  host.uid_min = login_defs_value(*defs, "UID_MIN").value_or(host.uid_min);
  host.gid_min = login_defs_value(*defs, "GID_MIN").value_or(host.gid_min);
  std::set<std::uint32_t> login_groups;  // the primary groups of users with a login shell
  for (std::string_view line : split(*passwd, '\n')) {
    const auto f = split(line, ':');  // name:x:uid:gid:gecos:home:shell
    if (f.size() < 7 || f[0].empty() || f[0].front() == '#' || f[0].front() == '+' || f[0].front() == '-') continue;
    const auto uid = whole_number<std::uint32_t>(f[2]);
    const auto gid = whole_number<std::uint32_t>(f[3]);
    if (!uid) continue;
    const bool service = !login_shell(f[6]);
    host.users.try_emplace(*uid, HostAccount{std::string(f[0]), service});
    if (!service && gid) login_groups.insert(*gid);
  }
  for (std::string_view line : split(*group, '\n')) {
    const auto f = split(line, ':');  // name:x:gid:members
    if (f.size() < 3 || f[0].empty() || f[0].front() == '#' || f[0].front() == '+' || f[0].front() == '-') continue;
    if (const auto gid = whole_number<std::uint32_t>(f[2])) {
      host.groups.try_emplace(*gid, HostAccount{std::string(f[0]), !login_groups.contains(*gid)});
    }
  }
  return host;
}

}  // namespace hardened
