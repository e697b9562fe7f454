#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

json user_after(const json& user) {
  json process = {{"args", {"sh"}}};
  if (!user.is_null()) process["user"] = user;
  auto out = harden_process(process, test::default_profile());
  EXPECT_TRUE(out);
  return out ? out->document["user"] : json();
}

TEST(User, RootBecomesTheProfileUser) {
  EXPECT_EQ(user_after(json::parse(R"({"uid":0,"gid":0,"additionalGids":[0,2000]})")),
            json::parse(R"({"uid":1001,"gid":1001,"additionalGids":[2000]})"));
}

TEST(User, AbsentUserMeansRootAndIsReplaced) {
  EXPECT_EQ(user_after(nullptr), json::parse(R"({"uid":1001,"gid":1001})"));
  EXPECT_EQ(user_after(json::object()), json::parse(R"({"uid":1001,"gid":1001})"));
}

TEST(User, NonRootUserIsKept) {
  EXPECT_EQ(user_after(json::parse(R"({"uid":1000,"gid":1000,"additionalGids":[1000]})")),
            json::parse(R"({"uid":1000,"gid":1000,"additionalGids":[1000]})"));
}

TEST(User, RootGroupIsReplacedEvenForANonRootUser) {
  EXPECT_EQ(user_after(json::parse(R"({"uid":1000,"gid":0,"additionalGids":[0,2000]})")),
            json::parse(R"({"uid":1000,"gid":1001,"additionalGids":[2000]})"));
}

TEST(User, UnknownFieldsSurvive) {
  EXPECT_EQ(user_after(json::parse(R"({"uid":0,"gid":0,"umask":18,"username":"x"})")),
            json::parse(R"({"uid":1001,"gid":1001,"umask":18,"username":"x"})"));
}

TEST(User, BadIdsAreErrors) {
  for (const char* user : {R"({"uid":-1})", R"({"uid":"0"})", R"({"uid":4294967296})", R"({"gid":1.5})",
                           R"({"additionalGids":"0"})", R"({"additionalGids":[-3]})"}) {
    EXPECT_FALSE(harden_process(json{{"user", json::parse(user)}}, test::default_profile())) << user;
  }
}

}  // namespace
}  // namespace hardened
