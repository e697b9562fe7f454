// Runtime flags that would loosen the profile with no tighter form to rewrite them to are refused.
#include "hardened/flag_policy.hpp"

#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

using test::words;

Findings judged(const std::string& line) {
  auto inv = parse_invocation(words(line));
  EXPECT_TRUE(inv) << line << ": " << (inv ? "" : inv.error().message);
  return inv ? refuse_runtime_flags(*inv) : Findings{};
}

TEST(FlagPolicy, RefusesWhatLoosensTheProfile) {
  for (const char* line : {"create --config other.json -b /b cid", "run -f /elsewhere/config.json -b /b cid",
                           "--cgroup-manager=disabled create -b /b cid", "--cgroup-manager disabled run -b /b cid",
                           "exec --apparmor unconfined cid sh", "exec --process-label system_u:system_r:spc_t:s0 cid sh",
                           "exec --cgroup ../other cid sh", "exec --cgroup cpu,memory:a/../../b cid sh", "exec --cgroup=.. cid sh"}) {
    const Findings denials = judged(line);
    ASSERT_EQ(denials.size(), 1u) << line;
    EXPECT_EQ(denials[0].rule, "runtime_flags");
    EXPECT_TRUE(denials[0].message.starts_with("refused by rule runtime_flags: ")) << denials[0].message;
  }
}

TEST(FlagPolicy, PassesWhatKeepsIt) {
  for (const char* line : {"create --config config.json -b /b cid", "create -f /b/config.json -b /b cid", "run -f ./config.json cid",
                           "--cgroup-manager=cgroupfs create -b /b cid", "--cgroup-manager systemd run -b /b cid",
                           "--cgroup-manager=disabled state cid", "exec --cgroup sub cid sh", "exec --cgroup cpu:a/b..c cid sh",
                           "exec --user 0 --cap CAP_SYS_ADMIN cid sh", "update --memory 1g cid"}) {
    EXPECT_TRUE(judged(line).empty()) << line;
  }
}

// crun reads a --config other than "config.json" from where it was started, before it enters the bundle.
TEST(FlagPolicy, AConfigFileRelativeToWhereCrunStartedIsNotTheBundles) {
  for (const char* line : {"create -b /x/A --config ./config.json cid", "run --bundle=/x/A -f ./config.json cid", "create -b A -f config.json/ cid"}) {
    EXPECT_EQ(judged(line).size(), 1u) << line;
  }
}

TEST(FlagPolicy, TheMessageSaysWhatToDo) {
  EXPECT_NE(judged("exec --apparmor unconfined cid sh")[0].message.find("leave it out"), std::string::npos);
  EXPECT_NE(judged("create -f x.json -b /b cid")[0].message.find("/b/config.json"), std::string::npos);
}

}  // namespace
}  // namespace hardened
