// The live posture of a process, read from /proc and its cgroup files (cgroup v1 controllers, or the
// v2 unified hierarchy).
#include <fstream>
#include <map>
#include <sstream>

#include "hardened/posture.hpp"

namespace hardened {
namespace {

std::optional<std::string> first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  return line;
}

// cgroup v1 reports "unlimited" as a huge page-aligned number, v2 as "max".
std::optional<std::int64_t> limit(const std::optional<std::string>& value) {
  if (!value || *value == "max") return std::nullopt;
  try {
    const long long n = std::stoll(*value);
    return n >= (1LL << 62) || n < 0 ? std::nullopt : std::optional<std::int64_t>(n);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

Result<LivePosture> read_live_posture(long pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream status(proc + "/status");
  if (!status) return fail("process " + std::to_string(pid) + " is not running");
  LivePosture live;
  for (std::string line; std::getline(status, line);) {
    std::istringstream fields(line);
    std::string key, value;
    fields >> key >> value;
    if (key == "Uid:") live.uid = static_cast<std::uint32_t>(std::stoul(value));
    else if (key == "CapEff:") live.cap_effective = std::stoull(value, nullptr, 16);
    else if (key == "CapBnd:") live.cap_bounding = std::stoull(value, nullptr, 16);
    else if (key == "CapAmb:") live.cap_ambient = std::stoull(value, nullptr, 16);
    else if (key == "NoNewPrivs:") live.no_new_privs = value == "1";
    else if (key == "Seccomp:") live.seccomp_mode = std::stoi(value);
  }
  std::ifstream mountinfo(proc + "/mountinfo");
  for (std::string line; std::getline(mountinfo, line);) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, mount_point, options;
    fields >> id >> parent >> dev >> root >> mount_point >> options;
    if (mount_point == "/") live.root_readonly = ("," + options + ",").find(",ro,") != std::string::npos;
  }
  std::map<std::string, std::string> cgroups;  // controller ("" for v2) -> path
  std::ifstream cgroup(proc + "/cgroup");
  for (std::string line; std::getline(cgroup, line);) {
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::istringstream controllers(line.substr(a + 1, b - a - 1));
    for (std::string c; std::getline(controllers, c, ',');) cgroups[c] = line.substr(b + 1);
    if (a + 1 == b) cgroups[""] = line.substr(b + 1);
  }
  if (cgroups.contains("pids")) {
    live.pids_max = limit(first_line("/sys/fs/cgroup/pids" + cgroups["pids"] + "/pids.max"));
    live.memory_max = limit(first_line("/sys/fs/cgroup/memory" + cgroups["memory"] + "/memory.limit_in_bytes"));
    const std::string cpu = "/sys/fs/cgroup/cpu" + cgroups["cpu"];
    const auto quota = limit(first_line(cpu + "/cpu.cfs_quota_us"));
    const auto period = limit(first_line(cpu + "/cpu.cfs_period_us"));
    if (quota && period && *period > 0) live.cpus = static_cast<double>(*quota) / static_cast<double>(*period);
  } else if (cgroups.contains("")) {
    const std::string dir = "/sys/fs/cgroup" + cgroups[""];
    live.pids_max = limit(first_line(dir + "/pids.max"));
    live.memory_max = limit(first_line(dir + "/memory.max"));
    if (auto cpu = first_line(dir + "/cpu.max")) {
      std::istringstream fields(*cpu);
      std::string quota, period;
      fields >> quota >> period;
      const auto q = limit(quota), p = limit(period);
      if (q && p && *p > 0) live.cpus = static_cast<double>(*q) / static_cast<double>(*p);
    }
  }
  return live;
}

}  // namespace hardened
