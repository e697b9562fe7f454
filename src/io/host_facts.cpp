#include "hardened/host_facts.hpp"

#include <climits>
#include <cstdlib>

namespace hardened {

HostFacts observe_host(const json& spec) {
  HostFacts facts;
  const json* mounts = member(spec, "mounts");
  if (mounts == nullptr || !mounts->is_array()) return facts;
  for (const auto& mount : *mounts) {
    const json* source = mount.is_object() ? member(mount, "source") : nullptr;
    if (source == nullptr || !source->is_string()) continue;
    const std::string& written = source->get_ref<const std::string&>();
    if (written.empty() || written.front() != '/') continue;  // "proc", "tmpfs", ...: not a host path
    char real[PATH_MAX];
    if (::realpath(written.c_str(), real) != nullptr && written != real) facts.resolved_sources[written] = real;
  }
  return facts;
}

}  // namespace hardened
