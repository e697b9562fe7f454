#pragma once
// The policy transform: a pure function (spec, profile) -> (spec, changes), no I/O.
// Rules run in this fixed order: first the refusals (deny, secrets), collected all at once, then the
// rewrites: capabilities, no_new_privileges, user, rootfs, mounts, resources, seccomp, paths.
// Each rule is a meet: the result is at least as strict as both the request and the profile, and
// applying the transform to its own output changes nothing.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hardened/container_labels.hpp"
#include "hardened/current_cpu.hpp"
#include "hardened/docker_seccomp.hpp"
#include "hardened/error.hpp"
#include "hardened/identity.hpp"
#include "hardened/json_fields.hpp"
#include "hardened/profile.hpp"

namespace hardened {

struct Change {
  std::string rule;    // "capabilities", "user", ...
  std::string detail;  // what changed, for the audit log
};
using Changes = std::vector<Change>;

// A refusal or a warning: the rule that found it and a message that says why and what to do.
struct Finding {
  std::string rule;     // "deny.privileged", "secrets", ...
  std::string message;  // never holds a secret's value
};
using Findings = std::vector<Finding>;

// What a host path really is (src/io/mount_facts.cpp): the object behind it (fstat of an O_PATH fd,
// symlinks followed) and the mount that holds it, so two spellings of one object compare equal.
struct MountedObject {
  std::string path;  // the path it was reached by, resolved (symlinks followed, relative to the bundle)
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::uint32_t mode = 0;  // st_mode: file type and permission bits
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::string group;          // the name of gid, for a unix socket
  std::string fs_type;        // of the mount that holds it: "ext4", "tmpfs", "proc", ...
  std::string fs_device;      // that mount's major:minor: the filesystem
  std::string fs_source;      // that mount's source field ("proc", "/dev/sda1", ...)
  std::string mount_point;    // where that mount is on the host
  std::string mount_root;     // the root of that mount within its filesystem ("/" unless a bind)
  std::string path_in_fs;     // the object's own path within its filesystem
  std::string host_name;      // the host's own name for it: where its filesystem's root is mounted + path_in_fs
  std::vector<std::pair<std::string, std::string>> sockets;  // a directory's unix sockets directly inside: (name, group)
  std::string controlled;     // a component of path owned by a non-root uid or writable by others ("" none)
};

// One cgroup directory that linux.cgroupsPath reaches in one cgroup hierarchy of this host
// (src/io/host_facts.cpp): runc puts the container's processes there and writes its limits into it.
struct CgroupPlace {
  std::string directory;                // "/sys/fs/cgroup/pids/docker/<id>"
  bool exists = false;
  bool readable = true;                 // false: it exists but its cgroup.procs or entries could not be read
  std::vector<std::string> processes;   // the pids in its cgroup.procs
  std::vector<std::string> children;    // its child cgroups (subdirectories), by name
};

// What linux.cgroupsPath names on this host, for rule cgroups_path: whether the cgroup is new (the
// container's own) or already someone's. Observed only when the spec has a cgroupsPath; the form
// decides the directories (both when the text fits both, since the form runc uses is its
// --systemd-cgroup flag, not the spec's).
struct CgroupsPathFacts {
  std::string written;                  // linux.cgroupsPath as observed
  std::vector<CgroupPlace> places;      // every hierarchy mounted here, for every form the text has
  std::string unit;                     // systemd form: the scope runc would start ("docker-<id>.scope"), else ""
  bool unit_exists = false;             // systemd already has that unit (its transient unit file is there)
};

// What the edge observed on the host for this spec, so the pure rules can use it.
struct HostFacts {
  // Each bind mount source as written -> the object it is. Absent when not observed (then only the
  // written path is judged).
  std::map<std::string, MountedObject> bind_objects;
  // Bind sources that could not be opened when checked (missing), as written -> a directory on runc's
  // way someone other than root could change (controlled_component; "" none): they could make it.
  // Only when nothing is staged: otherwise stage.cpp asks the same when it stages.
  std::map<std::string, std::string> unopened_sources;
  // The paths the rules name (deny lists, runtime paths, hooks.allowed) -> what is there on this host.
  std::map<std::string, MountedObject> named_objects;
  // Each hook's path as written ("/proc/11955/exe") -> the program file it reaches now (hooks.cpp),
  // absent when there is none. hooks_observed: the edge looked (a create always does); the unit tests of
  // other rules leave it unset, and then hooks are not judged.
  std::map<std::string, MountedObject> hook_programs;
  bool hooks_observed = false;
  // This runtime's own program file: a hook that runs it is the unstage hook an earlier create of the
  // same bundle left (stage.cpp), dropped since staging adds the one this container needs.
  std::optional<MountedObject> runtime_program;
  // The id of the container being created (runc create's first positional argument), the only value
  // hooks.allowed's "<container-id>" matches: Docker's hook names the container whose network dockerd
  // moves. "" when not known (explain without --id): then no hook argument is taken for it.
  std::string container_id;
  // The runtime's own files and directories (host config, profiles_dir, state_dir, audit log).
  std::vector<std::string> runtime_paths;
  // Whether the edge stages every bind source (stage.hpp): otherwise a source that a non-root user
  // could swap before runc mounts it (MountedObject::controlled) is refused.
  bool sources_staged = false;
  // Each bind mount source as written -> the path it resolves to (symlinks followed), where that differs.
  std::map<std::string, std::string> resolved_sources;
  // Each mount destination as written -> the path in the container runc mounts on, where that differs:
  // runc resolves it inside the rootfs, symlinks followed (an image's x -> /dev/null), after the mounts
  // before it are made (mount_destinations.hpp).
  std::map<std::string, std::string> resolved_destinations;
  // Namespace paths in linux.namespaces that are the host's own namespace (same inode as ours), such
  // as dockerd's /var/run/docker/netns/default for --network host.
  std::set<std::string> host_namespace_paths;
  // The AppArmor profiles loaded on this host -> their mode ("enforce", "complain", "unconfined", ...),
  // read only when the spec names a profile (none: no AppArmor, or not asked).
  std::map<std::string, std::string> apparmor_modes;
  KernelVersion kernel;  // Docker-format seccomp minKernel; recursive mount flags (rules.hpp); 0.0 = unknown
  HostIdentities identities;  // the host's accounts and UID_MIN/GID_MIN, for the user rule
  // The uid this runtime runs as: a user namespace's mappings are judged only for root's (id_mappings.cpp).
  std::uint32_t caller_uid = 0;
  // linux.cgroupsPath's cgroup as it is now (rule cgroups_path); absent when the spec names none, or
  // the edge did not look (unit tests of other rules): then it is not judged.
  std::optional<CgroupsPathFacts> cgroups_path;
};

// A bind mount: type "bind", or "bind"/"rbind" among its options (how dockerd writes them).
bool is_bind(const json& mount);

struct Hardened {
  json document;
  Changes changes;
  Findings denials;   // non-empty: the container is refused (in enforce mode)
  Findings warnings;  // reported, not refused
};

// What the seccomp rule made of one container's filter and one profile's: the met filter as JSON text,
// and the change it noted ("" for none). A create finds it in the seccomp memo (seccomp_memo.hpp)
// when an earlier create met the very same inputs.
struct MetFilter {
  std::string filter;
  std::string change;
};

// Everything the profile says about a bundle's config.json: the hardened spec, and every refusal and
// warning. Fails only when the spec itself is malformed. Takes its own profile: the seccomp rule moves
// the profile's filter into the spec instead of copying it (a create gives it the profile it loaded).
// `known`: the seccomp rule's result for these very inputs, computed before; the rule then only places it.
Result<Hardened> decide_spec(json spec, Profile profile, const HostFacts& facts = {}, const MetFilter* known = nullptr);

// The paths the profile and the host config name (the runtime's own files, deny.bind_sources and
// bind_sources_exact, hooks.allowed's programs) that deciding this spec compares an object with: the
// runtime's files when it has a bind mount, the deny lists when a bind source is not let through before
// them by bind_sources_allowed (Docker's own resolv.conf, hostname and hosts are), the programs when it
// has a hook. The edge identifies only these (observe_named_paths), after the bind sources: a path left
// out is one no rule reads. Never fewer than the rules read; looking at more is only slower.
std::vector<std::string> named_paths_to_observe(const json& spec, const Profile& profile, const HostFacts& facts);

// decide_spec for enforcement: fails with refusal_message() when anything is refused.
Result<Hardened> harden_spec(json spec, const Profile& profile, const HostFacts& facts = {});

// All refusals in one message, the way docker run shows it.
std::string refusal_message(const Findings& denials);

// As the audit trail and explain --json write them: {"rule", "change"} and {"rule", "message"}.
void to_json(json& out, const Change& change);
void to_json(json& out, const Finding& finding);

// A process object (runc exec --process FILE): capabilities, noNewPrivileges, user (judged against
// the host's identities), oomScoreAdj and rlimits. A user outside the profile's range is a denial, and
// so is an AppArmor profile or SELinux label other than the container's.
Result<Hardened> harden_process(json process, const Profile& profile, const HostIdentities& host = {}, const ContainerLabels& container = {});

// The LinuxResources of `runc update`, clamped to the profile's ceilings. 0 means "unchanged" to
// runc, so it stays 0; -1 ("unlimited") and anything above a ceiling become the ceiling. `unified`
// and memory.disableOOMKiller are judged as at create (clamped, or denials).
// `current` is the container's CPU period and quota as they are now (read from its cgroup): an update
// naming only one of them keeps the other, and the pair still meets the ceiling.
Result<Hardened> clamp_update_resources(json resources, const Profile& profile, const CurrentCpu& current = {});

}  // namespace hardened
