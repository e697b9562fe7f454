#pragma once
// A running container's live posture, as the kernel reports it for its init process, and where it
// falls short of a profile. `hardened-runtime audit` reads one per container; the comparison is pure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hardened/profile.hpp"

namespace hardened {

struct LivePosture {
  std::uint32_t uid = 0;
  std::uint64_t cap_effective = 0, cap_bounding = 0, cap_ambient = 0;
  bool no_new_privs = false;
  int seccomp_mode = 0;                  // 2: a filter
  std::optional<bool> root_readonly;     // nullopt: not found in mountinfo
  std::optional<std::int64_t> pids_max;  // nullopt: unlimited
  std::optional<std::int64_t> memory_max;
  std::optional<double> cpus;            // quota / period; nullopt: unlimited
};

// One line per way the posture is looser than `profile`; empty when it meets it.
std::vector<std::string> shortfalls(const LivePosture& live, const Profile& profile);

// Reads /proc/<pid>/status, /proc/<pid>/mountinfo and the process's cgroup (v1 or v2) files.
Result<LivePosture> read_live_posture(long pid);

}  // namespace hardened
