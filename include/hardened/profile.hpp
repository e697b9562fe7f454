#pragma once
// A host policy profile (profiles/*.json), parsed and checked once; the hardening rules read only this.
// The file format is documented in profiles/README.md. `extends` is resolved before parsing (see
// merge_profile_documents): a Profile is always the complete, merged policy.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

enum class Mode { enforce, audit };
std::string_view mode_name(Mode mode);
std::optional<Mode> parse_mode(std::string_view name);  // "enforce", "audit"

// What to do with process.env entries that look like secrets (values are never logged).
struct SecretsPolicy {
  enum class Action { off, warn, refuse };
  Action action = Action::warn;
  std::vector<std::string> name_patterns;   // globs on the variable name, case-insensitive: "*PASSWORD*"
  std::vector<std::string> value_patterns;  // globs on the value: "*-----BEGIN*PRIVATE KEY-----*"
  std::size_t entropy_min_length = 0;       // 0: no entropy check
  double entropy_min_bits = 0;              // Shannon bits per character at or above which a value is flagged

  bool operator==(const SecretsPolicy&) const = default;
};

struct Profile {
  std::string name;
  std::string description;
  std::optional<Mode> mode;  // unset: the host config's mode

  std::vector<std::string> capabilities_allow;    // "CAP_NET_BIND_SERVICE", ...; empty = drop all
  std::vector<std::string> capabilities_ambient;  // kept caps raised to ambient when root is replaced
  std::vector<std::string> capabilities_deny;     // requested -> the container is refused
  bool no_new_privileges = true;

  bool readonly_rootfs = true;
  std::vector<json> tmpfs;  // OCI mount objects added where the container mounts nothing
  std::vector<std::string> bind_options;  // added to every bind mount: "nosuid", "nodev"
  // W^X: every writable mount (tmpfs, bind, volume) gets noexec,nosuid,nodev unless its destination is
  // listed in exec_allowed; an "exec" the request asked for is removed (a change) or refused.
  std::vector<std::string> exec_allowed;  // destinations, exact: "/opt/cache"
  enum class WritableExec { noexec, refuse };
  WritableExec writable_exec = WritableExec::noexec;

  std::uint32_t uid = 1001;  // replaces uid 0
  std::uint32_t gid = 1001;  // replaces gid 0
  // Which other uids/gids a container may run as (identity.hpp judges one against these and the host).
  enum class HostAccounts { all, services, none };  // host accounts refused at or above the minimum
  enum class Outside { refuse, remap };              // process uid/gid outside the range
  enum class ExtraGroups { remove, refuse };         // process.user.additionalGids outside the range
  std::optional<std::uint32_t> ids_min;  // nullopt: the host's UID_MIN / GID_MIN (/etc/login.defs)
  HostAccounts host_accounts = HostAccounts::services;
  std::vector<std::uint32_t> ids_allowed{65534, 65535};  // allowed whatever the rest says: nobody, the pause image
  Outside ids_outside = Outside::refuse;
  ExtraGroups additional_gids_outside = ExtraGroups::remove;

  std::int64_t pids_max = 100;
  std::int64_t memory_max_bytes = 512LL * 1024 * 1024;
  double cpus_max = 1.0;
  std::int64_t cpu_period_us = 100000;  // used when the container sets no period
  // The other forms of a resource request: linux.resources.unified, memory.disableOOMKiller,
  // process.oomScoreAdj below 0 and process.rlimits above rlimits_max are clamped, or refused.
  enum class Excess { clamp, refuse };
  Excess beyond_ceilings = Excess::clamp;
  struct RlimitCeiling {
    std::string type;  // "RLIMIT_NOFILE"
    std::uint64_t max;
    bool operator==(const RlimitCeiling&) const = default;
  };
  std::vector<RlimitCeiling> rlimits_max{{"RLIMIT_CORE", 0},          {"RLIMIT_MEMLOCK", 536870912}, {"RLIMIT_MSGQUEUE", 819200},
                                         {"RLIMIT_NICE", 0},          {"RLIMIT_NOFILE", 1048576},    {"RLIMIT_NPROC", 65536},
                                         {"RLIMIT_RTPRIO", 0}};

  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;

