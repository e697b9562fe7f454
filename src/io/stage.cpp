#include "hardened/stage.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace hardened {
namespace {

// A directory only root can change: created 0700 when absent, refused when someone else could.
Result<void> root_only_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return fail("cannot create " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return fail("cannot read " + path + ": " + std::strerror(errno));
  if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return fail(path + " is not a directory only root can change (owner " + std::to_string(st.st_uid) + ", mode " +
                std::to_string(st.st_mode & 07777) + "), so a bind source staged there could be swapped; make it root-owned 0700");
  }
  return {};
}

// runc's container ids: letters, digits, '_', '+', '-', '.', not "." or "..".
bool plain_id(const std::string& id) {
  if (id.empty() || id == "." || id == "..") return false;
  for (const char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::string stage_dir(const std::string& state_dir, const std::string& container_id) { return state_dir + "/stages/" + container_id; }

Result<void> stage_sources(json& spec, const OpenSources& open, const std::string& bundle_dir, const std::string& state_dir,
                           const std::string& container_id, const std::string& self) {
  json* mounts = member(spec, "mounts");
  if (mounts == nullptr || !mounts->is_array()) return {};
  // The binds whose source was opened when it was checked, and the descriptor each is staged from.
  std::vector<std::pair<json*, int>> binds;
  RootOnlyDirs walked;  // these walks' own: read now, not when the sources were observed
  for (auto& mount : *mounts) {
    if (!mount.is_object() || !is_bind(mount)) continue;
    const json* source = member(mount, "source");
    const std::string written = source != nullptr && source->is_string() ? source->get<std::string>() : "";
    if (const auto fd = open.fds.find(written); fd != open.fds.end()) {
      binds.emplace_back(&mount, fd->second);
      continue;
    }
    // Absent when checked: runc fails on it, unless someone makes it in between; refused when a
    // non-root user could (a symlink or directory swapped in a shared directory).
    const std::string controlled = controlled_component(source_as_runc_sees_it(written, bundle_dir), &walked);
    if (controlled.empty()) continue;
    return fail("refused by rule mount_race: mounts[].source " + written + " (on " + mount.value("destination", "?") +
                ") could not be opened when it was checked, and " + controlled +
                " on its way can be changed by someone other than root, so runc could mount something else; make it a "
                "root-owned path, or remove that mount (docker run -v/--mount)");
  }
  if (binds.empty()) return {};  // nothing to stage: no directory, no unstage hook for runc to run
  if (!plain_id(container_id)) return fail("the container id '" + container_id + "' is not a plain name, so its bind sources cannot be staged");
  const std::string dir = stage_dir(state_dir, container_id);
  for (const auto& path : {state_dir, state_dir + "/stages"}) {
    if (auto ok = root_only_dir(path); !ok) return ok;
  }
  unstage(dir);  // a leftover of an earlier create under the same id
  if (auto ok = root_only_dir(dir); !ok) return ok;
  std::size_t n = 0;
  for (const auto& [mount, fd] : binds) {
    struct stat st {};
    const std::string stage = dir + "/" + std::to_string(n++);
    int made = -1;
    if (::fstat(fd, &st) == 0) {
      made = S_ISDIR(st.st_mode) ? ::mkdir(stage.c_str(), 0700) : ::mknod(stage.c_str(), S_IFREG | 0600, 0);
    }
    const std::string from = "/proc/self/fd/" + std::to_string(fd);
    if (made != 0 || ::mount(from.c_str(), stage.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      const std::string why = std::strerror(errno);
      unstage(dir);
      return fail("cannot stage mounts[].source " + (*mount)["source"].get<std::string>() + " on " + stage + ": " + why);
    }
    (*mount)["source"] = stage;
  }
  json& hooks = spec["hooks"];
  if (!hooks.is_object()) hooks = json::object();
  json& create_runtime = hooks["createRuntime"];
  if (!create_runtime.is_array()) create_runtime = json::array();
  create_runtime.push_back({{"path", self}, {"args", {"hardened-runtime", kUnstageTool, dir}}});
  return {};
}

void unstage(const std::string& dir) {
  DIR* stream = ::opendir(dir.c_str());
  if (stream == nullptr) return;
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(stream)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(stream);
  for (const auto& name : names) {
    const std::string path = dir + "/" + name;
    // Every mount stacked on the stage, not only the top one (a create retried under this id binds
    // the same path again); a lazy unmount takes each one's submounts with it.
    for (int stacked = 0; stacked < 64 && ::umount2(path.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0; ++stacked) {
    }
    // Only an empty directory or a file: never into a mount that failed to come off.
    if (::rmdir(path.c_str()) != 0 && errno == ENOTDIR) ::unlink(path.c_str());
  }
  ::rmdir(dir.c_str());
}

}  // namespace hardened
