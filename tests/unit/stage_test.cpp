// stage_sources: each bind source opened when it was checked is bind-mounted under the state dir and
// the spec points there, so runc mounts the object that was checked; runc's createRuntime hook takes
// the stages off. A create with nothing to stage leaves nothing behind: no directory, no hook.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "hardened/stage.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

class StageSources : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "stages are bind mounts in root-only directories: run as root (CI does)";
    dir_.emplace();  // a missing source here is no one's but root's to make
    ASSERT_FALSE(dir_->path().empty());
    base_ = dir_->path();
    std::ofstream(base_ / "file") << "x";
  }
  void TearDown() override {
    if (!base_.empty()) unstage(stage_dir(state(), "c1"));  // before the directory goes
  }
  std::string at(const std::string& rest) const { return (base_ / rest).string(); }
  std::string state() const { return at("state"); }
  static json spec_with(const std::string& source) {
    return {{"mounts", {{{"destination", "/etc/hosts"}, {"type", "bind"}, {"source", source}, {"options", {"rbind", "rprivate"}}}}}};
  }

  std::optional<test::RootOnlyTempDir> dir_;
  fs::path base_;
};

TEST_F(StageSources, NothingToStageLeavesNoDirectoryAndNoHook) {
  json spec = spec_with(at("missing"));
  const OpenSources open;  // nothing opened: the source was not there when it was checked
  ASSERT_TRUE(stage_sources(spec, open, base_.string(), state(), "c1", "/usr/sbin/hardened-runtime"));
  EXPECT_FALSE(spec.contains("hooks"));
  EXPECT_EQ(spec["mounts"][0]["source"], at("missing"));
  EXPECT_FALSE(fs::exists(state())) << "no stage directory for nothing";
}

TEST_F(StageSources, AMissingSourceOthersCouldMakeIsRefusedBeforeAnythingIsStaged) {
  json spec = spec_with("/tmp/hardened-test-missing-" + std::to_string(::getpid()) + "/hosts");
  OpenSources open;
  open.fds[at("file")] = ::open(at("file").c_str(), O_PATH | O_CLOEXEC);  // another mount's, opened
  const auto staged = stage_sources(spec, open, base_.string(), state(), "c1", "/usr/sbin/hardened-runtime");
  ASSERT_FALSE(staged);
  EXPECT_NE(staged.error().message.find("refused by rule mount_race"), std::string::npos) << staged.error().message;
  EXPECT_FALSE(fs::exists(state()));
}

TEST_F(StageSources, AnOpenedSourceIsMountedUnderTheStateDirAndAHookTakesItOff) {
  json spec = spec_with(at("file"));
  OpenSources open;
  open.fds[at("file")] = ::open(at("file").c_str(), O_PATH | O_CLOEXEC);
  ASSERT_TRUE(stage_sources(spec, open, base_.string(), state(), "c1", "/usr/sbin/hardened-runtime"));
  const std::string stage = spec["mounts"][0]["source"].get<std::string>();
  EXPECT_EQ(stage, stage_dir(state(), "c1") + "/0");
  struct stat checked {}, staged {};
  ASSERT_EQ(::stat(at("file").c_str(), &checked), 0);
  ASSERT_EQ(::stat(stage.c_str(), &staged), 0);
  EXPECT_EQ(staged.st_ino, checked.st_ino) << "the stage is the object that was checked";
  EXPECT_EQ(staged.st_dev, checked.st_dev);
  EXPECT_EQ(spec["hooks"]["createRuntime"][0]["args"], json({"hardened-runtime", "unstage", stage_dir(state(), "c1")}));
  unstage(stage_dir(state(), "c1"));
  EXPECT_FALSE(fs::exists(stage_dir(state(), "c1")));
}

}  // namespace
}  // namespace hardened
