// A user namespace's mappings are judged by the host ids they reach (rule user, id_mappings.cpp).
#include <gtest/gtest.h>

#include "hardened/harden.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

HostFacts host() {
  HostFacts facts;
  facts.identities.users = {{0, {"root", false}}, {33, {"www-data", true}}, {1000, {"alice", false}}, {1100, {"postgres", true}}};
  facts.identities.groups = {{0, {"root", false}}, {1000, {"alice", false}}, {1100, {"postgres", true}}};
  return facts;
}

json mapped(std::int64_t container, std::int64_t host_id, std::int64_t size, const char* key = "uidMappings") {
  json spec = test::minimal_spec();
  spec["linux"]["namespaces"].push_back({{"type", "user"}});
  spec["linux"][key] = json::array({{{"containerID", container}, {"hostID", host_id}, {"size", size}}});
  return spec;
}

std::vector<std::string> refusals(const json& spec, const HostFacts& facts = host()) {
  auto decided = decide_spec(spec, test::default_profile(), facts);
  EXPECT_TRUE(decided) << decided.error().message;
  std::vector<std::string> out;
  for (const auto& d : decided ? decided->denials : Findings{}) {
    if (d.message.find("Mappings") != std::string::npos) out.push_back(d.message);
  }
  return out;
}

// Docker's --userns-remap: the subordinate ids of dockremap (/etc/subuid), no account's.
TEST(IdMappings, SubordinateIdsPass) {
  EXPECT_TRUE(refusals(mapped(0, 165536, 65536)).empty());
  EXPECT_TRUE(refusals(mapped(0, 165536, 65536, "gidMappings")).empty());
  EXPECT_TRUE(refusals(mapped(0, 0, 0)).empty()) << "an empty range maps nothing";
}

// The red-team's finding: uid 1001, which the user rule lets through, was the host's root.
TEST(IdMappings, HostRootSystemIdsAndServiceAccountsAreRefused) {
  const auto root = refusals(mapped(1001, 0, 1));
  ASSERT_EQ(root.size(), 1u);
  EXPECT_NE(root[0].find("host uid 0 is root"), std::string::npos) << root[0];
  EXPECT_NE(root[0].find("/etc/subuid"), std::string::npos) << root[0];
  EXPECT_EQ(refusals(mapped(0, 100, 10)).size(), 1u) << "below UID_MIN: the host's system ids";
  EXPECT_EQ(refusals(mapped(0, 1050, 100)).size(), 1u) << "covers postgres (1100), a service account";
  EXPECT_EQ(refusals(mapped(0, 0, 1, "gidMappings")).size(), 1u) << "gid 0";
  EXPECT_TRUE(refusals(mapped(0, 1000, 1)).empty()) << "a login user is not protected by host_accounts: services";
}

// The kernel lets a non-root caller map only the ids it has: a rootless runc gains nothing.
TEST(IdMappings, ARootlessCallerIsNotJudged) {
  HostFacts rootless = host();
  rootless.caller_uid = 1000;
  EXPECT_TRUE(refusals(mapped(0, 1000, 1), rootless).empty());
  EXPECT_TRUE(refusals(mapped(1001, 0, 1), rootless).empty());
}

TEST(IdMappings, MalformedIsAnError) {
  for (const json& bad : {json("x"), json::array({1}), json::array({{{"containerID", 0}, {"hostID", -1}, {"size", 1}}}),
                          json::array({{{"containerID", 0}, {"hostID", 1}}})}) {
    json spec = test::minimal_spec();
    spec["linux"]["uidMappings"] = bad;
    EXPECT_FALSE(decide_spec(spec, test::default_profile(), host())) << bad.dump();
  }
}

}  // namespace
}  // namespace hardened
