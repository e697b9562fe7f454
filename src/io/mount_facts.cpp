#include "hardened/mount_facts.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <vector>

#include "hardened/host_identities.hpp"
#include "hardened/json_file.hpp"
#include "hardened/lexical_path.hpp"
#include "hardened/real_paths.hpp"
#include "hardened/split.hpp"

namespace hardened {
namespace {

// "/a/b" under "/a" -> "/b"; under "/" -> itself.
std::string relative_to(const std::string& path, const std::string& dir) {
  if (dir == "/") return path;
  if (path == dir) return "/";
  return path.substr(dir.size());
}

std::string joined(const std::string& root, const std::string& rest) {
  if (rest == "/") return root;
  return root == "/" ? rest : root + rest;
}

// The id of the mount that holds `fd`'s object: statx's (Linux 5.8), else the fd's fdinfo.
std::optional<int> mount_id_of(int fd, const struct statx& st) {
  if ((st.stx_mask & STATX_MNT_ID) != 0) return static_cast<int>(st.stx_mnt_id);
  const auto text = read_text_file("/proc/self/fdinfo/" + std::to_string(fd));
  if (!text) return std::nullopt;
  for (std::string_view line : split(*text, '\n')) {
    if (line.starts_with("mnt_id:")) return std::atoi(std::string(line.substr(7)).c_str());
  }
  return std::nullopt;
}

std::optional<std::string> fd_path(int fd) {
  char buffer[PATH_MAX + 1];
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(link.c_str(), buffer, PATH_MAX);
  if (n <= 0) return std::nullopt;
  std::string path(buffer, static_cast<std::size_t>(n));
  if (path.front() != '/') return std::nullopt;  // not reachable by a path (deleted, another namespace)
  return path;
}

}  // namespace

std::string controlled_component(const std::string& path, RootOnlyDirs* known) {
  // The kernel's walk, one name at a time: each directory is checked before a name is looked up in it,
  // since whoever may write a directory decides what its names are; a link's target is walked the same
  // way (the last component's too), so a root-owned path that ends in a link into a user's directory
  // is as controllable as that directory. The link itself cannot change: only its directory can
  // replace it.
  const auto open_to_others = [](const struct stat& st) { return st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0; };
  const auto root_only = [&](const std::string& dir) { return known != nullptr && known->contains(dir); };
  struct stat st {};
  if (!root_only("/")) {
    if (::lstat("/", &st) != 0 || open_to_others(st)) return "/";
    if (known != nullptr) known->insert("/");
  }
  std::vector<std::string> pending;  // the names still to walk, the next one last
  const auto push_names = [&](std::string_view text) {
    std::vector<std::string> names;
    for (std::string_view name : split(text, '/')) {
      if (!name.empty() && name != ".") names.emplace_back(name);
    }
    pending.insert(pending.end(), names.rbegin(), names.rend());
  };
  push_names(path);
  std::string dir = "/";  // a real directory no one but root can change
  for (int links = 0; !pending.empty();) {
    const std::string name = std::move(pending.back());
    pending.pop_back();
    if (name == "..") {
      dir = dir == "/" ? "/" : dir.substr(0, std::max<std::size_t>(dir.rfind('/'), 1));
      continue;
    }
    const std::string next = (dir == "/" ? "" : dir) + "/" + name;
    // procfs is no directory root alone decides: /proc/<pid> comes and goes with processes any user
    // can start (a pid missing now can be a user's later), and its links (cwd, root, fd/N) go where
    // that process is, not where their text says (root in another mount namespace reads "/").
    if (next == "/proc") return next;
    if (root_only(next)) {  // a directory: an earlier walk read it
      if (pending.empty()) return "";
      dir = next;
      continue;
    }
    if (::lstat(next.c_str(), &st) != 0) return errno == ENOENT ? "" : next;  // only its (checked) directory can create it
    if (S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      const ssize_t n = ::readlink(next.c_str(), target, sizeof target);
      if (n <= 0 || static_cast<std::size_t>(n) == sizeof target || ++links > 40) return next;  // as the kernel gives up: ELOOP
      const std::string_view to(target, static_cast<std::size_t>(n));
      if (to.front() == '/') dir = "/";
      push_names(to);
      continue;
    }
    if (pending.empty()) return "";  // the object itself: what it is was judged, not who may write it
    if (open_to_others(st)) return next;
    if (known != nullptr && S_ISDIR(st.st_mode)) known->insert(next);
    dir = next;
  }
  return "";
}

namespace {

void list_sockets(int fd, MountedObject& object, std::optional<HostIdentities>& accounts) {
  const int dir_fd = ::openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return;
  DIR* dir = ::fdopendir(dir_fd);
  if (dir == nullptr) {
    ::close(dir_fd);
    return;
  }
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_type != DT_SOCK && entry->d_type != DT_UNKNOWN) continue;
    struct stat st {};
    if (::fstatat(dir_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISSOCK(st.st_mode)) continue;
    if (!accounts) accounts = read_host_identities().value_or(HostIdentities{});
    const auto group = accounts->groups.find(st.st_gid);
    object.sockets.emplace_back(entry->d_name, group == accounts->groups.end() ? std::to_string(st.st_gid) : group->second.name);
  }
  ::closedir(dir);
}

}  // namespace

