#include "hardened/host_facts.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>

#include "hardened/json_file.hpp"
#include "hardened/lexical_path.hpp"
#include "hardened/mountinfo.hpp"
#include "hardened/real_paths.hpp"
#include "hardened/split.hpp"

namespace hardened {
namespace {

// /proc/self/ns/<file> for an OCI namespace type: we run in the host's namespaces, as dockerd does.
const char* ns_file(const std::string& type) {
  if (type == "network") return "net";
  if (type == "mount") return "mnt";
  for (const char* same : {"pid", "ipc", "uts", "user", "cgroup", "time"}) {
    if (type == same) return same;
  }
  return nullptr;
}

bool same_inode(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

// `inner` (lexical, "/" for the top) below the directory `base`.
std::string below(const std::string& base, const std::string& inner) { return inner == "/" ? base : base + inner; }

// runc's systemd.ExpandSlice: "kubepods-besteffort.slice" -> "/kubepods.slice/kubepods-besteffort.slice";
// "" when runc would refuse the name (then its systemd driver fails the create itself).
std::string expand_slice(const std::string& slice) {
  constexpr std::string_view suffix = ".slice";
  if (slice.size() <= suffix.size() || !slice.ends_with(suffix) || slice.find('/') != std::string::npos) return "";
  const std::string name = slice.substr(0, slice.size() - suffix.size());
  if (name == "-") return "/";
  std::string path, prefix;
  for (std::string_view component : split(name, '-')) {
    if (component.empty()) return "";
    path += "/" + prefix + std::string(component) + std::string(suffix);
    prefix += std::string(component) + "-";
  }
  return path;
}

// The own cgroup of a v1 hierarchy: the /proc/self/cgroup line whose controllers it has.
std::optional<std::string> own_in(const CgroupHierarchy& hierarchy, const std::map<std::string, std::string>& own) {
  for (const auto& [controllers, path] : own) {
    if (controllers.empty()) continue;
    const auto names = split(controllers, ',');
    if (std::all_of(names.begin(), names.end(), [&](std::string_view n) {
          return std::find(hierarchy.controllers.begin(), hierarchy.controllers.end(), n) != hierarchy.controllers.end();
        })) {
      return path;
    }
  }
  return std::nullopt;
}

CgroupPlace observe_cgroup_dir(const std::string& directory) {
  CgroupPlace place;
  place.directory = directory;
  struct stat st {};
  if (::stat(directory.c_str(), &st) != 0) {
    place.exists = errno != ENOENT && errno != ENOTDIR;  // anything else: there may be something, unseen
    place.readable = !place.exists;
    return place;
  }
  place.exists = true;
  if (!S_ISDIR(st.st_mode)) {
    place.readable = false;
    return place;
  }
  if (auto procs = read_text_file(directory + "/cgroup.procs")) {
    for (std::string_view line : split(*procs, '\n')) {
      if (!line.empty()) place.processes.emplace_back(line);
    }
  } else {
    place.readable = false;
  }
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) {
    place.readable = false;
    return place;
  }
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    bool is_dir = entry->d_type == DT_DIR;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat child {};
      is_dir = ::lstat((directory + "/" + name).c_str(), &child) == 0 && S_ISDIR(child.st_mode);
    }
    if (is_dir) place.children.push_back(name);
  }
  ::closedir(dir);
  std::sort(place.children.begin(), place.children.end());
  return place;
}

}  // namespace

std::vector<CgroupHierarchy> cgroup_hierarchies(const std::vector<MountEntry>& mounts) {
  std::vector<CgroupHierarchy> out;
  for (const auto& entry : mounts) {
    if (entry.fs_type != "cgroup" && entry.fs_type != "cgroup2") continue;
    CgroupHierarchy hierarchy{entry.mount_point, entry.root, {}, entry.fs_type == "cgroup2"};
    if (!hierarchy.unified) {
      for (std::string_view option : split(entry.super_options, ',')) {
        // the mount options of cgroup v1 that are not controllers (cgroup-v1/cgroups.rst)
        if (option.empty() || option == "rw" || option == "ro" || option == "none" || option == "noprefix" || option == "xattr" ||
            option == "clone_children" || option == "cpuset_v2_mode" || option.starts_with("release_agent=")) {
          continue;
        }
        hierarchy.controllers.emplace_back(option);
      }
    }
    out.push_back(std::move(hierarchy));
  }
  return out;
}

std::map<std::string, std::string> parse_proc_cgroup(std::string_view text) {
  std::map<std::string, std::string> out;
  for (std::string_view line : split(text, '\n')) {
    const std::size_t a = line.find(':');
    const std::size_t b = a == std::string_view::npos ? a : line.find(':', a + 1);
    if (b == std::string_view::npos) continue;
    out.emplace(std::string(line.substr(a + 1, b - a - 1)), std::string(line.substr(b + 1)));
  }
  return out;
}

