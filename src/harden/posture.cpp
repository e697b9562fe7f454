#include "hardened/posture.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "hardened/capability_names.hpp"
#include "hardened/lexical_path.hpp"

namespace hardened {
namespace {

std::uint64_t mask_of(const std::vector<std::string>& caps) {
  std::uint64_t mask = 0;
  for (const auto& cap : caps) {
    const std::optional<int> n = capability_number(std::string_view(cap).substr(4));
    if (n && *n < 64) mask |= std::uint64_t{1} << *n;
  }
  return mask;
}

std::string names_of(std::uint64_t mask) {
  std::string out;
  for (int n = 0; n < 64; ++n) {
    if ((mask & (std::uint64_t{1} << n)) == 0) continue;
    const char* name = capability_name(n);
    std::string cap = "CAP_" + (name != nullptr ? std::string(name) : std::to_string(n));
    for (char& c : cap) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += (out.empty() ? "" : ",") + cap;
  }
  return out;
}

std::string text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Kernel and control filesystems: a container has its own /proc, /sys (with the cgroup hierarchies
// runc mounts under /sys/fs/cgroup), /dev/pts and /dev/mqueue; one anywhere else, or the host's own
// instance (the same device as a mount of the host's), shows the host's kernel.
bool kernel_fs(const std::string& type) {
  static const std::set<std::string> kTypes{"proc", "sysfs", "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "bpf",
                                            "configfs", "pstore", "efivarfs", "fusectl", "mqueue", "binfmt_misc", "devpts", "devtmpfs"};
  return kTypes.contains(type);
}

bool own_kernel_fs(const LiveMount& m, const std::vector<LiveMount>& container) {
  const auto at = [&](const std::string& point) {
    return std::find_if(container.begin(), container.end(), [&](const LiveMount& c) { return c.mount_point == point; });
  };
  if (m.fs_type == "proc" || m.fs_type == "sysfs") {
    const std::string top = m.fs_type == "proc" ? "/proc" : "/sys";
    const auto own = at(top);
    return same_or_under(m.mount_point, top) && own != container.end() && own->fs_type == m.fs_type && own->device == m.device;
  }
  if (m.fs_type == "cgroup" || m.fs_type == "cgroup2") return same_or_under(m.mount_point, "/sys/fs/cgroup");
  if (m.fs_type == "devpts") return m.mount_point == "/dev/pts";
  if (m.fs_type == "mqueue") return m.mount_point == "/dev/mqueue";
  // A bind of one of the standard device nodes from the host's /dev (crun masks /proc/keys and the
  // like with the host's /dev/null, and binds these nodes in a user namespace): it shows no kernel
  // state. /dev/mem, /dev/kmsg or the whole /dev would.
  if (m.fs_type == "devtmpfs") {
    for (const char* node : {"/null", "/zero", "/full", "/random", "/urandom", "/tty"}) {
      if (m.root == node) return true;
    }
  }
  return false;
}

// Which of the profile's deny lists refuses `path` as a bind source, if one does (deny.cpp judges a
// spec's sources the same way; bind_sources_allowed exempts).
std::optional<std::string> denied_by(const std::string& path, const Profile& profile) {
  for (std::string allowed : profile.bind_sources_allowed) {
    // A live container's pod is not known here: "{sandbox}" (the create rule's own pod) reads as any.
    if (const auto at = allowed.find("{sandbox}"); at != std::string::npos) allowed.replace(at, 9, "*");
    if (::fnmatch(allowed.c_str(), path.c_str(), FNM_PATHNAME) == 0) return std::nullopt;
  }
  for (const auto& dir : profile.deny_bind_sources) {
    if (dir != "/" ? same_or_under(path, dir) : path == "/") return "deny.bind_sources (" + dir + ")";
  }
  for (const auto& exact : profile.deny_bind_sources_exact) {
    if (path == exact) return "deny.bind_sources_exact (" + exact + ")";
  }
  return std::nullopt;
}

void mount_shortfalls(const LivePosture& live, const Profile& profile, const AuditHost& host, std::vector<std::string>& out) {
  for (const auto& m : live.mounts) {
    if (m.mount_point == "/") continue;  // the root: readonly_rootfs above
    if (kernel_fs(m.fs_type)) {
      const bool hosts = std::any_of(host.mounts.begin(), host.mounts.end(), [&](const MountEntry& h) { return h.device == m.device; });
      if (!own_kernel_fs(m, live.mounts) || (m.fs_type == "proc" && hosts)) {
        out.push_back("kernel filesystem " + m.fs_type + " mounted at " + m.mount_point + (hosts ? " is the host's own" : "") +
                      " (device " + m.device + "): it shows the host's kernel to the container");
      }
      continue;
    }
    // The host path the mount shows (a host mount of the same filesystem names it).
    if (auto path = visible_path_of(m.device, m.root, host.mounts)) {
      if (auto rule = denied_by(*path, profile)) out.push_back("mount at " + m.mount_point + " shows the host's " + *path + ", refused by " + *rule);
    }
    // W^X: a directory the container can write and run code from (runc's own /dev tmpfs aside: root's, mode 0755).
    const bool exec_allowed = std::find(profile.exec_allowed.begin(), profile.exec_allowed.end(), m.mount_point) != profile.exec_allowed.end();
    if (!m.read_only && !m.noexec && m.directory && !exec_allowed && !(m.mount_point == "/dev" && m.fs_type == "tmpfs")) {
      out.push_back("mount at " + m.mount_point + " (" + m.fs_type + ") is writable and executable: code the image did not bring can run from it"
                    " (mounts.writable_exec)");
    }
  }
}

void identity_shortfalls(const LivePosture& live, const Profile& profile, const AuditHost& host, std::vector<std::string>& out) {
  std::set<std::uint32_t> uids(live.uids.begin(), live.uids.end()), gids(live.gids.begin(), live.gids.end());
  for (auto uid : uids) {
    if (uid == 0) continue;  // "runs as root" above
    if (auto why = id_outside_range(uid, IdKind::uid, profile, host.identities)) out.push_back("uid " + std::to_string(uid) + " " + *why);
  }
  for (auto gid : gids) {
    if (auto why = id_outside_range(gid, IdKind::gid, profile, host.identities)) out.push_back("gid " + std::to_string(gid) + " " + *why);
  }
  for (auto gid : live.groups) {
    if (gids.contains(gid)) continue;
    if (auto why = id_outside_range(gid, IdKind::gid, profile, host.identities)) {
      out.push_back("supplementary group " + std::to_string(gid) + " " + *why);
    }
  }
}

}  // namespace

std::vector<std::string> shortfalls(const LivePosture& live, const Profile& profile, const AuditHost& host) {
  std::vector<std::string> out;
  if (live.uid == 0) out.push_back("runs as root (uid 0)");
  const std::uint64_t allowed = mask_of(profile.capabilities_allow);
  for (auto [set, mask] : {std::pair{"effective", live.cap_effective}, std::pair{"bounding", live.cap_bounding},
                           std::pair{"ambient", live.cap_ambient}}) {
    if (const std::uint64_t extra = mask & ~allowed) out.push_back(std::string(set) + " capabilities beyond the allow-list: " + names_of(extra));
  }
  if (profile.no_new_privileges && !live.no_new_privs) out.push_back("no_new_privs is off");
  if (live.seccomp_mode != 2) out.push_back("no seccomp filter (mode " + std::to_string(live.seccomp_mode) + ")");
  if (profile.readonly_rootfs && live.root_readonly != true) out.push_back("the root filesystem is writable");
  if (!live.pids_max || *live.pids_max > profile.pids_max) {
    out.push_back("pids.max " + (live.pids_max ? std::to_string(*live.pids_max) : std::string("unlimited")) + " (profile: " +
                  std::to_string(profile.pids_max) + ")");
  }
  if (!live.memory_max || *live.memory_max > profile.memory_max_bytes) {
    out.push_back("memory limit " + (live.memory_max ? std::to_string(*live.memory_max) : std::string("unlimited")) +
                  " (profile: " + std::to_string(profile.memory_max_bytes) + ")");
  }
  if (!live.cpus || *live.cpus > profile.cpus_max + 1e-9) {
    out.push_back("CPU " + (live.cpus ? text(*live.cpus) : std::string("unlimited")) + " (profile: " + text(profile.cpus_max) + ")");
  }
  identity_shortfalls(live, profile, host, out);
  mount_shortfalls(live, profile, host, out);
  return out;
}

}  // namespace hardened
