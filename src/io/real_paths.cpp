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
// if that name is a link: what realpath computes, one component at a time, but each prefix only once.
std::optional<std::string> RealPaths::resolve(const std::string& path) {
  if (!plain_absolute(path)) return whole(path);
  std::string real = "/";
  for (std::size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    const std::string prefix = path.substr(0, end);
    auto [known, fresh] = prefixes_.try_emplace(prefix);
    if (fresh) {
      const std::string candidate = (real == "/" ? "" : real) + "/" + prefix.substr(prefix.rfind('/') + 1);
      char target[8];
      if (::readlink(candidate.c_str(), target, sizeof target) >= 0) {
        known->second = whole(candidate);  // a link: followed
      } else if (errno == EINVAL) {
        known->second = candidate;  // there, and not a link
      }  // else missing, or under a file: nothing, as realpath fails
    }
    if (!known->second) return std::nullopt;
    real = *known->second;
    if (end == std::string::npos) return real;
  }
}

}  // namespace hardened
