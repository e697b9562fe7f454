#include "hardened/host_facts.hpp"

#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <map>

#include "hardened/json_file.hpp"
#include "hardened/real_paths.hpp"

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

HostFacts observe_host(const json& spec) {
  HostFacts facts;
  if (utsname u{}; ::uname(&u) == 0) facts.kernel = parse_kernel_version(u.release).value_or(KernelVersion{});
  RealPaths sources;
  if (const json* mounts = member(spec, "mounts"); mounts != nullptr && mounts->is_array()) {
    for (const auto& mount : *mounts) {
      const json* source = mount.is_object() ? member(mount, "source") : nullptr;
      if (source == nullptr || !source->is_string()) continue;
      const std::string& written = source->get_ref<const std::string&>();
      if (written.empty() || written.front() != '/') continue;  // "proc", "tmpfs", ...: not a host path
      if (auto real = sources.resolve(written); real && *real != written) facts.resolved_sources[written] = *real;
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
  return facts;
}

}  // namespace hardened
