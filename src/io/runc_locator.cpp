#include "hardened/runc_locator.hpp"
#include "hardened/early_path.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace hardened {
namespace {

// Whether `path` is an executable regular file that is not this binary (/proc/self/exe, looked at
// once and only when needed).
class Candidates {
 public:
  enum class Verdict { usable, not_executable, is_self };

  HARDENED_EARLY_PATH Verdict check(const char* path) {
    struct stat st {};
    if (::stat(path, &st) != 0 || !S_ISREG(st.st_mode) || ::access(path, X_OK) != 0) return Verdict::not_executable;
    if (!self_known_) {
      struct stat self {};
      self_known_ = true;
      self_found_ = ::stat("/proc/self/exe", &self) == 0;
      self_dev_ = self.st_dev;
      self_ino_ = self.st_ino;
    }
    return self_found_ && st.st_dev == self_dev_ && st.st_ino == self_ino_ ? Verdict::is_self : Verdict::usable;
  }

 private:
  bool self_known_ = false;
  bool self_found_ = false;
  dev_t self_dev_ = 0;
  ino_t self_ino_ = 0;
};

// dir + "/runc" into out; false when it does not fit.
HARDENED_EARLY_PATH bool compose(std::string_view dir, std::string_view name, RuncPath& out) {
  if (dir.size() + name.size() + 1 >= out.size()) return false;
  std::memcpy(out.data(), dir.data(), dir.size());
  std::memcpy(out.data() + dir.size(), name.data(), name.size());
  out[dir.size() + name.size()] = '\0';
  return true;
}

}  // namespace

HARDENED_EARLY_PATH RuncSearch search_runc(std::string_view configured, const char* path_env, RuncPath& out) {
  Candidates candidates;
  if (!configured.empty()) {
    if (!compose(configured, "", out)) return RuncSearch::configured_not_executable;
    switch (candidates.check(out.data())) {
      case Candidates::Verdict::usable: return RuncSearch::found;
      case Candidates::Verdict::is_self: return RuncSearch::configured_is_self;
      case Candidates::Verdict::not_executable: return RuncSearch::configured_not_executable;
    }
  }
  const std::string_view path = path_env != nullptr ? path_env : "";
  for (std::size_t start = 0; start <= path.size();) {
    const std::size_t end = std::min(path.find(':', start), path.size());
    const std::string_view dir = path.substr(start, end - start);
    start = end + 1;
    if (dir.empty() || dir.front() != '/') continue;  // a relative PATH entry depends on the cwd: skip it
    if (compose(dir, "/runc", out) && candidates.check(out.data()) == Candidates::Verdict::usable) return RuncSearch::found;
  }
  for (std::string_view candidate : {"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc"}) {
    if (compose(candidate, "", out) && candidates.check(out.data()) == Candidates::Verdict::usable) return RuncSearch::found;
  }
  return RuncSearch::not_found;
}

Result<std::string> locate_runc(const HostConfig& config, const char* path_env) {
  RuncPath found{};
  switch (search_runc(config.runtime, path_env, found)) {
    case RuncSearch::found: return std::string(found.data());
    case RuncSearch::configured_not_executable:
      return fail("the runtime " + config.runtime + " named in " + config.source +
                  " is not an executable file; install runc there or correct \"runtime\"");
    case RuncSearch::configured_is_self:
      return fail("the runtime " + config.runtime + " named in " + config.source +
                  " is hardened-runtime itself; point \"runtime\" at the real runc");
    case RuncSearch::not_found: break;
  }
  return fail("runc was not found (PATH, /usr/sbin, /usr/bin, /usr/local/sbin); install runc (apt-get install runc) "
              "or set \"runtime\" in the host config");
}

Result<std::string> locate_recorded_runtime(const std::string& runtime, const std::string& state_dir, const std::string& id) {
  RuncPath found{};
  const std::string where = "container " + id + " was created with the runtime " + runtime + " (" + state_dir + "/" + id + ".json)";
  switch (search_runc(runtime, nullptr, found)) {
    case RuncSearch::found: return std::string(found.data());
    case RuncSearch::configured_is_self: return fail(where + ", which is hardened-runtime itself; delete that record");
    case RuncSearch::configured_not_executable:
    case RuncSearch::not_found: break;
  }
  return fail(where + ", which is no longer an executable file; put it back to manage the container, or delete it with that runtime");
}

}  // namespace hardened
