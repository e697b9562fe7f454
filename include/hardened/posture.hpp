#pragma once
// A running container's live posture, as the kernel reports it for its init process, and where it
// falls short of a profile. `hardened-runtime audit` reads one per container; the comparison is pure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hardened/identity.hpp"
#include "hardened/mountinfo.hpp"
#include "hardened/profile.hpp"

namespace hardened {

// One line of a mountinfo file (proc(5)).
struct LiveMount {
  std::string device;       // "major:minor" of the filesystem
  std::string root;         // the path within that filesystem that is mounted here
  std::string mount_point;  // where, as the process sees it
  std::string fs_type;      // "ext4", "proc", "tmpfs", ...
  bool read_only = false;   // the mount's own options ("ro"), not the superblock's
  bool noexec = false;
  bool directory = true;    // false for a file bind mount (/etc/hosts), as the edge found it
  bool operator==(const LiveMount&) const = default;
};

struct LivePosture {
  std::uint32_t uid = 0;
  std::vector<std::uint32_t> uids, gids, groups;  // real, effective, saved, fs; the same for gids; supplementary
  std::uint64_t cap_effective = 0, cap_bounding = 0, cap_ambient = 0;
  bool no_new_privs = false;
  int seccomp_mode = 0;                  // 2: a filter
  std::optional<bool> root_readonly;     // nullopt: not found in mountinfo
  std::optional<std::int64_t> pids_max;  // nullopt: unlimited
  std::optional<std::int64_t> memory_max;
  std::optional<double> cpus;            // quota / period; nullopt: unlimited
  std::vector<LiveMount> mounts;         // its mount namespace, from /proc/<pid>/mountinfo
};

// What the audit compares a container's identities and mounts with: the host's accounts, and the
// host's own mount table (to tell which host directory or kernel filesystem a container's mount shows).
struct AuditHost {
  HostIdentities identities;
  std::vector<MountEntry> mounts;
};

// One line per way the posture is looser than `profile`; empty when it meets it.
std::vector<std::string> shortfalls(const LivePosture& live, const Profile& profile, const AuditHost& host = {});

// mountinfo text (proc(5)) -> its mounts, paths unescaped ("\040" is a space). `directory` is left true.
std::vector<LiveMount> live_mounts(std::string_view mountinfo);

// Reads /proc/<pid>/status, /proc/<pid>/mountinfo (each mount point stat'ed through /proc/<pid>/root
// to tell a file from a directory) and the process's cgroup (v1 or v2) files.
Result<LivePosture> read_live_posture(long pid);

}  // namespace hardened
