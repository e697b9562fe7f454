// lexical_path gives the policy's lists, the spec's destinations and the mount table's paths one
// spelling; the rules compare those spellings, so each case here is a way to write the same path.
#include <gtest/gtest.h>

#include "hardened/lexical_path.hpp"

namespace hardened {
namespace {

TEST(LexicalPath, GivesEverySpellingOfAPathOne) {
  const std::pair<const char*, const char*> cases[] = {
      {"/", "/"},           {"", "/"},                {".", "/"},           {"..", "/"},          {"//", "/"},
      {"/a", "/a"},         {"a", "/a"},              {"/a/", "/a"},        {"//a//b//", "/a/b"}, {"/a/./b/.", "/a/b"},
      {"/a/b/..", "/a"},    {"/a/b/../..", "/"},      {"/../../a", "/a"},   {"/a/../../b", "/b"}, {"//a/./b/../c/", "/a/c"},
      {"/a/..b/c", "/a/..b/c"}, {"/a/b./c", "/a/b./c"}, {"/a/.../c", "/a/.../c"}, {"/etc/../etc/shadow", "/etc/shadow"},
      {"/run/docker.sock/.", "/run/docker.sock"},
  };
  for (const auto& [path, lexical] : cases) EXPECT_EQ(lexical_path(path), lexical) << path;
}

TEST(LexicalPath, SameOrUnderComparesWholeComponents) {
  EXPECT_TRUE(same_or_under("/var/lib", "/var/lib"));
  EXPECT_TRUE(same_or_under("/var/lib/docker", "/var/lib"));
  EXPECT_TRUE(same_or_under("/anything", "/"));
  EXPECT_FALSE(same_or_under("/var/library", "/var/lib"));
  EXPECT_FALSE(same_or_under("/var", "/var/lib"));
  EXPECT_FALSE(same_or_under("/var/li", "/var/lib"));
}

}  // namespace
}  // namespace hardened
