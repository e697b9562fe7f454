// linux.cgroupsPath: the cgroup runc puts the container in. runc 1.1 joins whatever cgroup the path
// names, only warning that it is not empty, and then writes the container's limits into it: another
// container's (/docker/<id>), a host service's (/system.slice/containerd.service), or a parent of many
// (/docker, /kubepods, "/"). The victim's pids.max, memory limit and device list become this
// container's, and `runc pause` and `kill --all` reach every process there. ".." is no help: runc
// cleans the path lexically, so it cannot climb above the root, but it can name anything.
//
// Judged by what the cgroup is on this host (HostFacts::cgroups_path, observed in every hierarchy):
// the container's cgroup must be its own, so it is new, or empty with no child cgroups (what an earlier
// create of the same container leaves). Docker, containerd's CRI and podman name a new one each time;
// the pod's or the parent's cgroup they put it under may be busy, and is not named.
//
// The systemd form ("slice:prefix:name") is judged by the scope runc would start, prefix-name.scope,
// whose cgroup is under the slice: runc 1.1 does not fail when systemd already has that unit
// (startUnit ignores "already exists"), it joins its cgroup, and `runc delete` stops the unit. So that
// unit must not exist yet either. A name ending in ".slice" makes runc start (and at delete stop) that
// slice itself, which is shared by everything under it; no engine asks for it, so it is refused.
#include "rules.hpp"

namespace hardened::rules {
namespace {

std::string count(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

// What is in an occupied cgroup ("" when it is the container's own to take).
std::string occupant(const CgroupPlace& place) {
  if (!place.exists) return "";
  if (!place.readable) return "it exists and what is in it cannot be read";
  std::string what;
  if (!place.processes.empty()) what = count(place.processes.size(), "process", "processes") + " (pid " + list_names(place.processes, 4) + ")";
  if (!place.children.empty()) {
    what += (what.empty() ? "" : " and ") + count(place.children.size(), "child cgroup", "child cgroups") + " (" + list_names(place.children, 4) + ")";
  }
  return what;
}

}  // namespace

void cgroups_path(const json& spec, const HostFacts& facts, Findings& denials) {
  const json* path = linux_member(spec, "cgroupsPath");
  if (path == nullptr || !path->is_string() || path->get_ref<const std::string&>().empty()) return;  // runc picks its own
  const std::string& written = path->get_ref<const std::string&>();
  if (!facts.cgroups_path || facts.cgroups_path->written != written) return;  // not observed: see HostFacts
  const CgroupsPathFacts& seen = *facts.cgroups_path;
  const std::string change = "; remove linux.cgroupsPath or name a new cgroup (with docker, --cgroup-parent chooses the parent under "
                             "which dockerd makes the container's own)";
  const std::string head = "refused by rule cgroups_path: linux.cgroupsPath " + written;
  if (seen.unit.ends_with(".slice")) {
    denials.push_back({"cgroups_path", head + " names the systemd slice " + seen.unit +
                                           " as the container's unit, and runc with the systemd cgroup driver would start that slice, "
                                           "shared by everything under it, and stop it when the container is deleted" + change});
    return;
  }
  if (seen.unit_exists) {
    denials.push_back({"cgroups_path", head + " names the systemd unit " + seen.unit +
                                           ", which systemd already has: runc with the systemd cgroup driver would join its cgroup, "
                                           "apply the container's limits to what runs there, and stop the unit when the container is "
                                           "deleted" + change});
    return;
  }
  if (seen.places.empty()) {  // fail closed: no cgroup mount was seen, so whose cgroup it is cannot be told
    denials.push_back({"cgroups_path", head + " cannot be judged: no cgroup hierarchy of this host could be read from "
                                           "/proc/self/mountinfo, so whether that cgroup is someone else's is unknown" + change});
    return;
  }
  std::size_t occupied = 0;
  const CgroupPlace* first = nullptr;
  std::string what;
  for (const auto& place : seen.places) {
    if (std::string here = occupant(place); !here.empty()) {
      if (first == nullptr) first = &place, what = std::move(here);
      ++occupied;
    }
  }
  if (first == nullptr) return;
  denials.push_back({"cgroups_path", head + " names a cgroup that is not the container's own: " + first->directory + " holds " + what +
                                         (occupied > 1 ? " (and " + count(occupied - 1, "other hierarchy", "other hierarchies") + " likewise)" : "") +
                                         ", and runc would put the container there, apply its limits to everything in it, and pause "
                                         "or kill it all with the container" + change});
}

}  // namespace hardened::rules