CgroupsPathFacts observe_cgroups_path(const std::string& written, const std::vector<CgroupHierarchy>& hierarchies,
                                      const std::map<std::string, std::string>& own, const std::string& systemd_units) {
  CgroupsPathFacts facts{written, {}, "", false};
  std::vector<std::string> directories;
  // cgroupfs: runc's CleanPath, then an absolute path under each mount, a relative one under runc's own cgroup.
  const std::string inner = lexical_path("/" + written);
  const bool hybrid = std::any_of(hierarchies.begin(), hierarchies.end(), [](const CgroupHierarchy& h) { return !h.unified; });
  for (const auto& hierarchy : hierarchies) {
    if (written.starts_with("/")) {
      directories.push_back(below(hierarchy.mount_point, inner));
    } else if (hierarchy.unified && hybrid) {  // fs.GetOwnCgroupPath(""): the hybrid mount itself
      directories.push_back(below(hierarchy.mount_point, inner));
    } else if (hierarchy.unified) {  // fs2: the parent of runc's own cgroup
      const auto self = own.find("");
      std::string parent = self == own.end() ? "/" : lexical_path(self->second + "/..");
      directories.push_back(below(hierarchy.mount_point, lexical_path(parent + inner)));
    } else {  // fs: runc's own cgroup of this hierarchy, seen from the mount's root
      std::string self = lexical_path(own_in(hierarchy, own).value_or("/"));
      const std::string root = lexical_path(hierarchy.root);
      if (root != "/" && same_or_under(self, root)) self = self == root ? "/" : self.substr(root.size());
      directories.push_back(below(hierarchy.mount_point, lexical_path(self + inner)));
    }
  }
  // systemd: "slice:prefix:name", the scope prefix-name.scope (or the slice `name`) under the slice.
  if (const auto parts = split(written, ':'); parts.size() == 3) {
    const std::string name(parts[2]);
    facts.unit = name.ends_with(".slice") ? name : std::string(parts[1]) + "-" + name + ".scope";
    if (const std::string slice = expand_slice(parts[0].empty() ? "system.slice" : std::string(parts[0])); !slice.empty()) {
      for (const auto& hierarchy : hierarchies) directories.push_back(below(hierarchy.mount_point, lexical_path(slice + "/" + facts.unit)));
    }
    struct stat st {};
    facts.unit_exists = facts.unit.find('/') == std::string::npos && ::lstat((systemd_units + "/" + facts.unit).c_str(), &st) == 0;
  }
  for (const auto& directory : directories) {
    if (std::none_of(facts.places.begin(), facts.places.end(), [&](const CgroupPlace& p) { return p.directory == directory; })) {
      facts.places.push_back(observe_cgroup_dir(directory));
    }
  }
  return facts;
}

std::map<std::string, std::string> parse_apparmor_profiles(std::string_view text) {
  std::map<std::string, std::string> modes;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const std::size_t open = line.rfind(" (");
    if (open == std::string_view::npos || !line.ends_with(')')) continue;
    modes.emplace(std::string(line.substr(0, open)), std::string(line.substr(open + 2, line.size() - open - 3)));
  }
  return modes;
}

HostFacts observe_host(const json& spec, const std::vector<MountEntry>& mount_table) {
  HostFacts facts;
  if (utsname u{}; ::uname(&u) == 0) facts.kernel = parse_kernel_version(u.release).value_or(KernelVersion{});
  RealPaths sources;
  if (const json* mounts = member(spec, "mounts"); mounts != nullptr && mounts->is_array()) {
    for (const auto& mount : *mounts) {
      const json* source = mount.is_object() ? member(mount, "source") : nullptr;
      if (source == nullptr || !source->is_string()) continue;
      const std::string& written = source->get_ref<const std::string&>();
      if (written.empty() || written.front() != '/') continue;  // "proc", "tmpfs", ...: not a host path
      if (auto real = sources.resolve(written); real && real->path != written) facts.resolved_sources[written] = std::move(real->path);
    }
  }
  // A profile the spec names is judged by its mode on this host: one loaded unconfined or in complain
  // mode does not confine (Ubuntu 24.04 loads "runc", "crun" and others flags=(unconfined)).
  const json* process = member(spec, "process");
  const json* apparmor = process != nullptr && process->is_object() ? member(*process, "apparmorProfile") : nullptr;
  if (apparmor != nullptr && apparmor->is_string() && !apparmor->get_ref<const std::string&>().empty()) {
    if (auto list = read_text_file("/sys/kernel/security/apparmor/profiles")) facts.apparmor_modes = parse_apparmor_profiles(*list);
  }
  const json* linux_section = member(spec, "linux");
  const json* namespaces = linux_section != nullptr && linux_section->is_object() ? member(*linux_section, "namespaces") : nullptr;
  if (namespaces != nullptr && namespaces->is_array()) {
    for (const auto& ns : *namespaces) {
      const json* path = ns.is_object() ? member(ns, "path") : nullptr;
      const json* type = ns.is_object() ? member(ns, "type") : nullptr;  // a type that is no string is the rules' to refuse
      const char* file = type != nullptr && type->is_string() ? ns_file(type->get_ref<const std::string&>()) : nullptr;
      if (path == nullptr || !path->is_string() || file == nullptr) continue;
      if (same_inode(path->get<std::string>(), std::string("/proc/self/ns/") + file)) facts.host_namespace_paths.insert(path->get<std::string>());
    }
  }
  // The cgroup runc would put the container in, as it is now (rule cgroups_path). runc is exec'd from
  // this process, so its own cgroup (a relative path's base) is ours; an absolute path (Docker's
  // "/docker/<id>") needs none, and reading /proc/self/cgroup costs a create ~20 us here.
  const json* cgroups_path = linux_section != nullptr && linux_section->is_object() ? member(*linux_section, "cgroupsPath") : nullptr;
  if (cgroups_path != nullptr && cgroups_path->is_string() && !cgroups_path->get_ref<const std::string&>().empty()) {
    const std::string& written = cgroups_path->get_ref<const std::string&>();
    const std::string own = written.starts_with("/") ? "" : read_text_file("/proc/self/cgroup").value_or("");
    facts.cgroups_path = observe_cgroups_path(written, cgroup_hierarchies(mount_table), parse_proc_cgroup(own), "/run/systemd/transient");
  }
  return facts;
}

}  // namespace hardened