OpenSources::~OpenSources() {
  for (const auto& [_, fd] : fds) ::close(fd);
}

std::string source_as_runc_sees_it(const std::string& source, const std::string& bundle_dir) {
  if (!source.empty() && source.front() == '/') return source;
  char real[PATH_MAX];
  const std::string bundle = ::realpath(bundle_dir.empty() ? "." : bundle_dir.c_str(), real) != nullptr ? real : bundle_dir;
  return lexical_path(bundle + "/" + source);
}

namespace {

// What statx and the mount table say of the object whose real path is `path`, on mount `mnt`.
std::optional<MountedObject> described(const struct statx& st, int mnt, const std::string& path, const std::vector<MountEntry>& table) {
  MountedObject object;
  object.path = path;
  object.dev = ::makedev(st.stx_dev_major, st.stx_dev_minor);
  object.ino = st.stx_ino;
  object.mode = st.stx_mode;
  object.uid = st.stx_uid;
  object.gid = st.stx_gid;
  for (const auto& entry : table) {
    if (entry.id != mnt) continue;
    object.fs_type = entry.fs_type;
    object.fs_device = entry.device;
    object.fs_source = entry.source;
    object.mount_point = entry.mount_point;
    object.mount_root = entry.root;
    object.path_in_fs = same_or_under(path, entry.mount_point) ? joined(entry.root, relative_to(path, entry.mount_point)) : entry.root;
  }
  if (object.fs_device.empty()) return std::nullopt;  // a mount we cannot see: unknown
  object.host_name = visible_path_of(object.fs_device, object.path_in_fs, table).value_or(object.path);
  return object;
}

// A path the rules name (a denied directory, the runtime's own files), which only root can change, by
// its real path (RealPaths: realpath(3), each directory resolved once, with statx), whose statx per
// component cost a fraction of reading a /proc/self/fd link (6.5 us each on a Firecracker VM, ~20 per
// create). Bind sources, which a user may control, are identified through a descriptor instead (identify).
std::optional<MountedObject> identify_real(const RealPaths::Found& real, const std::vector<MountEntry>& table) {
  struct statx st {};
  if (real.status) {
    st = *real.status;
  } else if (::statx(AT_FDCWD, real.path.c_str(), AT_SYMLINK_NOFOLLOW | AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS | STATX_MNT_ID, &st) != 0) {
    return std::nullopt;
  }
  if ((st.stx_mask & STATX_MNT_ID) != 0) return described(st, static_cast<int>(st.stx_mnt_id), real.path, table);
  const int fd = ::open(real.path.c_str(), O_PATH | O_CLOEXEC);  // before Linux 5.8: the descriptor's fdinfo says
  if (fd < 0) return std::nullopt;
  auto object = identify(fd, table);
  ::close(fd);
  return object;
}

}  // namespace

