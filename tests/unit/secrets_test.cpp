#include <fnmatch.h>
#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

json with_env(std::initializer_list<std::string> env) {
  json spec = test::minimal_spec();
  spec["process"]["env"] = env;
  return spec;
}

Findings warnings_of(const json& spec, const Profile& profile = test::default_profile()) {
  auto out = decide_spec(spec, profile);
  EXPECT_TRUE(out);
  EXPECT_TRUE(out->denials.empty());
  return out->warnings;
}

TEST(Secrets, NamesValuesAndRandomLookingStringsAreFlagged) {
  const std::string key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
  const auto found = warnings_of(with_env({"DB_PASSWORD=x", "github_token=y", "AWS_SECRET_ACCESS_KEY=z", "SSH_ID=" + key,
                                           "KEY_ID=AKIAIOSFODNN7EXAMPLE", "SESSION=f3Kx9qLm2Vb7Zt1Wc8Rn4Hy6Pd0Js5Ga", "HEX=4f1a9c2e8b7d6035e1f2a3b4c5d6e7f8"}));
  ASSERT_EQ(found.size(), 7u);
  EXPECT_NE(found[0].message.find("DB_PASSWORD looks like a secret (its name matches *PASSWORD*)"), std::string::npos) << found[0].message;
  EXPECT_NE(found[1].message.find("github_token"), std::string::npos) << "names are matched case-insensitively";
  EXPECT_NE(found[3].message.find("its value matches *-----BEGIN*PRIVATE KEY-----*"), std::string::npos) << found[3].message;
  EXPECT_NE(found[5].message.find("long random-looking string"), std::string::npos) << found[5].message;
}

TEST(Secrets, TheValueIsNeverInAMessage) {
  auto out = decide_spec(with_env({"API_TOKEN=s3cr3t-v4lue-xyz", "X=AKIAIOSFODNN7EXAMPLE"}), test::default_profile());
  ASSERT_TRUE(out);
  for (const auto& f : out->warnings) {
    EXPECT_EQ(f.message.find("s3cr3t"), std::string::npos);
    EXPECT_EQ(f.message.find("AKIAIOSFODNN7EXAMPLE"), std::string::npos);
  }
}

TEST(Secrets, OrdinaryEnvironmentsAreQuiet) {
  EXPECT_TRUE(warnings_of(with_env({"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=2bbc023dfdff",
                                    "JAVA_OPTS=-Xmx512m -XX:+UseG1GC -Dfile.encoding=UTF-8", "LANG=C.UTF-8",
                                    "NGINX_VERSION=1.25.3", "CLASSPATH=/app/lib/a.jar:/app/lib/b.jar:/app/lib/c.jar",
                                    "URL=https://example.com/api/v1/resources/items", "EMPTY="}))
                  .empty());
  for (const auto& name : test::fixture_names("create")) {
    EXPECT_TRUE(warnings_of(test::fixture("create", name), test::permissive_deny(test::default_profile())).empty()) << name;
  }
}

TEST(Secrets, RefuseModeRefusesAndOffIsOff) {
  Profile refuse = test::default_profile();
  refuse.secrets.action = SecretsPolicy::Action::refuse;
  auto out = harden_spec(with_env({"DB_PASSWORD=hunter2"}), refuse);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("refused by rule secrets: environment variable DB_PASSWORD"), std::string::npos);
  EXPECT_EQ(out.error().message.find("hunter2"), std::string::npos);
  Profile off = test::default_profile();
  off.secrets.action = SecretsPolicy::Action::off;
  EXPECT_TRUE(warnings_of(with_env({"DB_PASSWORD=hunter2"}), off).empty());
}

// The rule skips fnmatch when a text lacks a pattern's first or longest plain characters: every verdict
// stays fnmatch's own, brackets, '?', escapes and case included.
TEST(Secrets, EveryVerdictIsFnmatchs) {
  const std::vector<std::string> patterns{"*pass?ord*", "x[ab]c*", "\\*lit*", "db_*", "*", "?", "", "A*B*C", "[!a]*key", "*[0-9]"};
  const std::vector<std::string> texts{"MY_PASSWORD", "my_pass_ord", "xbc_1", "XAC", "*lit_x", "DB_HOST", "d", "abc", "a_b_c_KEY",
                                       "bkey", "aKEY", "v9", "", "AXBYC"};
  for (const auto& pattern : patterns) {
    Profile profile = test::default_profile();
    profile.secrets.name_patterns = {pattern};
    profile.secrets.value_patterns = {pattern};
    profile.secrets.entropy_min_length = 0;
    for (const auto& text : texts) {
      const bool name = ::fnmatch(pattern.c_str(), text.c_str(), FNM_CASEFOLD) == 0;
      const bool value = !text.empty() && ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
      const auto found = warnings_of(with_env({text + "=" + text}), profile);
      EXPECT_EQ(!found.empty(), name || value) << pattern << " on " << text;
      if (!found.empty()) {
        EXPECT_EQ(found[0].message.find("its name matches") != std::string::npos, name) << pattern << " on " << text;
      }
    }
  }
}

}  // namespace
}  // namespace hardened
