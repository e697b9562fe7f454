#pragma once
// A host policy profile (profiles/*.json), parsed and checked once; the hardening rules read only this.
// The file format is documented in profiles/README.md.
#include <cstdint>
#include <string>
#include <vector>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

struct Profile {
  std::string name;
  std::string description;

  std::vector<std::string> capabilities_allow;  // "CAP_NET_BIND_SERVICE", ...; empty = drop all
  bool no_new_privileges = true;

  bool readonly_rootfs = true;
  std::vector<json> tmpfs;  // OCI mount objects added where the container mounts nothing

  std::uint32_t uid = 1001;  // replaces uid 0
  std::uint32_t gid = 1001;  // replaces gid 0

  std::int64_t pids_max = 100;
  std::int64_t memory_max_bytes = 512LL * 1024 * 1024;
  double cpus_max = 1.0;
  std::int64_t cpu_period_us = 100000;  // used when the container sets no period

  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;

  bool deny_privileged = true;                  // a blanket allow of every host device (--privileged)
  std::vector<std::string> deny_host_namespaces;  // "pid", "ipc", ... shared with the host
  std::vector<std::string> deny_bind_sources;     // host paths that must never be bind mounted

  json seccomp;  // an OCI LinuxSeccomp object, default-deny

  [[nodiscard]] std::int64_t cpu_quota_max(std::int64_t period_us) const;
};

// `name` is the profile's name as selected (the file is <name>.json); `document` its parsed content.
Result<Profile> parse_profile(json document, const std::string& name);

// Profile names are file names in profiles_dir: letters, digits, '-', '_', '.', not starting with '.'.
bool is_valid_profile_name(const std::string& name);

}  // namespace hardened
