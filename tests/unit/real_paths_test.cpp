// RealPaths reads each shared prefix once, and must still answer what realpath(3) answers for every path:
// the rules compare the named paths (denied directories, engine sockets) by what they resolve to, and
// identify each by the status its walk read.
#include <gtest/gtest.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "hardened/real_paths.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> libc_realpath(const std::string& path) {
  char out[PATH_MAX];
  return ::realpath(path.c_str(), out) != nullptr ? std::optional<std::string>(out) : std::nullopt;
}

TEST(RealPaths, AnswersAsRealpathDoesWhileReadingEachDirectoryOnce) {
  const test::TempDir tmp;
  const fs::path root = tmp.path();
  fs::create_directories(root / "real" / "dir");
  std::ofstream(root / "real" / "dir" / "file") << "x";
  std::ofstream(root / "real" / "secret") << "x";
  fs::create_directory_symlink(root / "real", root / "linked");                          // like /var/run -> /run
  fs::create_symlink(root / "real" / "secret", root / "real" / "dir" / "innocent");      // the last component a link
  fs::create_symlink("../secret", root / "real" / "dir" / "relative");                   // a relative link
  fs::create_symlink(root / "real" / "nowhere", root / "real" / "dir" / "dangling");     // a link to nothing
  fs::create_directory_symlink(root / "real" / "dir", root / "real" / "dirlink");        // a link to a directory

  RealPaths paths;  // one resolver for all, as a create uses it: the directories' answers are reused
  for (const std::string& path :
       {(root / "linked" / "dir" / "file").string(), (root / "linked" / "dir" / "innocent").string(),
        (root / "linked" / "dir" / "relative").string(), (root / "real" / "dir" / "file").string(),
        (root / "linked" / "dir" / "missing").string(), (root / "linked" / "dir" / "..").string(),
        (root / "linked" / "dir" / ".").string(), (root / "linked" / "dir" / "dangling").string(),
        (root / "linked" / "dirlink").string(), (root / "linked" / "dirlink" / "file").string(),
        (root / "missing" / "dir" / "file").string(), (root / "linked" / "dir").string() + "/", std::string("/"),
        std::string("/proc"), std::string("/proc/self/.."), (root / "linked").string() + "//dir/file",
        (root / "linked" / "." / "dir" / "innocent").string(), (root / "real" / "dir" / "file" / "under-a-file").string(),
        (root / "linked" / "dir" / "dangling" / "file").string()}) {
    const auto found = paths.resolve(path);
    const auto expected = libc_realpath(path);
    ASSERT_EQ(found.has_value(), expected.has_value()) << path;
    if (!found) continue;
    EXPECT_EQ(found->path, *expected) << path;
    // What the walk read of the path's last step is what lstat says of the real path (mount_facts uses it).
    struct stat st {};
    ASSERT_EQ(::lstat(expected->c_str(), &st), 0) << path;
    if (found->status) {
      EXPECT_EQ(found->status->stx_ino, st.st_ino) << path;
      EXPECT_EQ(found->status->stx_mode, st.st_mode) << path;
    }
  }
}

}  // namespace
}  // namespace hardened
