// What a container may mount from the host, judged by what the source IS (facts.bind_objects: the
// object, its filesystem and its path within that filesystem), not by how it is spelled: a Docker
// volume whose _data is a bind of /etc is /etc, a relative source is the bundle's, a symlink is its
// target. Without facts (explain on another host, unit tests) only the written path is judged.
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "hardened/lexical_path.hpp"
#include "rules.hpp"

namespace hardened::rules {
namespace {


// One component per '*' (fnmatch FNM_PATHNAME): "/var/lib/docker/volumes/*/_data".
bool matches_path_glob(const std::string& pattern, const std::string& path) { return ::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0; }

// The pod a CRI container belongs to (containerd's and CRI-O's annotation), when it is a plain id:
// an allowed pattern's "{sandbox}" is that id, so a pod gets its own sandbox's files and never
// another pod's (a hostPath of another pod's shm or hosts). No usable id: "{sandbox}" matches nothing.
std::string sandbox_id(const json& spec) {
  const json* annotations = member(spec, "annotations");
  if (annotations == nullptr || !annotations->is_object()) return "";
  for (const char* key : {"io.kubernetes.cri.sandbox-id", "io.kubernetes.cri-o.SandboxID"}) {
    const json* id = member(*annotations, key);
    if (id == nullptr || !id->is_string()) continue;
    const auto& text = id->get_ref<const std::string&>();
    const bool plain = !text.empty() && text.size() <= 128 &&
                       std::all_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
    if (plain) return text;
  }
  return "";
}

bool allowed_by_pattern(const Profile& profile, const std::string& sandbox, const std::string& path) {
  return std::any_of(profile.bind_sources_allowed.begin(), profile.bind_sources_allowed.end(), [&](std::string glob) {
    const std::string placeholder = "{sandbox}";
    if (const auto at = glob.find(placeholder); at != std::string::npos) {
      if (sandbox.empty()) return false;
      glob.replace(at, placeholder.size(), sandbox);
    }
    return matches_path_glob(glob, path);
  });
}

// The kernel's own interfaces. A bind of one hands the container the host's instance (its processes,
// devices, cgroups, tracing), whatever path it is reached by.
bool is_kernel_filesystem(const std::string& type) {
  static const char* const kTypes[] = {"proc",   "sysfs",    "cgroup",      "cgroup2", "debugfs", "tracefs", "securityfs",
                                       "bpf",    "configfs", "pstore",      "efivarfs", "fusectl", "mqueue",  "binfmt_misc",
                                       "devpts", "devtmpfs", "selinuxfs", "nsfs"};
  return std::any_of(std::begin(kTypes), std::end(kTypes), [&](const char* t) { return type == t; });
}

// Kernel filesystems of which every new mount is the host's one instance: a mount of this type is the
// host's, not a fresh one (proc, sysfs, cgroup, mqueue and devpts are per namespace, and stay allowed).
bool is_host_singleton(const std::string& type) {
  static const char* const kTypes[] = {"debugfs", "tracefs", "securityfs", "configfs", "pstore", "efivarfs", "fusectl", "binfmt_misc", "devtmpfs", "selinuxfs"};
  return std::any_of(std::begin(kTypes), std::end(kTypes), [&](const char* t) { return type == t; });
}

// Filesystems a mount makes afresh for the container, empty or the container's own view (its
// namespaces): the only kinds a mount that is not a bind may have. Any other type (ext4 from a host
// disk, nfs, overlay over host directories, fuse...) hands the container a filesystem of the host's,
// which the bind rules, judging sources, never see.
bool is_fresh_filesystem(const std::string& type) {
  static const char* const kTypes[] = {"tmpfs", "ramfs", "proc", "sysfs", "mqueue", "devpts", "cgroup", "cgroup2"};
  return std::any_of(std::begin(kTypes), std::end(kTypes), [&](const char* t) { return type == t; });
}

bool is_engine_group(const std::string& group) {
  for (const char* g : {"docker", "podman", "containerd", "crio", "cri-o", "lxd", "incus", "incus-admin"}) {
    if (group == g) return true;
  }
  return false;
}

bool is_engine_socket_name(const std::string& path) {
  const std::string base = path.substr(path.rfind('/') + 1);
  for (const char* n : {"docker.sock", "containerd.sock", "containerd.sock.ttrpc", "crio.sock", "podman.sock", "dockershim.sock"}) {
    if (base == n) return true;
  }
  return false;
}

// "volume v's _data" for Docker's and podman's volume paths, else the path.
std::string spelled(const std::string& path) {
  const std::string tail = "/_data";
  const auto volumes = path.rfind("/volumes/");
  if (path.ends_with(tail) && volumes != std::string::npos) {
    const std::string name = path.substr(volumes + 9, path.size() - tail.size() - volumes - 9);
    if (!name.empty() && name.find('/') == std::string::npos) return "volume " + name + "'s _data";
  }
  return path;
}

// "the host's /etc (through volume v's _data)": what the source really is, then how it was reached.
std::string what_it_is(const std::string& written, const MountedObject* object, const std::string& resolved = "") {
  if (object == nullptr) {
    const bool linked = !resolved.empty() && lexical_path(resolved) != lexical_path(written);
    return "host path " + lexical_path(written) + (linked ? " (a symlink to " + lexical_path(resolved) + ")" : "");
  }
  if (object->path == object->host_name && lexical_path(written) != object->path) {
    return "host path " + written + " (a symlink to " + object->path + ")";
  }
  std::string out = "the host's " + object->host_name;
  if (object->path != object->host_name) out += " (through " + spelled(object->path) + ")";
  return out;
}

std::string destination_of(const json& mount) { return mount.value("destination", "?"); }

std::string way_out(const std::string& destination) {
  return "remove the mount of " + destination + " (mounts[].source; docker run -v/--mount)";
}

// Identity relations between a source and a named object (a denied path, the runtime's files).
bool inside(const MountedObject& a, const MountedObject& tree) {
  return same_object(a, tree) || (a.fs_device == tree.fs_device && same_or_under(a.path_in_fs, tree.path_in_fs));
}

enum class Relation { none, same, inside, holds };

// How the source (its written path, its real paths, its identity) relates to the named path `named`.
Relation relation(const std::vector<std::string>& candidates, const MountedObject* object, const std::string& named,
                  const HostFacts& facts) {
  const auto found = facts.named_objects.find(named);
  const MountedObject* target = found == facts.named_objects.end() ? nullptr : &found->second;
  std::vector<std::string> names{lexical_path(named)};
  if (target != nullptr) names.push_back(target->path);
  if (object != nullptr && target != nullptr) {
    if (same_object(*object, *target)) return Relation::same;
    if (inside(*object, *target)) return Relation::inside;
    if (inside(*target, *object)) return Relation::holds;
  }
  for (const auto& name : names) {
    for (const auto& src : candidates) {
      if (src == name) return Relation::same;
      if (same_or_under(src, name)) return Relation::inside;
      if (same_or_under(name, src)) return Relation::holds;
    }
  }
  return Relation::none;
}

std::string relation_words(Relation r, const std::string& named) {
  return r == Relation::inside ? " (inside " + named + ")" : r == Relation::holds ? " (which holds " + named + ")" : "";
}

// The paths of a bind source the deny lists compare with theirs, or nothing when they do not judge it:
// bind_sources_allowed lets it through, or it is relative to a bundle we did not see.
std::optional<std::vector<std::string>> judged_by_deny_lists(const std::string& written, const MountedObject* object, const Profile& profile,
                                                             const std::string& sandbox, const HostFacts& facts) {
  std::vector<std::string> candidates;
  if (object == nullptr) {
    if (written.empty() || written.front() != '/') return std::nullopt;
    candidates.push_back(lexical_path(written));
    if (auto it = facts.resolved_sources.find(written); it != facts.resolved_sources.end()) candidates.push_back(lexical_path(it->second));
    const bool exempt = std::all_of(candidates.begin(), candidates.end(),
                                    [&](const std::string& src) { return allowed_by_pattern(profile, sandbox, src); });
    if (exempt) return std::nullopt;
    return candidates;
  }
  const bool named_by_pattern = allowed_by_pattern(profile, sandbox, object->path);
  // The pattern names Docker's own file or volume; it lets that through only when the object is one:
  // the host's own name for it is the path the pattern matched. Something else mounted there is judged
  // as what it really is: a bind of /etc, and also of a filesystem's root (a volume made with
  // device=/ or device=/home: its mount's root is "/", but the host knows that filesystem as / or /home).
  const bool is_what_it_is_called = object->host_name == object->path;
  if (named_by_pattern && is_what_it_is_called) return std::nullopt;
  candidates.push_back(object->host_name);
  if (!named_by_pattern) {
    if (!written.empty() && written.front() == '/') candidates.push_back(lexical_path(written));
    candidates.push_back(object->path);
  }
  return candidates;
}

void deny_lists(const json& mount, const std::string& written, const MountedObject* object, const Profile& profile, const std::string& sandbox,
                const HostFacts& facts, Findings& denials) {
  const auto judged = judged_by_deny_lists(written, object, profile, sandbox, facts);
  if (!judged) return;
  const std::vector<std::string>& candidates = *judged;
  for (bool subtree : {true, false}) {
    const auto& list = subtree ? profile.deny_bind_sources : profile.deny_bind_sources_exact;
    for (const auto& denied : list) {
      Relation r = relation(candidates, object, denied, facts);
      if (!subtree && r == Relation::inside) r = Relation::none;  // exact: the directory itself, or what holds it
      if (r == Relation::none) continue;
      const std::string key = subtree ? "deny.bind_sources" : "deny.bind_sources_exact";
      const auto link = facts.resolved_sources.find(written);
      const std::string resolved = link == facts.resolved_sources.end() ? "" : link->second;
      denials.push_back({key, "refused by rule " + key + ": the container bind-mounts " + what_it_is(written, object, resolved) +
                                  relation_words(r, lexical_path(denied)) + " on " + destination_of(mount) +
                                  ", and that gives control of the host; " + way_out(destination_of(mount)) +
                                  ", or select a profile that does not list " + denied + " in " + key});
      return;
    }
  }
}

void runtime_paths(const json& mount, const std::string& written, const MountedObject* object, const HostFacts& facts, Findings& denials) {
  std::vector<std::string> candidates;
  if (object != nullptr) {
    candidates = {object->host_name, object->path};
  } else if (!written.empty() && written.front() == '/') {
    candidates = {lexical_path(written)};
  }
  for (const auto& own : facts.runtime_paths) {
    const Relation r = relation(candidates, object, own, facts);
    // A read-only view of a directory that holds them (a log shipper's /var/log) reads, cannot change, them.
    if (r == Relation::none || (r == Relation::holds && read_only(mount))) continue;
    denials.push_back({"runtime_paths", "refused by rule runtime_paths: the container " + std::string(read_only(mount) ? "" : "writably ") +
                                            "bind-mounts " + what_it_is(written, object) + relation_words(r, own) + " on " +
                                            destination_of(mount) + ", and " + own +
                                            " is hardened-runtime's own (its config, profiles, state or audit log), which no "
                                            "container may reach whatever its profile says; " + way_out(destination_of(mount)) +
                                            (r == Relation::holds ? ", or mount it read-only (docker run -v SRC:DST:ro)" : "")});
    return;
  }
}

void kernel_and_engine(const json& mount, const std::string& written, const MountedObject* object, Findings& denials) {
  const std::string dest = destination_of(mount);
  if (object != nullptr && is_kernel_filesystem(object->fs_type)) {
    denials.push_back({"kernel_filesystems", "refused by rule kernel_filesystems: the container bind-mounts " + what_it_is(written, object) +
                                                 ", which is the host's " + object->fs_type +
                                                 " filesystem (its processes, devices or kernel settings), on " + dest +
                                                 "; no profile allows this; " + way_out(dest) +
                                                 "; the container gets its own /proc, /sys, /dev/pts and /dev/mqueue without it"});
    return;
  }
  std::string socket;
  if (object != nullptr && S_ISSOCK(object->mode) && (is_engine_group(object->group) || is_engine_socket_name(object->path))) {
    socket = "the container engine socket " + object->host_name + " (group " + object->group + ")";
  } else if (object != nullptr) {
    for (const auto& [name, group] : object->sockets) {
      if (is_engine_group(group) || is_engine_socket_name(name)) {
        socket = "the directory of the container engine socket " + name + " (group " + group + ")";
        break;
      }
    }
  }
  if (socket.empty()) return;
  denials.push_back({"engine_sockets", "refused by rule engine_sockets: the container bind-mounts " + what_it_is(written, object) +
                                           ", " + socket + ", on " + dest +
                                           "; whoever reaches it starts containers as root on the host; no profile allows this; " +
                                           way_out(dest)});
}

// A bind mount's source as written; null when it has none to judge.
const std::string* bind_source(const json& mount) {
  const json* source = member(mount, "source");
  return source != nullptr && source->is_string() ? &source->get_ref<const std::string&>() : nullptr;
}

const MountedObject* bind_object(const HostFacts& facts, const std::string& written) {
  const auto found = facts.bind_objects.find(written);
  return found == facts.bind_objects.end() ? nullptr : &found->second;
}

}  // namespace

void mount_sources(const json& spec, const Profile& profile, const HostFacts& facts, Findings& denials) {
  const json* mounts = member(spec, "mounts");
  if (mounts == nullptr || !mounts->is_array()) return;
  const std::string sandbox = sandbox_id(spec);
  for (const auto& mount : *mounts) {
    if (!mount.is_object()) continue;
    // runc passes "remount" and "move" to mount(2) as MS_REMOUNT and MS_MOVE: the entry then changes the
    // mount already at its destination (the container's root, a bind: the host's filesystem, its
    // superblock's options for every user of it) instead of making one for the container.
    if (const json* options = member(mount, "options"); options != nullptr && options->is_array()) {
      for (const char* word : {"remount", "move"}) {
        if (std::find(options->begin(), options->end(), word) == options->end()) continue;
        denials.push_back({"mount_types", "refused by rule mount_types: the container's mount on " + destination_of(mount) +
                                              " has the option \"" + word + "\", which changes the mount already there, a "
                                              "filesystem of the host's, instead of making one for the container; no profile "
                                              "allows this; remove that option (mounts[].options)"});
      }
    }
    if (!is_bind(mount)) {
      const std::string type = mount.value("type", "");
      if (is_host_singleton(type)) {
        denials.push_back({"kernel_filesystems", "refused by rule kernel_filesystems: the container mounts a " + type + " filesystem on " +
                                                     destination_of(mount) + ", and the kernel has one " + type +
                                                     ", the host's; no profile allows this; remove that mount (mounts[].type)"});
      } else if (const std::string home = type == "proc" ? "/proc" : type == "sysfs" ? "/sys" : ""; !home.empty() && landing(mount, facts) != home) {
        // linux.maskedPaths and readonlyPaths name places under /proc and /sys: a second proc or sysfs
        // elsewhere shows what they hide (/proc/keys, /sys/firmware) and a writable /proc/sys.
        denials.push_back({"mount_types", "refused by rule mount_types: the container mounts a second " + type + " filesystem on " +
                                              destination_of(mount) + ", where linux.maskedPaths and readonlyPaths (which name paths "
                                              "under " + home + ") do not reach, so it shows what they hide; no profile allows this; "
                                              "remove that mount (mounts[].type " + type + ")"});
      } else if (!is_fresh_filesystem(type)) {
        const std::string source = mount.contains("source") && mount["source"].is_string() ? mount["source"].get<std::string>() : "";
        denials.push_back({"mount_types", "refused by rule mount_types: the container mounts " +
                                              (type.empty() ? std::string("a filesystem of no type") : "a filesystem of type " + type) +
                                              (source.empty() ? "" : " from " + source) + " on " + destination_of(mount) +
                                              ": a mount that is not a bind may only make a fresh filesystem for the container "
                                              "(tmpfs, ramfs, proc, sysfs, mqueue, devpts, cgroup, cgroup2), and this one would be "
                                              "the host's; no profile allows this; to share host files, bind-mount a directory "
                                              "(mounts[].type \"bind\"; docker run -v/--mount)"});
      }
      continue;
    }
    const std::string* written_source = bind_source(mount);
    if (written_source == nullptr) continue;
    const std::string& written = *written_source;
    const MountedObject* object = bind_object(facts, written);
    const std::size_t before = denials.size();
    // The profile's lists first (the rule a user most likely knows); then what no profile relaxes.
    deny_lists(mount, written, object, profile, sandbox, facts, denials);
    if (denials.size() == before) kernel_and_engine(mount, written, object, denials);
    if (denials.size() == before) runtime_paths(mount, written, object, facts, denials);
    // Who could change the source on runc's way: the object's path, or the path of one not there yet.
    const auto unopened = facts.unopened_sources.find(written);
    const std::string* controlled = object != nullptr ? &object->controlled
                                    : unopened != facts.unopened_sources.end() ? &unopened->second : nullptr;
    if (denials.size() == before && !facts.sources_staged && controlled != nullptr && !controlled->empty()) {
      const std::string what = object != nullptr ? what_it_is(written, object) : written;
      denials.push_back({"mount_race", "refused by rule mount_race: the container bind-mounts " + what + " on " + destination_of(mount) +
                                           (object != nullptr ? ", and " : ", which was not there when it was checked, and ") + *controlled +
                                           " on its way can be changed by someone other than root, so what runc mounts later may "
                                           "not be what was checked (the host config has no state_dir to stage it in); move the "
                                           "source to a root-owned path (mounts[].source; docker run -v/--mount), or set state_dir"});
    }
  }
}

}  // namespace hardened::rules

namespace hardened {

std::vector<std::string> named_paths_to_observe(const json& spec, const Profile& profile, const HostFacts& facts) {
  bool binds = false;
  bool lists = false;
  const json* mounts = member(spec, "mounts");
  if (mounts != nullptr && mounts->is_array()) {
    const std::string sandbox = rules::sandbox_id(spec);
    for (const auto& mount : *mounts) {
      if (!mount.is_object() || !is_bind(mount)) continue;
      const std::string* written = rules::bind_source(mount);
      if (written == nullptr) continue;
      binds = true;
      lists = lists || rules::judged_by_deny_lists(*written, rules::bind_object(facts, *written), profile, sandbox, facts).has_value();
    }
  }
  std::vector<std::string> named;
  if (binds) named = facts.runtime_paths;
  if (lists) {
    named.insert(named.end(), profile.deny_bind_sources.begin(), profile.deny_bind_sources.end());
    named.insert(named.end(), profile.deny_bind_sources_exact.begin(), profile.deny_bind_sources_exact.end());
  }
  if (const json* hooks = member(spec, "hooks"); hooks != nullptr && !hooks->empty()) {
    for (const auto& allowed : profile.hooks_allowed) named.push_back(allowed.program);
  }
  return named;
}

}  // namespace hardened
