#include "hardened/real_paths.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

namespace hardened {
namespace {

std::optional<std::string> whole(const std::string& path) {
  char real[PATH_MAX];
  return ::realpath(path.c_str(), real) != nullptr ? std::optional<std::string>(real) : std::nullopt;
}

// An absolute path whose every component is a name: no "", "." or "..", which realpath reads itself.
bool plain_absolute(const std::string& path) {
  if (path.size() < 2 || path.front() != '/' || path.back() == '/') return false;
  return path.find("//") == std::string::npos && path.find("/./") == std::string::npos && path.find("/../") == std::string::npos &&
         !path.ends_with("/.") && !path.ends_with("/..");
}

}  // namespace

// The real path of each prefix is that of the prefix before it, joined with one more name and followed
// if that name is a link: what realpath computes, one component at a time. Each step is remembered by
// what it reads (the real directory and the name), so "/var/run/docker" and "/run/docker" share theirs.
// A step is read with statx rather than readlink: the same walk, and its answer is what the caller
// asks of the path next (mount_facts.cpp), so a path's last step costs one system call, not two.
std::optional<RealPaths::Found> RealPaths::resolve(const std::string& path) {
  if (!plain_absolute(path)) {
    auto real = whole(path);
    return real ? std::optional<Found>(Found{std::move(*real), std::nullopt}) : std::nullopt;
  }
  const Found* found = nullptr;
  for (std::size_t start = 1;;) {
    const std::size_t end = path.find('/', start);
    std::string candidate = found == nullptr || found->path == "/" ? "" : found->path;
    candidate += '/';
    candidate.append(path, start, end == std::string::npos ? std::string::npos : end - start);
    auto [known, fresh] = steps_.try_emplace(std::move(candidate));
    if (fresh) {
      struct statx st {};
      if (::statx(AT_FDCWD, known->first.c_str(), AT_SYMLINK_NOFOLLOW | AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS | STATX_MNT_ID, &st) == 0) {
        if (S_ISLNK(st.stx_mode)) {
          if (auto real = whole(known->first)) known->second = Found{std::move(*real), std::nullopt};  // a link: followed
        } else {
          known->second = Found{known->first, st};  // there, and not a link
        }
      }  // else missing, or under a file: nothing, as realpath fails
    }
    if (!known->second) return std::nullopt;
    found = &*known->second;
    if (end == std::string::npos) return *found;
    start = end + 1;
  }
}

}  // namespace hardened
