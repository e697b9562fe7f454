// Rule mount_namespace: the container's mounts stay in a namespace of its own.
#include <gtest/gtest.h>

#include "hardened/harden.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

std::vector<std::string> refusals(const json& spec) {
  auto decided = decide_spec(spec, test::default_profile());
  EXPECT_TRUE(decided) << decided.error().message;
  std::vector<std::string> out;
  if (decided) {
    for (const auto& d : decided->denials) {
      if (d.rule == "mount_namespace") out.push_back(d.message);
    }
  }
  return out;
}

json with_mount_ns(json spec, const json& entry) {
  for (auto& ns : spec["linux"]["namespaces"]) {
    if (ns["type"] == "mount") ns = entry;
  }
  return spec;
}

TEST(MountNamespace, DockersSpecHasItsOwn) {
  EXPECT_TRUE(refusals(test::fixture("create", "default")).empty());
  EXPECT_TRUE(refusals(test::fixture("create", "volume")).empty());
  EXPECT_TRUE(refusals(with_mount_ns(test::minimal_spec(), {{"type", "mount"}, {"path", ""}})).empty()) << "an empty path is none";
}

// /proc/1/ns/mnt: pivot_root in the host's namespace moves every host process's root; another
// container's namespace is that container. Any path is refused.
TEST(MountNamespace, JoiningAnExistingOneIsRefused) {
  for (const char* path : {"/proc/1/ns/mnt", "/proc/4242/ns/mnt", "/run/netns/x"}) {
    const auto found = refusals(with_mount_ns(test::minimal_spec(), {{"type", "mount"}, {"path", path}}));
    ASSERT_EQ(found.size(), 1u) << path;
    EXPECT_NE(found[0].find(path), std::string::npos) << found[0];
    EXPECT_NE(found[0].find("remove \"path\""), std::string::npos) << found[0];
  }
}

TEST(MountNamespace, NoneOfItsOwnIsRefused) {
  json spec = test::minimal_spec();
  json kept = json::array();
  for (const auto& ns : spec["linux"]["namespaces"]) {
    if (ns["type"] != "mount") kept.push_back(ns);
  }
  spec["linux"]["namespaces"] = kept;
  const auto found = refusals(spec);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("no mount namespace of its own"), std::string::npos) << found[0];
}

// Docker's -v SRC:DST:rshared writes "rshared" on the mount and linux.rootfsPropagation "rshared".
TEST(MountNamespace, SharedPropagationIsRefusedPrivateAndSlaveAreNot) {
  for (const char* word : {"shared", "rshared"}) {
    json spec = test::minimal_spec();
    spec["linux"]["rootfsPropagation"] = word;
    EXPECT_EQ(refusals(spec).size(), 1u) << word;
    spec = test::minimal_spec();
    spec["mounts"] = json::array({{{"destination", "/c"}, {"type", "bind"}, {"source", "/srv/c"}, {"options", {"rbind", word}}}});
    const auto found = refusals(spec);
    ASSERT_EQ(found.size(), 1u) << word;
    EXPECT_NE(found[0].find("the mount on /c"), std::string::npos) << found[0];
  }
  for (const char* word : {"private", "rprivate", "slave", "rslave"}) {
    json spec = test::minimal_spec();
    spec["linux"]["rootfsPropagation"] = word;
    spec["mounts"] = json::array({{{"destination", "/c"}, {"type", "bind"}, {"source", "/srv/c"}, {"options", {"rbind", word}}}});
    EXPECT_TRUE(refusals(spec).empty()) << word;
  }
  json odd = test::minimal_spec();
  odd["linux"]["rootfsPropagation"] = 1;
  EXPECT_FALSE(decide_spec(odd, test::default_profile())) << "not a string: malformed";
}

}  // namespace
}  // namespace hardened
