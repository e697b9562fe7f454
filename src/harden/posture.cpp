#include "hardened/posture.hpp"

#include <cctype>
#include <cstdio>

#include "hardened/capability_names.hpp"

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

}  // namespace

std::vector<std::string> shortfalls(const LivePosture& live, const Profile& profile) {
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
  return out;
}

}  // namespace hardened
