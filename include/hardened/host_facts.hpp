#pragma once
// Looks at the host for what the pure rules need to know about a spec (see HostFacts).
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hardened/harden.hpp"
#include "hardened/mountinfo.hpp"

namespace hardened {

// Every bind mount source of `spec` resolved as realpath(3) would (sources that do not resolve are
// left out: runc fails on them itself); the namespace paths that are the host's own (same inode as
// /proc/self/ns/<type>); the running kernel's version (a Docker-format seccomp profile's minKernel, and
// whether runc can make a bind's flags recursive); when the spec names an AppArmor profile, the profiles the host has loaded, as
// securityfs lists them (/sys/kernel/security/apparmor/profiles, a line "NAME (MODE)" each).
// `mount_table`: this process's mount table (read_own_mount_table), for the cgroup hierarchies.
HostFacts observe_host(const json& spec, const std::vector<MountEntry>& mount_table = {});

// A cgroup hierarchy mounted on this host, from a mountinfo line of type cgroup (v1: one per controller
// set) or cgroup2 (the unified one).
struct CgroupHierarchy {
  std::string mount_point;               // "/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"
  std::string root;                      // the cgroup mounted there ("/" unless a cgroup namespace or a bind)
  std::vector<std::string> controllers;  // v1: "pids", "cpu", "cpuacct", "name=systemd"; v2: none
  bool unified = false;                  // cgroup2
};

// Every cgroup and cgroup2 mount of a mountinfo table, in order. Pure.
std::vector<CgroupHierarchy> cgroup_hierarchies(const std::vector<MountEntry>& mounts);

// /proc/<pid>/cgroup: each line's controllers ("cpu,cpuacct", "name=systemd"; "" for v2) -> its path. Pure.
std::map<std::string, std::string> parse_proc_cgroup(std::string_view text);

// Where runc 1.1 puts a container whose linux.cgroupsPath is `written`, in each of `hierarchies`,
// and what is there now. cgroupfs: an absolute path under each mount (libcontainer/cgroups/fs,
// subsysPath; fs2 _defaultDirPath); a relative one under runc's own cgroup (`own`, /proc/self/cgroup:
// in v1 each controller's, in pure v2 its parent's; in the hybrid unified mount, the mount itself), ".."
// cleaned away as runc's CleanPath does. systemd ("slice:prefix:name"): the scope prefix-name.scope
// under the slice expanded ("a-b.slice" -> /a.slice/a-b.slice), and whether systemd already has that
// unit (a file of that name in `systemd_units`, /run/systemd/transient, where every scope's is).
// Reads only below the mount points and `systemd_units`.
CgroupsPathFacts observe_cgroups_path(const std::string& written, const std::vector<CgroupHierarchy>& hierarchies,
                                      const std::map<std::string, std::string>& own, const std::string& systemd_units);

// The text of that list -> each profile's name -> its mode. Pure.
std::map<std::string, std::string> parse_apparmor_profiles(std::string_view text);

}  // namespace hardened
