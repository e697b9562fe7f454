// controlled_component: which directory on runc's way to a bind source someone other than root could
// change, so that what runc mounts later may not be what was checked (rule mount_race, staging). The
// walk is the kernel's: links are followed, the last one too, and their targets' directories count.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "hardened/mount_facts.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

class ControlledComponent : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root-owned directories: run as root (CI does)";
    dir_.emplace();
    ASSERT_FALSE(dir_->path().empty());
    base_ = dir_->path();
    fs::create_directories(base_ / "a" / "b");
    std::ofstream(base_ / "a" / "b" / "file") << "x";
    fs::create_directories(base_ / "open" / "target");
    fs::permissions(base_ / "open", fs::perms::all | fs::perms::sticky_bit);  // 1777, as /tmp
    fs::create_directories(base_ / "user" / "x");
    ASSERT_EQ(::chown((base_ / "user").c_str(), 1000, 1000), 0);
  }
  std::string at(const std::string& rest) const { return (base_ / rest).string(); }

  std::optional<test::RootOnlyTempDir> dir_;
  fs::path base_;
};

TEST_F(ControlledComponent, ARootOnlyPathHasNone) {
  EXPECT_EQ(controlled_component(at("a/b/file")), "");
  EXPECT_EQ(controlled_component(at("a/./b/../b/file")), "");
  EXPECT_EQ(controlled_component(at("a/missing/file")), "") << "a missing component: only its root-owned directory can make it";
  fs::create_directory_symlink(base_ / "a", base_ / "root-link");  // a link in a root-only directory, to one
  EXPECT_EQ(controlled_component(at("root-link/b/file")), "");
}

TEST_F(ControlledComponent, ADirectoryOthersMayWriteOrAnotherUidOwnsIsNamed) {
  EXPECT_EQ(controlled_component(at("open/target")), at("open"));
  EXPECT_EQ(controlled_component(at("user/x")), at("user"));
  EXPECT_EQ(controlled_component(at("open")), "") << "the last component itself is what was judged";
}

TEST_F(ControlledComponent, LinksAreFollowedTheLastOneToo) {
  // a root-owned path that ends in a link into a directory others may write: they can swap the target
  fs::create_directory_symlink(base_ / "open" / "target", base_ / "a" / "to-open");
  EXPECT_EQ(controlled_component(at("a/to-open")), at("open"));
  // relative
  fs::create_directory_symlink("../open/target", base_ / "a" / "relative");
  EXPECT_EQ(controlled_component(at("a/relative")), at("open"));
  // a link in an open directory pointing at a root-only one: the link itself can be swapped
  fs::create_directory_symlink(base_ / "a", base_ / "open" / "to-root");
  EXPECT_EQ(controlled_component(at("open/to-root/b/file")), at("open"));
  // a chain: root-only link -> link in an open directory -> root-only target
  fs::create_symlink(base_ / "open" / "to-root", base_ / "chain");
  EXPECT_EQ(controlled_component(at("chain")), at("open"));
  // a loop ends the walk where the kernel would (ELOOP), and names it
  fs::create_symlink(base_ / "loop", base_ / "loop");
  EXPECT_EQ(controlled_component(at("loop")), at("loop"));
}

TEST_F(ControlledComponent, WalksThatShareWhatTheyFoundAnswerAsEachAlone) {
  fs::create_directory_symlink(base_ / "open" / "target", base_ / "a" / "to-open");
  fs::create_directory_symlink(base_ / "a", base_ / "open" / "to-root");
  RootOnlyDirs known;  // as one create shares it between its bind sources and its staging
  for (const std::string rest : {"a/b/file", "a/to-open", "open/to-root/b/file", "a/missing/file", "user/x", "a/b/file", "a/to-open"}) {
    EXPECT_EQ(controlled_component(at(rest), &known), controlled_component(at(rest))) << rest;
  }
  EXPECT_TRUE(known.contains(at("a/b")));
  EXPECT_FALSE(known.contains(at("open"))) << "only directories no one but root can change";
  EXPECT_FALSE(known.contains(at("user")));
  EXPECT_FALSE(known.contains(at("a/to-open"))) << "a link is no directory";
}

TEST_F(ControlledComponent, ProcfsIsNeverRootsAlone) {
  // a pid missing now can be a user's later; /proc/<pid>/root and cwd go where that process is
  EXPECT_EQ(controlled_component("/proc/self/cwd"), "/proc");
  EXPECT_EQ(controlled_component("/proc/999999999/cwd/etc"), "/proc");
  EXPECT_EQ(controlled_component(at("a/../../../proc/1/root/etc")), "/proc");
  fs::create_symlink("/proc/1/cwd", base_ / "a" / "to-proc");  // a root-owned link into procfs
  EXPECT_EQ(controlled_component(at("a/to-proc")), "/proc");
  EXPECT_EQ(controlled_component("/dev/fd/9"), "/proc") << "/dev/fd is a link to /proc/self/fd";
}

}  // namespace
}  // namespace hardened
