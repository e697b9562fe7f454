#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

json caps_of(const json& process_caps, const std::vector<std::string>& allow) {
  Profile p = test::default_profile();
  p.capabilities_allow = allow;
  json process = {{"user", {{"uid", 1000}, {"gid", 1000}}}, {"args", {"sh"}}};
  if (!process_caps.is_null()) process["capabilities"] = process_caps;
  auto out = harden_process(process, p);
  EXPECT_TRUE(out);
  return out->document["capabilities"];
}

TEST(Capabilities, AllSetsAreEmptyWithAnEmptyAllowList) {
  const json caps = caps_of(json{{"bounding", {"CAP_CHOWN", "CAP_KILL"}}, {"effective", {"CAP_KILL"}}}, {});
  for (const char* set : {"bounding", "effective", "inheritable", "permitted", "ambient"}) {
    EXPECT_EQ(caps[set], json::array()) << set;
  }
}

TEST(Capabilities, RequestedIntersectAllowList) {
  const json caps = caps_of(json{{"bounding", {"CAP_CHOWN", "CAP_NET_BIND_SERVICE"}},
                                 {"effective", {"CAP_NET_BIND_SERVICE"}},
                                 {"permitted", {"CAP_CHOWN"}},
                                 {"ambient", json::array()}},
                            {"CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"});
  EXPECT_EQ(caps["bounding"], json::array({"CAP_NET_BIND_SERVICE"}));
  EXPECT_EQ(caps["effective"], json::array({"CAP_NET_BIND_SERVICE"}));
  EXPECT_EQ(caps["permitted"], json::array());
  EXPECT_EQ(caps["ambient"], json::array()) << "an allowed capability is never added when not requested";
  EXPECT_EQ(caps["inheritable"], json::array());
}

TEST(Capabilities, AbsentCapabilitiesAreWrittenAsEmpty) {
  // runc would leave an absent capability set alone, and root keeps all it has.
  const json caps = caps_of(nullptr, {"CAP_CHOWN"});
  for (const char* set : {"bounding", "effective", "inheritable", "permitted", "ambient"}) {
    EXPECT_EQ(caps[set], json::array()) << set;
  }
}

TEST(Capabilities, DuplicatesAndUnknownNamesDoNotSurvive) {
  const json caps = caps_of(json{{"bounding", {"CAP_CHOWN", "CAP_CHOWN", "CAP_FLY"}}}, {"CAP_CHOWN"});
  EXPECT_EQ(caps["bounding"], json::array({"CAP_CHOWN"}));
}

TEST(Capabilities, WrongTypeIsAnError) {
  auto out = harden_process(json{{"capabilities", {{"bounding", "CAP_CHOWN"}}}}, test::default_profile());
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("process.capabilities.bounding"), std::string::npos);
}

}  // namespace
}  // namespace hardened