std::optional<MountedObject> identify(int fd, const std::vector<MountEntry>& table) {
  struct statx st {};
  if (::statx(fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS | STATX_MNT_ID, &st) != 0) return std::nullopt;
  const auto path = fd_path(fd);
  const auto mnt = mount_id_of(fd, st);
  if (!path || !mnt) return std::nullopt;
  return described(st, *mnt, *path, table);
}

std::shared_ptr<OpenSources> observe_mount_sources(const json& spec, const std::string& bundle_dir, HostFacts& facts,
                                                   const std::vector<MountEntry>& table) {
  auto open = std::make_shared<OpenSources>();
  RootOnlyDirs walked;  // shared by this observation's walks
  std::optional<HostIdentities> accounts;
  const json* mounts = member(spec, "mounts");
  if (mounts != nullptr && mounts->is_array()) {
    for (const auto& mount : *mounts) {
      if (!mount.is_object()) continue;
      const json* source = member(mount, "source");
      if (source == nullptr || !source->is_string() || source->get_ref<const std::string&>().empty()) continue;
      const std::string& written = source->get_ref<const std::string&>();
      // Only binds name host paths; "proc", "tmpfs" ... of other mounts are labels.
      if (!is_bind(mount) || open->fds.contains(written)) continue;
      const std::string path = source_as_runc_sees_it(written, bundle_dir);
      const int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
      if (fd < 0) {  // runc fails on it, unless someone makes it in between: who could (rule mount_race)
        if (!facts.sources_staged) facts.unopened_sources[written] = controlled_component(path, &walked);  // else stage.cpp asks, when it stages
        continue;
      }
      open->fds[written] = fd;
      auto object = identify(fd, table);
      if (!object) continue;
      if (S_ISSOCK(object->mode)) {
        if (!accounts) accounts = read_host_identities().value_or(HostIdentities{});
        const auto group = accounts->groups.find(object->gid);
        object->group = group == accounts->groups.end() ? std::to_string(object->gid) : group->second.name;
      }
      if (S_ISDIR(object->mode)) list_sockets(fd, *object, accounts);
      // The way runc goes, as written: a root-owned path may end in a link a user can swap.
      object->controlled = controlled_component(path, &walked);
      facts.bind_objects[written] = std::move(*object);
    }
  }
  // Each hook's program, through the path runc will execute (a magic link such as /proc/PID/exe
  // reaches the program's file).
  facts.hooks_observed = true;
  if (const json* hooks = member(spec, "hooks"); hooks != nullptr && hooks->is_object()) {
    if (const int self = ::open("/proc/self/exe", O_PATH | O_CLOEXEC); self >= 0) {
      facts.runtime_program = identify(self, table);
      ::close(self);
    }
    for (const auto& [kind, list] : hooks->items()) {
      if (!list.is_array()) continue;
      for (const auto& hook : list) {
        const json* path = hook.is_object() ? member(hook, "path") : nullptr;
        if (path == nullptr || !path->is_string() || facts.hook_programs.contains(path->get_ref<const std::string&>())) continue;
        const int fd = ::open(path->get_ref<const std::string&>().c_str(), O_PATH | O_CLOEXEC);
        if (fd < 0) continue;
        if (auto object = identify(fd, table)) {
          object->controlled = controlled_component(object->path, &walked);
          facts.hook_programs[path->get<std::string>()] = std::move(*object);
        }
        ::close(fd);
      }
    }
  }
  return open;
}

void observe_named_paths(const std::vector<std::string>& named, HostFacts& facts, const std::vector<MountEntry>& table) {
  // Two spellings of one path ("/var/run/docker.sock", "/run/docker.sock") are one object, looked at once.
  RealPaths real_paths;
  std::map<std::string, std::optional<MountedObject>> by_real_path;
  for (const auto& path : named) {
    if (path.empty() || facts.named_objects.contains(path)) continue;
    const auto real = real_paths.resolve(path);
    if (!real) continue;
    auto [known, fresh] = by_real_path.try_emplace(real->path);
    if (fresh) known->second = identify_real(*real, table);
    if (known->second) facts.named_objects[path] = *known->second;
  }
}

}  // namespace hardened
