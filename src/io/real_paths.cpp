#include "hardened/real_paths.hpp"

#include <unistd.h>

#include <cerrno>
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
std::optional<std::string> RealPaths::resolve(const std::string& path) {
  if (!plain_absolute(path)) return whole(path);
  std::string real = "/";
  for (std::size_t start = 1;;) {
    const std::size_t end = path.find('/', start);
    std::string candidate = real == "/" ? "" : std::move(real);
    candidate += '/';
    candidate.append(path, start, end == std::string::npos ? std::string::npos : end - start);
    auto [known, fresh] = steps_.try_emplace(std::move(candidate));
    if (fresh) {
      char target[8];
      if (::readlink(known->first.c_str(), target, sizeof target) >= 0) {
        known->second = whole(known->first);  // a link: followed
      } else if (errno == EINVAL) {
        known->second = known->first;  // there, and not a link
      }  // else missing, or under a file: nothing, as realpath fails
    }
    if (!known->second) return std::nullopt;
    real = *known->second;
    if (end == std::string::npos) return real;
    start = end + 1;
  }
}

}  // namespace hardened
