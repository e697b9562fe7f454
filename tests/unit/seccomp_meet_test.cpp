// The seccomp rule: the meet of the container's filter and the profile's.
#include <gtest/gtest.h>

#include "hardened/seccomp_compile.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

json small_profile_filter() {
  return json::parse(R"({"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,
    "architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86"],
    "syscalls":[{"names":["read","write","openat","socket"],"action":"SCMP_ACT_ALLOW"},
                {"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]},
                {"names":["mount"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]})");
}

Profile profile_with_small_filter() {
  Profile p = test::default_profile();
  p.seccomp = small_profile_filter();
  return p;
}

json seccomp_after(const json& container_filter) {
  json spec = test::minimal_spec();
  if (!container_filter.is_null()) spec["linux"]["seccomp"] = container_filter;
  auto out = harden_spec(spec, profile_with_small_filter());
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? out->document["linux"]["seccomp"] : json();
}

TEST(SeccompMeet, UnconfinedGetsTheProfilesFilter) { EXPECT_EQ(seccomp_after(nullptr), small_profile_filter()); }

TEST(SeccompMeet, AnAllowByDefaultFilterGetsTheProfilesFilterMinusItsDenials) {
  const json out = seccomp_after(json::parse(R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86"],
      "syscalls":[{"names":["openat"],"action":"SCMP_ACT_ERRNO"}]})"));
  EXPECT_EQ(out["syscalls"][0]["names"], json::parse(R"(["read","write","socket"])"));
  EXPECT_EQ(out["defaultAction"], "SCMP_ACT_ERRNO");
}

TEST(SeccompMeet, AStricterContainerFilterStaysStricter) {
  const json out = seccomp_after(json::parse(R"({"defaultAction":"SCMP_ACT_KILL",
      "syscalls":[{"names":["read","exit"],"action":"SCMP_ACT_ALLOW"}]})"));
  EXPECT_EQ(out["syscalls"][0]["names"], json::array({"read"})) << "exit is not in the profile, write not in the container's";
  EXPECT_EQ(out["syscalls"][1]["names"], json::array({"mount"})) << "the profile's deny rules stand";
  EXPECT_EQ(out["syscalls"].size(), 2u) << "clone is dropped: the container never allows it";
  EXPECT_EQ(out["architectures"], json::array()) << "no architectures in common: the native one only";
}

TEST(SeccompMeet, TheContainersConditionsNarrowAnUnconditionalProfileRule) {
  const json out = seccomp_after(json::parse(R"({"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],
      "syscalls":[{"names":["read","write","openat"],"action":"SCMP_ACT_ALLOW"},
                  {"names":["socket"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]})"));
  EXPECT_EQ(out["syscalls"][0]["names"], json::parse(R"(["read","write","openat"])"));
  EXPECT_EQ(out["syscalls"][1]["names"], json::array({"socket"}));
  EXPECT_EQ(out["syscalls"][1]["args"][0]["value"], 1);
  EXPECT_EQ(out["architectures"], json::array({"SCMP_ARCH_X86_64"}));
}

TEST(SeccompMeet, ConditionsThatDifferFromTheContainersAreDropped) {
  const json out = seccomp_after(json::parse(R"({"defaultAction":"SCMP_ACT_ERRNO",
      "syscalls":[{"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]})"));
  for (const auto& rule : out["syscalls"]) {
    if (rule["action"] == "SCMP_ACT_ALLOW") {
      EXPECT_EQ(std::find(rule["names"].begin(), rule["names"].end(), "clone"), rule["names"].end());
    }
  }
}

TEST(SeccompMeet, TheContainersConditionalDenialsAreKept) {
  const json audit_deny = json::parse(R"({"names":["socket"],"action":"SCMP_ACT_ERRNO","errnoRet":22,
      "args":[{"index":0,"value":16,"valueTwo":0,"op":"SCMP_CMP_EQ"},{"index":2,"value":9,"valueTwo":0,"op":"SCMP_CMP_EQ"}]})");
  json container = json::parse(R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write","socket"],"action":"SCMP_ACT_ALLOW"}]})");
  container["syscalls"].push_back(audit_deny);
  const json out = seccomp_after(container);
  EXPECT_EQ(out["syscalls"].back(), audit_deny);
  EXPECT_TRUE(compile_seccomp(out)) << "libseccomp accepts an allow and a conditional deny for one syscall";
}

// A conditional SCMP_ACT_NOTIFY rule hands the call to a listener agent the met filter does not keep
// (listenerPath is the profile's: none), so runc refused to start (found by a red-team pass): it is a
// plain EPERM now, and the audit trail says so.
TEST(SeccompMeet, TheContainersNotifyRulesDenyWithEperm) {
  json container = json::parse(R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/agent.sock",
      "syscalls":[{"names":["openat"],"action":"SCMP_ACT_NOTIFY","args":[{"index":2,"value":64,"valueTwo":64,"op":"SCMP_CMP_MASKED_EQ"}]}]})");
  json spec = test::minimal_spec();
  spec["linux"]["seccomp"] = container;
  auto out = harden_spec(spec, profile_with_small_filter());
  ASSERT_TRUE(out) << out.error().message;
  const json& filter = out->document["linux"]["seccomp"];
  EXPECT_FALSE(filter.contains("listenerPath"));
  const json& last = filter["syscalls"].back();
  EXPECT_EQ(last["names"], json::array({"openat"}));
  EXPECT_EQ(last["action"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(last["errnoRet"], 1);
  EXPECT_EQ(last["args"][0]["value"], 64);
  EXPECT_TRUE(std::any_of(out->changes.begin(), out->changes.end(), [](const Change& c) {
    return c.detail.find("SCMP_ACT_NOTIFY rules for openat deny with EPERM") != std::string::npos;
  }));
  EXPECT_TRUE(compile_seccomp(filter));
  auto again = harden_spec(out->document, profile_with_small_filter());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->document, out->document);
}

// A name in several of the container's rules is judged by all of them (here socket is allowed outright
// by one and under a condition by another), and each name it loses is reported once, in its order.
TEST(SeccompMeet, ANameInSeveralRulesIsJudgedByAllAndReportedOnce) {
  json spec = test::minimal_spec();
  spec["linux"]["seccomp"] = json::parse(R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
      {"names":["write","exit","read"],"action":"SCMP_ACT_ALLOW"},
      {"names":["exit","socket"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]},
      {"names":["socket","kill"],"action":"SCMP_ACT_ALLOW"}]})");
  auto out = harden_spec(spec, profile_with_small_filter());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->document["linux"]["seccomp"]["syscalls"][0]["names"], json::parse(R"(["read","write","socket"])"));
  const auto change = std::find_if(out->changes.begin(), out->changes.end(), [](const Change& c) { return c.rule == "seccomp"; });
  ASSERT_NE(change, out->changes.end());
  EXPECT_NE(change->detail.find("denied 2 syscalls it allowed: exit, kill"), std::string::npos) << change->detail;
}

TEST(SeccompMeet, IsIdempotent) {
  for (const char* filter : {R"({"defaultAction":"SCMP_ACT_ALLOW"})",
                             R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","socket"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":3,"op":"SCMP_CMP_GT"}]},
                                 {"names":["write"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]})"}) {
    json spec = test::minimal_spec();
    spec["linux"]["seccomp"] = json::parse(filter);
    auto once = harden_spec(spec, profile_with_small_filter());
    ASSERT_TRUE(once);
    auto twice = harden_spec(once->document, profile_with_small_filter());
    ASSERT_TRUE(twice);
    EXPECT_EQ(twice->document, once->document) << filter;
    EXPECT_FALSE(test::has_change(twice->changes, "seccomp")) << filter;
  }
}

TEST(SeccompMeet, MalformedContainerFilterIsAnError) {
  for (const char* bad : {R"("none")", R"({"syscalls":[]})", R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":{}})",
                          R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":"read","action":"SCMP_ACT_ALLOW"}]})"}) {
    json spec = test::minimal_spec();
    spec["linux"]["seccomp"] = json::parse(bad);
    EXPECT_FALSE(harden_spec(spec, profile_with_small_filter())) << bad;
  }
}

}  // namespace
}  // namespace hardened
