// read_live_posture on the test process itself: what /proc says about us, read without iostreams.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <string>

#include "hardened/posture.hpp"

namespace hardened {
namespace {

TEST(LivePosture, ReadsThisProcess) {
  auto live = read_live_posture(::getpid());
  ASSERT_TRUE(live) << live.error().message;
  EXPECT_EQ(live->uid, ::getuid());
  EXPECT_EQ(live->no_new_privs, ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
  EXPECT_EQ(live->seccomp_mode, ::prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
  ASSERT_TRUE(live->root_readonly.has_value()) << "the mount of / was not found in mountinfo";
  if (::getuid() == 0) {
    EXPECT_NE(live->cap_bounding, 0u) << "a root test process has capabilities in its bounding set";
  }
}

// A process whose root is mounted read-only (in its own mount namespace) is seen as such.
TEST(LivePosture, AReadOnlyRootIsSeen) {
  if (::geteuid() != 0) {
    if (const char* ci = std::getenv("CI"); ci != nullptr && std::string(ci) == "true") FAIL() << "needs root in CI";
    GTEST_SKIP() << "needs root for a mount namespace";
  }
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const bool ok = ::unshare(CLONE_NEWNS) == 0 && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
                    ::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0;
    const char answer = ok ? '1' : '0';
    (void)!::write(ready[1], &answer, 1);
    ::pause();
    ::_exit(0);
  }
  char answer = 0;
  ASSERT_EQ(::read(ready[0], &answer, 1), 1);
  auto live = read_live_posture(child);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  ASSERT_EQ(answer, '1') << "the child could not make its root read-only";
  ASSERT_TRUE(live) << live.error().message;
  ASSERT_TRUE(live->root_readonly.has_value());
  EXPECT_TRUE(*live->root_readonly);
}

TEST(LivePosture, AProcessThatIsNotThereIsReported) {
  auto live = read_live_posture(999999999);
  ASSERT_FALSE(live);
  EXPECT_NE(live.error().message.find("is not running"), std::string::npos);
}

}  // namespace
}  // namespace hardened
