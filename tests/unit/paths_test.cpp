#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

TEST(Paths, UnionOfContainerAndProfileKeepingTheContainersOrder) {
  json spec = test::minimal_spec();
  spec["linux"]["maskedPaths"] = json::array({"/custom", "/proc/kcore"});
  auto out = harden_spec(spec, test::default_profile());
  ASSERT_TRUE(out);
  const json& masked = out->document["linux"]["maskedPaths"];
  EXPECT_EQ(masked[0], "/custom");
  EXPECT_EQ(masked[1], "/proc/kcore");
  for (const auto& path : test::default_profile().masked_paths) {
    EXPECT_EQ(std::count(masked.begin(), masked.end(), path), 1) << path;
  }
  EXPECT_EQ(out->document["linux"]["readonlyPaths"].size(), test::default_profile().readonly_paths.size());
}

TEST(Paths, WrongTypeIsAnError) {
  json spec = test::minimal_spec();
  spec["linux"]["readonlyPaths"] = "/proc";
  EXPECT_FALSE(harden_spec(spec, test::default_profile()));
}

}  // namespace
}  // namespace hardened
