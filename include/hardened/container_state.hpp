#pragma once
// What runc remembers about a created container (<root>/<id>/state.json): its init pid and the OCI
// annotations it was created with. exec and update use the annotations to select the profile create
// used; `hardened-runtime audit` uses both to find the live process and the profile it should meet.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hardened/container_labels.hpp"
#include "hardened/current_cpu.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

inline constexpr const char* kDefaultRuncRoot = "/run/runc";

struct ContainerState {
  std::string id;
  std::string root;  // the runc --root it lives under
  long pid = 0;      // its init process on the host
  json annotations = json::object();  // runc keeps them as "key=value" labels beside "bundle=..."
  // Its cgroup directories: runc's "cgroup_paths" (controller -> directory; "" for a cgroup v2
  // hierarchy), or crun's one "cgroup-path" under each hierarchy.
  std::map<std::string, std::string> cgroup_paths;
  json config_cgroup = json::object();  // runc's config.cgroups as it created or last updated it
  ContainerLabels labels;               // its AppArmor profile and SELinux process label
};

// nullopt when there is no such container (or its state cannot be read).
std::optional<ContainerState> read_container_state(const std::string& root, const std::string& id);

// The container's CPU period and quota now: its cgroup's files (cgroup v1 cpu.cfs_*_us, v2 cpu.max), or
// when they cannot be read, what runc recorded. Unknown values stay nullopt.
CurrentCpu read_current_cpu(const ContainerState& container);

// Every container under `root`, sorted by id.
std::vector<ContainerState> list_containers(const std::string& root);

}  // namespace hardened
