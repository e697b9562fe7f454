// hardened-runtime audit: every running container under runc's state roots, its live posture read
// from /proc, and where it falls short of the profile it should have (the one create applied, from its
// creation record, or the one create would apply). Exit status 1 when any falls short, 2 on bad arguments.
#include <glob.h>

#include <cstdio>

#include "hardened/container_state.hpp"
#include "hardened/creation_record.hpp"
#include "hardened/host_identities.hpp"
#include "hardened/json_file.hpp"
#include "hardened/loading.hpp"
#include "hardened/posture.hpp"
#include "hardened/selection.hpp"
#include "hardened/tools.hpp"

namespace hardened {
namespace {

constexpr const char* kAuditHelp =
    "usage: hardened-runtime audit [--root DIR]... [--profile PROFILE] [--config FILE] [--json]\n"
    "Lists the running containers under runc's and crun's state directories and checks each live process against\n"
    "the profile it should have: uid, CapEff/CapBnd/CapAmb, NoNewPrivs, Seccomp, a read-only root in\n"
    "mountinfo, and its cgroup's pids, memory and CPU limits; its uids, gids and supplementary groups\n"
    "against the profile's range and the host's accounts; and its mounts: writable and executable\n"
    "directories, kernel filesystems beyond its own /proc and /sys, and host directories the profile's\n"
    "deny lists refuse (matched by device and path within the filesystem). A container started with\n"
    "--runtime=runc, or before hardened-runtime was installed, shows up as falling short.\n"
    "  --root DIR      a runc or crun state directory (repeatable); default: every\n"
    "                  /run/docker/runtime-*/moby, /run/runc, containerd's /run/containerd/runc/* and /run/crun\n"
    "  --profile P     compare against P instead of the profile each container should have: the one\n"
    "                  hardened-runtime applied at create (its record in state_dir), or for a container it\n"
    "                  did not create, the one it would have applied\n"
    "  --json          one JSON document instead of the table\n"
    "Exits 0 when every container meets its profile, 1 when any falls short.\n";

std::vector<std::string> default_roots() {
  std::vector<std::string> roots;
  for (const char* pattern : {"/run/docker/runtime-*/moby", "/run/runc", "/run/containerd/runc/*", "/run/crun"}) {
    glob_t found{};
    if (::glob(pattern, GLOB_ONLYDIR, nullptr, &found) == 0) {
      for (std::size_t i = 0; i < found.gl_pathc; ++i) roots.emplace_back(found.gl_pathv[i]);
    }
    ::globfree(&found);
  }
  return roots;
}

}  // namespace

int audit_containers(const std::vector<std::string>& argv, System& system) {
  std::vector<std::string> roots;
  std::optional<std::string> config_path, profile_name;
  bool as_json = false;
  for (std::size_t i = 2; i < argv.size(); ++i) {
    if (argv[i] == "--help" || argv[i] == "-h") return std::fputs(kAuditHelp, stdout), 0;
    if (argv[i] == "--json") {
      as_json = true;
    } else if (auto r = tool_option(argv, i, "--root")) {
      roots.push_back(*r);
    } else if (auto c = tool_option(argv, i, "--config")) {
      config_path = c;
    } else if (auto p = tool_option(argv, i, "--profile")) {
      profile_name = p;
    } else {
      std::fprintf(stderr, "hardened-runtime audit: unknown argument '%s'\n%s", argv[i].c_str(), kAuditHelp);
      return 2;
    }
  }
  if (roots.empty()) roots = default_roots();
  auto config = load_host_config_for(config_path, system.getenv(kConfigEnv));
  if (!config) return std::fprintf(stderr, "hardened-runtime audit: %s\n", config.error().message.c_str()), 2;

  // The host as the containers' mounts and ids are judged against: its accounts and its own mounts.
  AuditHost host;
  auto identities = read_host_identities();
  if (!identities) return std::fprintf(stderr, "hardened-runtime audit: %s\n", identities.error().message.c_str()), 2;
  host.identities = std::move(*identities);
  if (auto mountinfo = read_text_file("/proc/self/mountinfo")) host.mounts = parse_mountinfo(*mountinfo);

  json report = json::array();
  int short_count = 0;
  for (const auto& root : roots) {
    for (const auto& container : list_containers(root)) {
      auto live = read_live_posture(container.pid);
      if (!live) continue;  // created or stopped: no process to check
      // The profile hardened-runtime applied when it created the container, or, for one it did not
      // create, the profile it would have applied.
      const auto record = read_creation_record(config->state_dir, container.id);
      const Selection selection = profile_name ? Selection{*profile_name, "--profile", {}}
                                  : record     ? Selection{record->profile, record->selected_by, {}}
                                               : select_profile(*config, std::nullopt, &container.annotations);
      json entry{{"id", container.id}, {"root", root}, {"pid", container.pid}, {"profile", selection.profile},
                 {"through_hardened_runtime", record.has_value()}};
      Findings ignored;
      auto effective = load_effective_profile(*config, selection.profile, &container.annotations, ignored);
      entry["shortfalls"] = effective ? json(shortfalls(*live, effective->profile, host))
                                      : json::array({"cannot load its profile: " + effective.error().message});
      if (!record) entry["shortfalls"].insert(entry["shortfalls"].begin(), "not created through hardened-runtime");
      if (record && record->mode == "audit") entry["shortfalls"].insert(entry["shortfalls"].begin(), "created in audit mode");
      entry["meets_profile"] = entry["shortfalls"].empty();
      short_count += entry["shortfalls"].empty() ? 0 : 1;
      report.push_back(std::move(entry));
    }
  }
  if (as_json) {
    std::puts(json{{"containers", report}, {"falling_short", short_count}}.dump(2).c_str());
  } else {
    std::printf("%-14s %-8s %-10s %s\n", "CONTAINER", "PID", "PROFILE", "POSTURE");
    for (const auto& e : report) {
      const std::string id = e["id"].get<std::string>().substr(0, 12);
      const std::string profile = e["profile"];
      if (e["shortfalls"].empty()) {
        std::printf("%-14s %-8ld %-10s meets its profile\n", id.c_str(), e["pid"].get<long>(), profile.c_str());
        continue;
      }
      for (std::size_t i = 0; i < e["shortfalls"].size(); ++i) {
        const std::string why = e["shortfalls"][i];
        if (i == 0) std::printf("%-14s %-8ld %-10s FALLS SHORT: %s\n", id.c_str(), e["pid"].get<long>(), profile.c_str(), why.c_str());
        else std::printf("%-34s %s\n", "", why.c_str());
      }
    }
    std::printf("%zu running containers, %d falling short of their profile\n", report.size(), short_count);
  }
  return short_count == 0 ? 0 : 1;
}

}  // namespace hardened
