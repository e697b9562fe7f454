// What create leaves in state_dir for exec, update and audit: written as one new file, or over a record
// an earlier container of the same id left.
#include "hardened/creation_record.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

const CreationRecord kRecord{"web", "annotation org.hardened-runtime.profile \"web\"", "enforce", "", "", ""};

TEST(CreationRecord, IsMadeWithItsStateDirectoryAndReadsBack) {
  test::TempDir dir;
  const std::string state = (dir.path() / "state").string();  // not there yet: the first record since boot
  ASSERT_TRUE(write_creation_record(state, "abc123", kRecord));
  const auto read = read_creation_record(state, "abc123");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->profile, "web");
  EXPECT_EQ(read->selected_by, kRecord.selected_by);  // quotes escaped and back
  EXPECT_EQ(read->mode, "enforce");
  EXPECT_EQ(test::load(fs::path(state) / "abc123.json"),
            json::parse(R"({"mode":"enforce","profile":"web","runtime":"","selected_by":"annotation org.hardened-runtime.profile \"web\""})"));
  struct stat st {};
  ASSERT_EQ(::stat((fs::path(state) / "abc123.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u) << "root's alone";
}

TEST(CreationRecord, KeepsTheRuntimeItsRootAndTheHostConfig) {
  test::TempDir dir;
  const CreationRecord record{"web", "default_profile", "enforce", "/usr/bin/crun", "/run/crun-it", "/etc/hr/crun.json"};
  ASSERT_TRUE(write_creation_record(dir.path().string(), "abc123", record));
  const auto read = read_creation_record(dir.path().string(), "abc123");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->runtime, "/usr/bin/crun");
  EXPECT_EQ(read->root, "/run/crun-it");
  EXPECT_EQ(read->config, "/etc/hr/crun.json");
}

TEST(CreationRecord, AnOlderOrOddRecordReadsWithoutThrowing) {
  test::TempDir dir;
  std::ofstream(dir.path() / "old.json") << R"({"mode":"enforce","profile":"web","selected_by":"x"})";
  const auto old = read_creation_record(dir.path().string(), "old");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->runtime, "") << "before records kept it: the host config decides";
  std::ofstream(dir.path() / "odd.json") << R"({"mode":1,"profile":"web","selected_by":[],"runtime":2})";
  const auto odd = read_creation_record(dir.path().string(), "odd");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->selected_by, "");
  EXPECT_EQ(odd->runtime, "");
}

TEST(CreationRecord, OfAnIdUsedAgainReplacesTheOldOneWhole) {
  test::TempDir dir;
  const std::string state = dir.path().string();
  std::ofstream(dir.path() / "abc123.json") << R"({"mode":"audit","profile":"old","selected_by":"x"})";
  ASSERT_TRUE(write_creation_record(state, "abc123", kRecord));
  EXPECT_EQ(read_creation_record(state, "abc123")->profile, "web");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1) << "no temp file left";
}

TEST(CreationRecord, FailsLoudlyWhenTheStateDirectoryCannotBeMade) {
  test::TempDir dir;
  std::ofstream(dir.path() / "file") << "";
  const auto written = write_creation_record((dir.path() / "file" / "state").string(), "abc123", kRecord);
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("cannot create the state directory"), std::string::npos) << written.error().message;
}

TEST(CreationRecord, IsNotWrittenForAnIdThatIsNotAFileName) {
  test::TempDir dir;
  for (const char* id : {"", ".hidden", "a/b"}) {
    EXPECT_TRUE(write_creation_record(dir.path().string(), id, kRecord));
    EXPECT_FALSE(read_creation_record(dir.path().string(), id));
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 0);
}

}  // namespace
}  // namespace hardened
