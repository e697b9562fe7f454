#include "hardened/host_facts.hpp"

#include <sys/stat.h>
#include <sys/utsname.h>

#include <climits>
#include <cstdlib>

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

}  // namespace

HostFacts observe_host(const json& spec) {
  HostFacts facts;
  if (utsname u{}; ::uname(&u) == 0) facts.kernel = parse_kernel_version(u.release).value_or(KernelVersion{});
  if (const json* mounts = member(spec, "mounts"); mounts != nullptr && mounts->is_array()) {
    for (const auto& mount : *mounts) {
      const json* source = mount.is_object() ? member(mount, "source") : nullptr;
      if (source == nullptr || !source->is_string()) continue;
      const std::string& written = source->get_ref<const std::string&>();
      if (written.empty() || written.front() != '/') continue;  // "proc", "tmpfs", ...: not a host path
      char real[PATH_MAX];
      if (::realpath(written.c_str(), real) != nullptr && written != real) facts.resolved_sources[written] = real;
    }
  }
  const json* linux_section = member(spec, "linux");
  const json* namespaces = linux_section != nullptr && linux_section->is_object() ? member(*linux_section, "namespaces") : nullptr;
  if (namespaces != nullptr && namespaces->is_array()) {
    for (const auto& ns : *namespaces) {
      const json* path = ns.is_object() ? member(ns, "path") : nullptr;
      const char* file = ns.is_object() ? ns_file(ns.value("type", "")) : nullptr;
      if (path == nullptr || !path->is_string() || file == nullptr) continue;
      if (same_inode(path->get<std::string>(), std::string("/proc/self/ns/") + file)) facts.host_namespace_paths.insert(path->get<std::string>());
    }
  }
  return facts;
}

}  // namespace hardened
