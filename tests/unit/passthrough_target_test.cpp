// Which container a pass-through call names, in the forms runc 1.1-1.3, crun, podman and containerd's
// shim write them: its creation record decides which runtime the call goes to.
#include "hardened/passthrough_target.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hardened {
namespace {

std::string target(std::vector<std::string_view> words) { return std::string(passthrough_container(words, 1)); }

TEST(PassthroughTarget, IsTheFirstWordThatIsNeitherAFlagNorItsValue) {
  EXPECT_EQ(target({"runc", "delete", "--force", "cid"}), "cid");
  EXPECT_EQ(target({"runc", "delete", "-f", "cid"}), "cid");
  EXPECT_EQ(target({"runc", "kill", "cid", "9"}), "cid");
  EXPECT_EQ(target({"runc", "kill", "--all", "cid", "KILL"}), "cid");
  EXPECT_EQ(target({"runc", "state", "cid"}), "cid");
  EXPECT_EQ(target({"runc", "start", "cid"}), "cid");
  EXPECT_EQ(target({"runc", "pause", "cid"}), "cid");
  EXPECT_EQ(target({"runc", "resume", "cid"}), "cid");
  EXPECT_EQ(target({"runc", "ps", "--format", "json", "cid"}), "cid");
  EXPECT_EQ(target({"runc", "ps", "-f", "json", "cid", "-ef"}), "cid");
  EXPECT_EQ(target({"runc", "ps", "--format=json", "cid"}), "cid");
  EXPECT_EQ(target({"runc", "events", "--interval", "5s", "--stats", "cid"}), "cid");
  EXPECT_EQ(target({"runc", "delete", "--", "-odd"}), "-odd");
}

TEST(PassthroughTarget, IsNoneWhenTheCallNamesNoSingleContainer) {
  EXPECT_EQ(target({"runc", "list"}), "");
  EXPECT_EQ(target({"runc", "spec"}), "");
  EXPECT_EQ(target({"runc", "checkpoint", "--image-path", "/i", "cid"}), "") << "not one of ours to look up";
  EXPECT_EQ(target({"runc", "delete"}), "");
  EXPECT_EQ(target({"runc", "delete", "--force"}), "");
  EXPECT_EQ(target({"crun", "delete", "--regex", "c.*"}), "");
  EXPECT_EQ(target({"crun", "kill", "-r", "c.*", "9"}), "");
  EXPECT_EQ(std::string(passthrough_container(std::vector<std::string_view>{"runc"}, 1)), "");
  EXPECT_EQ(std::string(passthrough_container(std::vector<std::string_view>{"runc", "--root", "/r", "state", "cid"}, 3)), "cid");
}

}  // namespace
}  // namespace hardened
