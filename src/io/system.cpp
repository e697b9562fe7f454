#include "hardened/system.hpp"

#include "hardened/json_file.hpp"
#include "hardened/stdio_guard.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace hardened {
namespace {

class RealSystem final : public System {
 public:
  Error exec(const std::string& path, const std::vector<std::string>& argv) override {
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(path.c_str(), args.data());
    return Error{"cannot execute " + path + ": " + std::strerror(errno)};
  }

  Result<std::string> read_stdin() override { return read_all(STDIN_FILENO, "standard input"); }

  Result<void> replace_stdin(const std::string& text) override {
    // A memfd holds any size without a reader on the other end; dup2 leaves it open across exec.
    const int fd = ::memfd_create("hardened-runtime-stdin", MFD_CLOEXEC);
    if (fd < 0) return fail(std::string("cannot create a memfd: ") + std::strerror(errno));
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const bool ok = written && ::lseek(fd, 0, SEEK_SET) == 0 && ::dup2(fd, STDIN_FILENO) == STDIN_FILENO;
    ::close(fd);
    if (!ok) return fail(std::string("cannot pass the clamped resources to runc: ") + std::strerror(errno));
    return {};
  }

  Result<void> guard_stdio(const std::string& state_dir) override { return hardened::guard_stdio(state_dir); }

  Result<std::string> pass_file(const std::string& text) override {
    // No MFD_CLOEXEC: runc opens it by path after the exec. runc's --preserve-fds counts from fd 3 and
    // the caller's preserved fds are already open, so this one lands above them and is not passed on.
    const int fd = ::memfd_create("hardened-runtime-process", 0);
    if (fd < 0) return fail(std::string("cannot create a memfd: ") + std::strerror(errno));
    if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      const int err = errno;
      ::close(fd);
      return fail(std::string("cannot write a memfd: ") + std::strerror(err));
    }
    return "/proc/self/fd/" + std::to_string(fd);
  }

  const char* getenv(const char* name) override { return std::getenv(name); }

  void print_error(const std::string& line) override {
    const std::string text = line + "\n";
    [[maybe_unused]] const auto n = ::write(STDERR_FILENO, text.data(), text.size());
  }
};

}  // namespace

System& real_system() {
  static RealSystem system;
  return system;
}

}  // namespace hardened
