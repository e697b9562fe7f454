// The live posture of a process, read from /proc and its cgroup files (cgroup v1 controllers, or the
// v2 unified hierarchy).
// No iostreams: they would link the C++ locale machinery into the binary, whose thousands of pointers
// every exec of hardened-runtime (pass-through included) must relocate.
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "hardened/json_file.hpp"
#include "hardened/mountinfo.hpp"
#include "hardened/split.hpp"
#include "hardened/posture.hpp"

namespace hardened {
namespace {

// Whitespace-separated fields of a line.
std::vector<std::string> fields_of(std::string_view line) {
  std::vector<std::string> out;
  for (std::string_view field : split(line, ' ')) {
    for (std::string_view part : split(field, '\t')) {
      if (!part.empty()) out.emplace_back(part);
    }
  }
  return out;
}

// Views into `text`, which must outlive them.
std::vector<std::string_view> lines_of(const Result<std::string>& text) {
  return text ? split(*text, '\n') : std::vector<std::string_view>{};
}

std::optional<std::string> first_line(const std::string& path) {
  auto text = read_text_file(path);
  if (!text || text->empty()) return std::nullopt;
  return std::string(split(*text, '\n').front());
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

std::vector<std::uint32_t> ids_of(const std::vector<std::string>& fields) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 1; i < fields.size(); ++i) out.push_back(static_cast<std::uint32_t>(std::stoul(fields[i])));
  return out;
}

}  // namespace

std::vector<LiveMount> live_mounts(std::string_view mountinfo) {
  std::vector<LiveMount> out;
  for (auto& entry : parse_mountinfo(mountinfo)) {
    LiveMount mount;
    mount.device = std::move(entry.device);
    mount.root = std::move(entry.root);
    mount.mount_point = std::move(entry.mount_point);
    mount.fs_type = std::move(entry.fs_type);
    mount.read_only = has_mount_option(entry, "ro");
    mount.noexec = has_mount_option(entry, "noexec");
    out.push_back(std::move(mount));
  }
  return out;
}

Result<LivePosture> read_live_posture(long pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  const auto status = read_text_file(proc + "/status");
  if (!status) return fail("process " + std::to_string(pid) + " is not running");
  LivePosture live;
  for (std::string_view line : lines_of(status)) {
    const auto fields = fields_of(line);
    if (fields.size() < 2) continue;
    const std::string& key = fields[0];
    const std::string& value = fields[1];
    if (key == "Uid:") live.uid = static_cast<std::uint32_t>(std::stoul(value)), live.uids = ids_of(fields);
    else if (key == "Gid:") live.gids = ids_of(fields);
    else if (key == "Groups:") live.groups = ids_of(fields);
    else if (key == "CapEff:") live.cap_effective = std::stoull(value, nullptr, 16);
    else if (key == "CapBnd:") live.cap_bounding = std::stoull(value, nullptr, 16);
    else if (key == "CapAmb:") live.cap_ambient = std::stoull(value, nullptr, 16);
    else if (key == "NoNewPrivs:") live.no_new_privs = value == "1";
    else if (key == "Seccomp:") live.seccomp_mode = std::stoi(value);
  }
  if (const auto mountinfo = read_text_file(proc + "/mountinfo")) live.mounts = live_mounts(*mountinfo);
  for (auto& mount : live.mounts) {
    if (mount.mount_point == "/") live.root_readonly = mount.read_only;
    // Through the process's own root; lstat, so a link the container planted is not followed.
    struct stat st {};
    if (::lstat((proc + "/root" + mount.mount_point).c_str(), &st) == 0) mount.directory = S_ISDIR(st.st_mode);
  }
  std::map<std::string, std::string> cgroups;  // controller ("" for v2) -> path
  const auto cgroup = read_text_file(proc + "/cgroup");
  for (std::string_view line : lines_of(cgroup)) {
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    if (a + 1 == b) {
      cgroups[""] = line.substr(b + 1);
      continue;
    }
    for (std::string_view c : split(line.substr(a + 1, b - a - 1), ',')) cgroups[std::string(c)] = line.substr(b + 1);
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
    if (auto cpu = first_line(dir + "/cpu.max"); cpu && fields_of(*cpu).size() == 2) {
      const auto fields = fields_of(*cpu);  // "quota period"
      const auto q = limit(fields[0]), p = limit(fields[1]);
      if (q && p && *p > 0) live.cpus = static_cast<double>(*q) / static_cast<double>(*p);
    }
  }
  return live;
}

}  // namespace hardened
