#include "hardened/runc_locator.hpp"

#include <sys/stat.h>
#include <unistd.h>

namespace hardened {
namespace {

struct Identity {
  dev_t dev = 0;
  ino_t ino = 0;
  bool known = false;
};

Identity identity_of(const char* path) {
  struct stat st {};
  if (::stat(path, &st) != 0) return {};
  return {st.st_dev, st.st_ino, true};
}

bool is_self(const Identity& self, const Identity& other) {
  return self.known && other.known && self.dev == other.dev && self.ino == other.ino;
}

bool executable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

Result<std::string> locate_runc(const HostConfig& config, const char* path_env) {
  const Identity self = identity_of("/proc/self/exe");
  if (!config.runtime.empty()) {
    if (!executable(config.runtime)) {
      return fail("the runtime " + config.runtime + " named in " + config.source +
                  " is not an executable file; install runc there or correct \"runtime\"");
    }
    if (is_self(self, identity_of(config.runtime.c_str()))) {
      return fail("the runtime " + config.runtime + " named in " + config.source +
                  " is hardened-runtime itself; point \"runtime\" at the real runc");
    }
    return config.runtime;
  }
  std::string path = path_env != nullptr ? path_env : "";
  for (std::size_t start = 0; start <= path.size();) {
    const std::size_t end = std::min(path.find(':', start), path.size());
    const std::string dir = path.substr(start, end - start);
    start = end + 1;
    if (dir.empty() || dir.front() != '/') continue;  // a relative PATH entry depends on the cwd: skip it
    const std::string candidate = dir + "/runc";
    if (executable(candidate) && !is_self(self, identity_of(candidate.c_str()))) return candidate;
  }
  for (const char* candidate : {"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc"}) {
    if (executable(candidate) && !is_self(self, identity_of(candidate))) return std::string(candidate);
  }
  return fail("runc was not found (PATH, /usr/sbin, /usr/bin, /usr/local/sbin); install runc (apt-get install runc) "
              "or set \"runtime\" in the host config");
}

}  // namespace hardened