  bool deny_privileged = true;                    // a blanket allow of every host device (--privileged)
  std::vector<std::string> deny_host_namespaces;  // "pid", "ipc", ... shared with the host
  std::vector<std::string> deny_bind_sources;     // host paths (and what is inside) never bind mounted
  std::vector<std::string> deny_bind_sources_exact;    // host directories never bind mounted as a whole
  std::vector<std::string> bind_sources_allowed;  // globs ('*' = one path component) exempt from both
  bool deny_devices = true;                       // host devices beyond devices_allowed
  std::vector<std::string> devices_allowed;       // "/dev/fuse", ...
  bool deny_sysctls = true;                       // sysctls beyond sysctls_allowed
  bool deny_device_nodes = true;                  // a mount over /dev, /dev/null, /dev/pts, ... (device_nodes.cpp)
  bool deny_lsm_unconfined = true;                // AppArmor "unconfined" or an SELinux type it does not confine
  bool deny_runtime_annotations = true;           // annotations crun or runc act on: run.oci.*, org.systemd.property.*
  std::vector<std::string> sysctls_allowed;       // names, or prefixes ending in '*'

  SecretsPolicy secrets;

  // The programs a spec's hooks may run (hooks.cpp): runc starts a hook on the host, as root, outside
  // the container and its limits, so any other hook is refused.
  struct HookProgram {
    std::string program;  // absolute path: the hook's program must be this file (device and inode)
    // The hook's whole args, one pattern per argument (fnmatch(3), flags 0), as many as there are:
    // what a program does is chosen by its arguments (Docker's hook names the container whose network
    // dockerd moves). The pattern kContainerId is the id of the container being created and nothing
    // else. nullopt: any args (loose: the listed program may then be made to do anything it can).
    std::optional<std::vector<std::string>> args;
    static constexpr std::string_view kContainerId = "<container-id>";
    bool operator==(const HookProgram&) const = default;
  };
  std::vector<HookProgram> hooks_allowed;

  json seccomp;                 // an OCI LinuxSeccomp, or Docker's format (seccomp_docker_format); raw_json: not read yet
  bool seccomp_docker_format = false;
  std::vector<std::string> seccomp_deny;  // names removed from every allow rule (after Docker resolution)

  // Keys the profile file lacks, which took the built-in default profile's values ("resources.pids_max").
  std::vector<std::string> defaulted;

  [[nodiscard]] std::int64_t cpu_quota_max(std::int64_t period_us) const;
  bool operator==(const Profile&) const = default;
};

// `name` is the profile's name as selected (the file is <name>.json); `document` its parsed content,
// with `extends` already resolved. Every key is optional: a missing one takes the value of the built-in
// default profile (profiles/default.json as built in, the strict values), so a profile written today
// stays valid when a later version adds a key; Profile::defaulted lists them. Unknown keys are refused.
Result<Profile> parse_profile(json document, const std::string& name);
// A filter parse_profile found kept as text (FilterForm::text, loading.hpp) read and checked as
// parse_profile checks one; nothing to do for a filter read as a document.
Result<void> expand_profile_filter(Profile& profile);

// profiles/default.json as this binary was built with it (written into the build by CMake).
std::string_view builtin_default_profile_text();

// A profile that `extends` another: the parent's document with the child's applied as a JSON merge
// patch (RFC 7386: objects merge key by key, any other value, lists included, replaces the parent's;
// null removes a key). The result has no "extends".
json merge_profile_documents(json parent, const json& child);

// Profile names are file names in profiles_dir: letters, digits, '-', '_', '.', not starting with '.'.
bool is_valid_profile_name(const std::string& name);

}  // namespace hardened
