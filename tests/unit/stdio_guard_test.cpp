// What runc is handed as stdio: host files and devices are replaced, pipes, sockets and terminals kept.
// Each guard runs in a forked child, whose stdio it replaces.
#include "hardened/stdio_guard.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "helpers.hpp"

namespace hardened {
namespace {

TEST(StdioGuard, PipesSocketsAndClosedFdsAreKeptFilesAndDevicesAreNot) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  EXPECT_EQ(classify_stdio(p[0]), StdioKind::keep);
  EXPECT_EQ(classify_stdio(p[1]), StdioKind::keep);
  int s[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
  EXPECT_EQ(classify_stdio(s[0]), StdioKind::keep);
  const int null = ::open("/dev/null", O_RDWR);
  EXPECT_EQ(classify_stdio(null), StdioKind::null_device);
  const int zero = ::open("/dev/zero", O_RDONLY);
  EXPECT_EQ(classify_stdio(zero), StdioKind::relay);
  test::TempDir dir;
  const int file = ::open((dir.path() / "f").c_str(), O_CREAT | O_WRONLY, 0600);
  EXPECT_EQ(classify_stdio(file), StdioKind::relay);
  for (int fd : {p[0], p[1], s[0], s[1], null, zero, file}) ::close(fd);
  EXPECT_EQ(classify_stdio(file), StdioKind::closed);
}

TEST(StdioGuard, AFileAsStdoutAndStderrGetsTheOutputThroughARelayAndTheNullDeviceAPrivateNode) {
  test::TempDir dir;
  const auto log = dir.path() / "app.log";
  const auto state = dir.path() / "state";
  const int file = ::open(log.c_str(), O_CREAT | O_WRONLY | O_APPEND, 0600);
  ASSERT_GE(file, 0);
  ASSERT_EQ(::write(file, "before\n", 7), 7);
  struct stat host_null {};
  ASSERT_EQ(::stat("/dev/null", &host_null), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int null = ::open("/dev/null", O_RDONLY);
    if (::dup2(null, 0) != 0 || ::dup2(file, 1) != 1 || ::dup2(file, 2) != 2) ::_exit(10);
    if (!guard_stdio(state.string())) ::_exit(11);
    struct stat in {}, out {}, err {};
    if (::fstat(0, &in) != 0 || ::fstat(1, &out) != 0 || ::fstat(2, &err) != 0) ::_exit(12);
    // stdin: the null device still, but not the host's node (or, without mknod, a pipe).
    const bool private_null = S_ISCHR(in.st_mode) && in.st_rdev == host_null.st_rdev && in.st_ino != host_null.st_ino;
    if (!private_null && !S_ISFIFO(in.st_mode)) ::_exit(13);
    if (!S_ISFIFO(out.st_mode) || out.st_ino != err.st_ino) ::_exit(14);  // one pipe for >log 2>&1
    char c;
    if (::read(0, &c, 1) != 0) ::_exit(15);  // end of file at once, as /dev/null
    if (::write(1, "out\n", 4) != 4 || ::write(2, "err\n", 4) != 4) ::_exit(16);
    ::_exit(0);
  }
  ::close(file);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  // The relay ends at end of file, a moment after the child.
  std::string text;
  for (int i = 0; i < 100 && text != "before\nout\nerr\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    text = test::slurp(log);
  }
  EXPECT_EQ(text, "before\nout\nerr\n");
  struct stat st {};
  ASSERT_EQ(::stat(log.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  if (std::filesystem::exists(state / "stdio")) {
    ASSERT_EQ(::stat((state / "stdio").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0700u);
  }
}

// The node is made by the first create and found by the next; a file that is not the null device in
// its place (planted, or left by a crash) is replaced, never handed to the container as its stdin.
TEST(StdioGuard, ThePrivateNullNodeIsFoundAgainAndWhatIsNotOneIsMadeAnew) {
  if (::geteuid() != 0) GTEST_SKIP() << "mknod of a device node: run as root (CI does)";
  test::TempDir dir;
  const auto state = dir.path() / "state";
  std::filesystem::create_directories(state / "stdio");
  std::filesystem::permissions(state / "stdio", std::filesystem::perms::owner_all);
  std::ofstream(state / "stdio" / "null") << "not the null device";
  const auto stdin_after_guard = [&] {
    const pid_t child = ::fork();
    if (child == 0) {
      const int null = ::open("/dev/null", O_RDONLY);
      if (::dup2(null, 0) != 0 || !guard_stdio(state.string())) ::_exit(10);
      struct stat in {};
      char c;
      if (::fstat(0, &in) != 0 || !S_ISCHR(in.st_mode) || in.st_rdev != ::makedev(1, 3) || ::read(0, &c, 1) != 0) ::_exit(11);
      ::_exit(0);
    }
    int status = 0;
    return ::waitpid(child, &status, 0) == child && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(stdin_after_guard(), 0);
  struct stat node {};
  ASSERT_EQ(::lstat((state / "stdio" / "null").c_str(), &node), 0);
  EXPECT_TRUE(S_ISCHR(node.st_mode)) << "the planted file was replaced by a null node";
  EXPECT_EQ(stdin_after_guard(), 0) << "and the next create finds it";
  struct stat again {};
  ASSERT_EQ(::lstat((state / "stdio" / "null").c_str(), &again), 0);
  EXPECT_EQ(again.st_ino, node.st_ino);
}

}  // namespace
}  // namespace hardened
