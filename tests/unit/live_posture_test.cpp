// read_live_posture on the test process itself: what /proc says about us, read without iostreams.
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <unistd.h>

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

TEST(LivePosture, AProcessThatIsNotThereIsReported) {
  auto live = read_live_posture(999999999);
  ASSERT_FALSE(live);
  EXPECT_NE(live.error().message.find("is not running"), std::string::npos);
}

}  // namespace
}  // namespace hardened
