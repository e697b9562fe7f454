#include <gtest/gtest.h>

#include <limits>

#include "helpers.hpp"

namespace hardened {
namespace {

json resources_after(const json& resources) {
  json spec = test::minimal_spec();
  if (!resources.is_null()) spec["linux"]["resources"] = resources;
  auto out = harden_spec(spec, test::default_profile());
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? out->document["linux"]["resources"] : json();
}

TEST(Resources, UnsetLimitsGetTheCeilings) {
  const json r = resources_after(nullptr);
  EXPECT_EQ(r["pids"]["limit"], 100);
  EXPECT_EQ(r["memory"]["limit"], 536870912);
  EXPECT_EQ(r["memory"]["swap"], 536870912);
  EXPECT_EQ(r["cpu"]["period"], 100000);
  EXPECT_EQ(r["cpu"]["quota"], 100000);
}

TEST(Resources, HigherOrUnlimitedBecomeTheCeilings) {
  const json r = resources_after(json::parse(R"({"pids":{"limit":-1},"memory":{"limit":4294967296,"swap":-1},
                                                  "cpu":{"quota":400000,"period":100000}})"));
  EXPECT_EQ(r["pids"]["limit"], 100);
  EXPECT_EQ(r["memory"]["limit"], 536870912);
  EXPECT_EQ(r["memory"]["swap"], 536870912);
  EXPECT_EQ(r["cpu"]["quota"], 100000);
}

TEST(Resources, StricterValuesAreKeptAndSwapFollowsMemory) {
  const json r = resources_after(json::parse(R"({"pids":{"limit":20},"memory":{"limit":268435456,"swap":536870912},
                                                  "cpu":{"quota":50000,"period":100000,"shares":512}})"));
  EXPECT_EQ(r["pids"]["limit"], 20);
  EXPECT_EQ(r["memory"]["limit"], 268435456);
  EXPECT_EQ(r["memory"]["swap"], 268435456) << "no swap: memory+swap equals memory";
  EXPECT_EQ(r["cpu"]["quota"], 50000);
  EXPECT_EQ(r["cpu"]["shares"], 512);
}

TEST(Resources, QuotaIsMeasuredAgainstTheContainersOwnPeriod) {
  const json r = resources_after(json::parse(R"({"cpu":{"quota":20000,"period":10000}})"));
  EXPECT_EQ(r["cpu"]["period"], 10000);
  EXPECT_EQ(r["cpu"]["quota"], 10000) << "2 CPUs at a 10ms period is clamped to 1 CPU";
}

TEST(Resources, HugeNumbersAreClampedNotWrapped) {
  const json r = resources_after(json::parse(R"({"memory":{"limit":18446744073709551615},"pids":{"limit":9223372036854775807}})"));
  EXPECT_EQ(r["memory"]["limit"], 536870912);
  EXPECT_EQ(r["pids"]["limit"], 100);
}

TEST(Resources, WrongTypesAreErrors) {
  for (const char* bad : {R"({"pids":{"limit":"100"}})", R"({"memory":{"limit":1.5e9}})", R"({"cpu":[]})", R"([])"}) {
    json spec = test::minimal_spec();
    spec["linux"]["resources"] = json::parse(bad);
    auto out = harden_spec(spec, test::default_profile());
    EXPECT_FALSE(out) << bad;
  }
}

}  // namespace
}  // namespace hardened
