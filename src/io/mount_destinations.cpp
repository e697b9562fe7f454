#include "hardened/mount_destinations.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include "hardened/harden.hpp"
#include "hardened/lexical_path.hpp"
#include "hardened/mount_facts.hpp"
#include "hardened/split.hpp"

namespace hardened {
namespace {

// A mount made before the one being resolved: its place in the container and, for a bind, the host
// directory whose contents appear there (none for a filesystem made fresh, which holds no symlink).
struct Made {
  std::string at;
  std::optional<std::string> host;
};

// The mounts made so far, and for each place the latest one there: a path is looked up by its own
// ancestors (a few), not against every mount (a spec with 1,000 tmpfs mounts made this quadratic).
struct MadeMounts {
  std::vector<Made> list;
  std::unordered_map<std::string, std::size_t> latest_at;

  void add(Made made) {
    latest_at[made.at] = list.size();
    list.push_back(std::move(made));
  }

  // The latest mount on `path` or on one of its ancestors.
  const Made* covering(const std::string& path) const {
    std::optional<std::size_t> found;
    auto consider = [&](const std::string& at) {
      const auto it = latest_at.find(at);
      if (it != latest_at.end() && (!found || it->second > *found)) found = it->second;
    };
    consider("/");
    for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
      consider(path.substr(0, slash));
      if (slash == std::string::npos) break;
    }
    return found ? &list[*found] : nullptr;
  }
};

// The host path that holds container path `path` once `made` are mounted, or "" when it lies in a
// fresh filesystem. The latest mount on a path is the one seen.
std::string host_path(const std::string& path, const std::string& rootfs, const MadeMounts& made) {
  if (const Made* mount = made.covering(path)) {
    if (!mount->host) return "";
    const std::string rest = mount->at == "/" ? path : path.substr(mount->at.size());
    return *mount->host == "/" ? rest : *mount->host + rest;
  }
  return rootfs == "/" ? path : rootfs + path;
}

// securejoin's walk: each component in turn (empty ones and "." skipped); a symlink's target
// replaces it (an absolute one restarts at the container's root); ".." never leaves the root; at most
// 255 links, as securejoin allows.
std::string resolve(const std::string& destination, const std::string& rootfs, const MadeMounts& made) {
  const auto first = split(destination, '/');
  std::deque<std::string> todo(first.begin(), first.end());
  std::string at = "/";
  int links = 0;
  while (!todo.empty()) {
    const std::string part = todo.front();
    todo.pop_front();
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      at = lexical_path(at + "/..");
      continue;
    }
    const std::string next = at == "/" ? "/" + part : at + "/" + part;
    const std::string host = host_path(next, rootfs, made);
    struct stat st {};
    if (host.empty() || ::lstat(host.c_str(), &st) != 0 || !S_ISLNK(st.st_mode) || ++links > 255) {
      at = next;  // absent, not a link, or in a fresh filesystem: runc creates or uses it as named
      continue;
    }
    std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
    const ssize_t n = ::readlink(host.c_str(), target.data(), target.size());
    if (n <= 0) {
      at = next;
      continue;
    }
    target.resize(static_cast<std::size_t>(n));
    if (target.starts_with("/")) at = "/";
    const auto more = split(target, '/');
    todo.insert(todo.begin(), more.begin(), more.end());
  }
  return at;
}

}  // namespace

std::string rootfs_of(const json& spec, const std::string& bundle_dir) {
  const json* root = member(spec, "root");
  const json* path = root != nullptr && root->is_object() ? member(*root, "path") : nullptr;
  const std::string written = path != nullptr && path->is_string() ? path->get<std::string>() : "rootfs";
  return lexical_path(written.starts_with("/") ? written : bundle_dir + "/" + written);
}

std::map<std::string, std::string> resolve_mount_destinations(const json& spec, const std::string& bundle_dir,
                                                              const std::map<std::string, std::string>& resolved_sources) {
  std::map<std::string, std::string> out;
  const std::string rootfs = rootfs_of(spec, bundle_dir);
  const json* mounts = member(spec, "mounts");
  if (mounts == nullptr || !mounts->is_array()) return out;
  MadeMounts made;
  for (const auto& mount : *mounts) {
    const json* destination = mount.is_object() ? member(mount, "destination") : nullptr;
    if (destination == nullptr || !destination->is_string()) continue;  // malformed: the rules refuse it
    const std::string& written = destination->get_ref<const std::string&>();
    const std::string at = resolve(written, rootfs, made);
    if (at != lexical_path(written)) out.emplace(written, at);
    std::optional<std::string> host;
    if (is_bind(mount)) {
      const json* source = member(mount, "source");
      const std::string from = source != nullptr && source->is_string() ? source->get<std::string>() : "";
      const auto real = resolved_sources.find(from);
      host = lexical_path(real != resolved_sources.end() ? real->second : source_as_runc_sees_it(from, bundle_dir));
    }
    made.add({at, host});
  }
  return out;
}

}  // namespace hardened
