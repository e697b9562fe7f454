#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

json clamp(const json& resources) {
  auto out = clamp_update_resources(resources, test::default_profile());
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? out->document : json();
}

TEST(UpdateResources, DockerUpdatePayloadIsClamped) {
  const json out = clamp(test::fixture("update", "docker-update"));
  EXPECT_EQ(out["memory"]["limit"], 536870912);
  EXPECT_EQ(out["memory"]["swap"], 536870912);
  EXPECT_EQ(out["memory"]["reservation"], 0) << "untouched";
  EXPECT_EQ(out["cpu"]["quota"], 100000);
  EXPECT_EQ(out["cpu"]["period"], 100000);
  EXPECT_EQ(out["pids"]["limit"], 100);
  EXPECT_EQ(out["blockIO"], json::parse(R"({"weight":0})"));
}

TEST(UpdateResources, ZeroMeansUnchangedAndStaysZero) {
  const json in = json::parse(R"({"memory":{"limit":0,"swap":0},"pids":{"limit":0},"cpu":{"quota":0,"period":0,"shares":2}})");
  EXPECT_EQ(clamp(in), in);
}

TEST(UpdateResources, UnlimitedBecomesTheCeiling) {
  const json out = clamp(json::parse(R"({"memory":{"limit":-1,"swap":-1},"pids":{"limit":-1},"cpu":{"quota":-1}})"));
  EXPECT_EQ(out["memory"]["limit"], 536870912);
  EXPECT_EQ(out["memory"]["swap"], 536870912);
  EXPECT_EQ(out["pids"]["limit"], 100);
  EXPECT_EQ(out["cpu"]["quota"], 100000);
  EXPECT_EQ(out["cpu"]["period"], 100000);
}

TEST(UpdateResources, SwapWithoutMemoryIsDropped) {
  const json out = clamp(json::parse(R"({"memory":{"swap":4294967296}})"));
  EXPECT_EQ(out["memory"]["swap"], 0);
}

TEST(UpdateResources, APeriodAloneCannotRaiseTheShare) {
  const json out = clamp(json::parse(R"({"cpu":{"period":10000}})"));
  EXPECT_EQ(out["cpu"]["period"], 10000);
  EXPECT_EQ(out["cpu"]["quota"], 10000);
}

TEST(UpdateResources, StricterValuesAreKept) {
  const json in = json::parse(R"({"memory":{"limit":67108864,"swap":67108864},"pids":{"limit":50},"cpu":{"quota":25000,"period":100000}})");
  EXPECT_EQ(clamp(in), in);
}

TEST(UpdateResources, MalformedPayloadsAreErrors) {
  for (const char* bad : {R"([])", R"({"memory":[]})", R"({"pids":{"limit":"5"}})", R"({"cpu":{"quota":0.5}})"}) {
    EXPECT_FALSE(clamp_update_resources(json::parse(bad), test::default_profile())) << bad;
  }
}

}  // namespace
}  // namespace hardened
