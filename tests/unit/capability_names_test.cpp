// The built-in table is libcap-ng's: every number libcap-ng names on this machine, in both directions.
#include <cap-ng.h>
#include <gtest/gtest.h>

#include <string>

#include "hardened/capability_names.hpp"
#include "hardened/known_names.hpp"

namespace hardened {
namespace {

TEST(CapabilityNames, AreLibcapNgsForEveryNumberItNames) {
  int named = 0;
  for (int n = 0; n < 64; ++n) {
    const char* theirs = capng_capability_to_name(static_cast<unsigned>(n));
    if (theirs == nullptr || std::string(theirs).starts_with("cap_")) {
      EXPECT_EQ(capability_name(n), nullptr) << n;
      continue;
    }
    ++named;
    ASSERT_NE(capability_name(n), nullptr) << theirs;
    EXPECT_STREQ(capability_name(n), theirs);
    EXPECT_EQ(capability_number(theirs), capng_name_to_capability(theirs));
  }
  EXPECT_GE(named, 38);  // CAP_CHOWN .. CAP_BPF at least: Linux 5.8
}

TEST(CapabilityNames, CompareWithoutRegardToCaseAsLibcapNgDoes) {
  EXPECT_EQ(capability_number("NET_BIND_SERVICE"), capng_name_to_capability("NET_BIND_SERVICE"));
  EXPECT_EQ(capability_number("Sys_Admin"), 21);
  EXPECT_EQ(capability_number("net_bind"), std::nullopt);
  EXPECT_EQ(capability_number(""), std::nullopt);
  EXPECT_EQ(capability_number("chown_"), std::nullopt);
  EXPECT_EQ(capability_name(-1), nullptr);
  EXPECT_EQ(capability_name(64), nullptr);
}

TEST(CapabilityNames, ProfilesSpellThemInUpperCaseWithThePrefix) {
  EXPECT_TRUE(is_known_capability("CAP_SYS_ADMIN"));
  EXPECT_FALSE(is_known_capability("CAP_sys_admin"));
  EXPECT_FALSE(is_known_capability("SYS_ADMIN"));
  EXPECT_FALSE(is_known_capability("CAP_"));
}

}  // namespace
}  // namespace hardened
