#include "hardened/json_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

TEST(JsonFile, ReplacesAtomicallyKeepingTheModeAndLeavingNoTempFile) {
  test::TempDir dir;
  const fs::path path = dir.path() / "config.json";
  std::ofstream(path) << R"({"a":1})";
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  auto file = read_json_file(path.string());
  ASSERT_TRUE(file);
  EXPECT_EQ(file->mode, 0640u);
  ASSERT_TRUE(replace_file_atomically(path.string(), R"({"a":2})", *file));
  EXPECT_EQ(test::slurp(path), R"({"a":2})");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1) << "no temp file left";
}

TEST(JsonFile, AFailedWriteLeavesTheOldFile) {
  test::TempDir dir;
  const fs::path path = dir.path() / "config.json";
  std::ofstream(path) << R"({"a":1})";
  auto file = read_json_file(path.string());
  ASSERT_TRUE(file);
  // The directory cannot take the temp file: nothing is replaced.
  ASSERT_EQ(::chmod(dir.path().c_str(), 0500), 0);
  if (::geteuid() == 0) {
    // root ignores directory permissions; use a path whose directory does not exist instead
    auto result = replace_file_atomically((dir.path() / "gone" / "config.json").string(), "{}", *file);
    EXPECT_FALSE(result);
  } else {
    EXPECT_FALSE(replace_file_atomically(path.string(), "{}", *file));
  }
  ::chmod(dir.path().c_str(), 0700);
  EXPECT_EQ(test::slurp(path), R"({"a":1})");
}

}  // namespace
}  // namespace hardened
