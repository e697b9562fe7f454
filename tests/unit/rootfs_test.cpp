#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

std::vector<std::string> destinations(const json& spec) {
  std::vector<std::string> out;
  for (const auto& m : spec["mounts"]) out.push_back(m["destination"].get<std::string>());
  return out;
}

TEST(Rootfs, RootBecomesReadOnlyAndTmpGetsANoexecTmpfs) {
  auto out = harden_spec(test::minimal_spec(), test::default_profile());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->document["root"]["readonly"], true);
  ASSERT_EQ(destinations(out->document), std::vector<std::string>{"/tmp"});
  const json& tmp = out->document["mounts"][0];
  EXPECT_EQ(tmp["type"], "tmpfs");
  EXPECT_EQ(tmp["options"], json::parse(R"(["noexec","nosuid","nodev","size=64m","mode=1777"])"));
}

TEST(Rootfs, TheContainersOwnTmpIsLeftAlone) {
  json spec = test::minimal_spec();
  spec["mounts"] = json::parse(R"([{"destination":"/tmp/","type":"bind","source":"/srv/t","options":["rbind"]}])");
  auto out = harden_spec(spec, test::default_profile());
  ASSERT_TRUE(out);
  ASSERT_EQ(out->document["mounts"].size(), 1u);
  EXPECT_EQ(out->document["mounts"][0]["source"], "/srv/t");
}

TEST(Rootfs, TmpIsMountedBeforeMountsBelowIt) {
  json spec = test::minimal_spec();
  spec["mounts"] = json::parse(R"([{"destination":"/proc","type":"proc","source":"proc"},
                                   {"destination":"/tmp/cache","type":"bind","source":"/srv/c","options":["rbind"]},
                                   {"destination":"/tmpfoo","type":"tmpfs","source":"tmpfs"}])");
  auto out = harden_spec(spec, test::default_profile());
  ASSERT_TRUE(out);
  EXPECT_EQ(destinations(out->document), (std::vector<std::string>{"/proc", "/tmp", "/tmp/cache", "/tmpfoo"}));
}

TEST(Rootfs, ReadOnlyStaysReadOnlyWhateverTheProfile) {
  Profile p = test::default_profile();
  p.readonly_rootfs = false;
  json spec = test::minimal_spec();
  spec["root"]["readonly"] = true;
  auto out = harden_spec(spec, p);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->document["root"]["readonly"], true);
}

TEST(Rootfs, MissingRootOrBadTypesAreErrors) {
  json no_root = test::minimal_spec();
  no_root.erase("root");
  EXPECT_FALSE(harden_spec(no_root, test::default_profile()));
  json bad_readonly = test::minimal_spec();
  bad_readonly["root"]["readonly"] = "yes";
  EXPECT_FALSE(harden_spec(bad_readonly, test::default_profile()));
  json bad_mounts = test::minimal_spec();
  bad_mounts["mounts"] = json::object();
  EXPECT_FALSE(harden_spec(bad_mounts, test::default_profile()));
}

}  // namespace
}  // namespace hardened
