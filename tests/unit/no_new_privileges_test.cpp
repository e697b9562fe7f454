#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

TEST(NoNewPrivileges, SetWhenAbsentOrFalse) {
  for (const json& initial : {json(nullptr), json(false)}) {
    json process = {{"args", {"sh"}}};
    if (!initial.is_null()) process["noNewPrivileges"] = initial;
    auto out = harden_process(process, test::default_profile());
    ASSERT_TRUE(out);
    EXPECT_EQ(out->document["noNewPrivileges"], true);
    EXPECT_TRUE(test::has_change(out->changes, "no_new_privileges"));
  }
}

TEST(NoNewPrivileges, KeptTrueEvenWhenTheProfileDoesNotAsk) {
  Profile p = test::default_profile();
  p.no_new_privileges = false;
  auto out = harden_process(json{{"noNewPrivileges", true}}, p);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->document["noNewPrivileges"], true);
  EXPECT_FALSE(test::has_change(out->changes, "no_new_privileges"));
}

TEST(NoNewPrivileges, WrongTypeIsAnError) {
  EXPECT_FALSE(harden_process(json{{"noNewPrivileges", "false"}}, test::default_profile()));
}

}  // namespace
}  // namespace hardened
