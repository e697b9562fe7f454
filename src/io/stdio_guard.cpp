// Host files are never handed over as stdio. Before it drops to the container user, runc chowns the
// process's stdin/stdout/stderr to that user unless they are the container's /dev/null (crun, on exec,
// with no check at all): `runc run … >>/var/log/app.log` would give a root-owned 0600 log to uid 1001,
// and `podman exec` behind crun the host's /dev/null. So, just before the exec of runc:
// - a pipe, a socket, a FIFO or a terminal (what dockerd, containerd and conmon pass) stays: /dev/stdout
//   keeps working inside, and those were made for the container;
// - the null device (char 1:3) becomes a private null node in a root-only directory under state_dir:
//   runc skips it (same rdev as the container's /dev/null), and what crun chowns is only that node;
// - anything else (a regular file, another device, a directory) becomes a pipe, relayed to or from the
//   original by a small process of its own that ends at end of file. It outlives runc, as a detached
//   container's output does; its own signals from the terminal (^C) are ignored, so the output survives.
#include "hardened/stdio_guard.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

#include "hardened/fd.hpp"

namespace hardened {
namespace {

std::string errno_text() { return std::strerror(errno); }

// The private null node: <state_dir>/stdio/null, the directory root's and 0700, the node char 1:3.
// Made by the first create on a host and found by every later one: opened first, made when missing.
Result<int> open_private_null(const std::string& state_dir) {
  if (state_dir.empty()) return fail("no state_dir for a private null node");
  const std::string dir = state_dir + "/stdio";
  const auto open_dir = [&] { return ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC); };
  int dfd = open_dir();
  if (dfd < 0 && errno == ENOENT) {
    if (::mkdir(state_dir.c_str(), 0700) != 0 && errno != EEXIST) return fail("cannot create " + state_dir + ": " + errno_text());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return fail("cannot create " + dir + ": " + errno_text());
    dfd = open_dir();
  }
  if (dfd < 0) return fail("cannot open " + dir + ": " + errno_text());
  struct stat st {};
  if (::fstat(dfd, &st) != 0 || st.st_uid != 0 || (st.st_mode & 077) != 0) {
    ::close(dfd);
    return fail(dir + " must be root's and not open to others (mode 0700)");
  }
  const auto open_node = [&] { return ::openat(dfd, "null", O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY); };
  int fd = -1;
  for (int attempt = 0; attempt < 2 && fd < 0; ++attempt) {
    fd = open_node();
    if (fd < 0 && errno == ENOENT) {
      if (::mknodat(dfd, "null", S_IFCHR | 0666, ::makedev(1, 3)) != 0 && errno != EEXIST) break;
      fd = open_node();
    }
    if (fd < 0) break;
    struct stat node {};
    if (::fstat(fd, &node) != 0 || !S_ISCHR(node.st_mode) || node.st_rdev != ::makedev(1, 3)) {
      ::close(fd);
      fd = -1;
      ::unlinkat(dfd, "null", 0);  // not a null node: made anew on the second attempt
    }
  }
  const int saved = errno;
  ::close(dfd);
  if (fd < 0) return fail("cannot make the private null node " + dir + "/null: " + std::strerror(saved));
  return fd;
}

// Copies `from` to `to` until end of file or an error; returns when done.
void copy_until_eof(int from, int to) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(from, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(to, buffer + done, static_cast<std::size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return;
      done += w;
    }
  }
}

// Forks a relay from `from` to `to` (which the child keeps; the caller closes its copies). The relay is
// a grandchild, so runc (which this process becomes) has no child of ours to reap or wait for.
Result<void> start_relay(int from, int to) {
  const pid_t child = ::fork();
  if (child < 0) return fail("cannot start a relay for stdio: " + errno_text());
  if (child == 0) {
    if (::fork() != 0) ::_exit(0);
    for (int sig : {SIGINT, SIGQUIT, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE}) ::signal(sig, SIG_IGN);
    const int a = ::fcntl(from, F_DUPFD, 100), b = ::fcntl(to, F_DUPFD, 101);
    if (a < 0 || b < 0 || ::dup2(a, 0) < 0 || ::dup2(b, 1) < 0) ::_exit(1);
    ::close_range(2, UINT_MAX, 0);
    copy_until_eof(0, 1);
    ::_exit(0);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return {};
}

// What `fd` is, with its status in `st` (guard_stdio compares stdout's with stderr's).
StdioKind classify(int fd, struct stat& st) {
  if (::fstat(fd, &st) != 0) return StdioKind::closed;
  if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return StdioKind::keep;
  if (S_ISCHR(st.st_mode)) {
    if (st.st_rdev == ::makedev(1, 3)) return StdioKind::null_device;
    if (::isatty(fd) == 1) return StdioKind::keep;
  }
  return StdioKind::relay;
}

}  // namespace

StdioKind classify_stdio(int fd) {
  struct stat st {};
  return classify(fd, st);
}

Result<void> guard_stdio(const std::string& state_dir) {
  struct stat original[3] {};
  StdioKind kinds[3];
  for (int fd = 0; fd < 3; ++fd) kinds[fd] = classify(fd, original[fd]);
  // The private null node, opened once for every stdio that is the null device (engines pass it as all three).
  std::optional<Fd> null_node;
  bool no_null_node = false;
  for (int fd = 0; fd < 3; ++fd) {
    if (kinds[fd] == StdioKind::closed || kinds[fd] == StdioKind::keep) continue;
    if (kinds[fd] == StdioKind::null_device) {
      if (!null_node && !no_null_node) {
        if (auto node = open_private_null(state_dir)) null_node.emplace(*node);
        else no_null_node = true;
      }
      if (null_node) {
        if (::dup2(null_node->get(), fd) != fd) return fail("cannot replace stdio " + std::to_string(fd) + " by a private null node: " + errno_text());
        continue;
      }
      // No private node (no state_dir): a relay to the null device does as well.
    }
    // stdout and stderr on the same file (>log 2>&1): one pipe for both keeps their order.
    if (fd == 2 && kinds[1] == StdioKind::relay && original[1].st_dev == original[2].st_dev && original[1].st_ino == original[2].st_ino) {
      if (::dup2(1, 2) != 2) return fail("cannot replace stdio 2 by a pipe: " + errno_text());
      continue;
    }
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) return fail("cannot make a pipe for stdio: " + errno_text());
    const bool input = fd == 0;
    auto relay = input ? start_relay(fd, ends[1]) : start_relay(ends[0], fd);
    const int keep = input ? ends[0] : ends[1];
    const bool ok = relay && ::dup2(keep, fd) == fd;
    const int saved = errno;
    ::close(ends[0]);
    ::close(ends[1]);
    if (!relay) return relay;
    if (!ok) return fail("cannot replace stdio " + std::to_string(fd) + " by a pipe: " + std::strerror(saved));
  }
  return {};
}

}  // namespace hardened
