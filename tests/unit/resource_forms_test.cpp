// The forms of a resource request beyond the typed limits, at create (on the Docker fixtures) and at
// update: linux.resources.unified, memory.disableOOMKiller, process.oomScoreAdj, process.rlimits.
#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

Profile refusing() {
  Profile p = test::default_profile();
  p.beyond_ceilings = Profile::Excess::refuse;
  return p;
}

Hardened decide(json spec, const Profile& profile = test::default_profile()) {
  auto out = decide_spec(std::move(spec), profile);
  EXPECT_TRUE(out) << out.error().message;
  return out ? *out : Hardened{};
}

json with_unified(const std::string& fixture, const json& unified) {
  json spec = test::fixture("create", fixture);
  spec["linux"]["resources"]["unified"] = unified;
  return spec;
}

std::string changes_text(const Changes& changes) {
  std::string out;
  for (const auto& c : changes) out += c.rule + ": " + c.detail + "\n";
  return out;
}

TEST(Unified, UndoingEveryCeilingIsClampedOnEveryFixture) {  // {"pids.max":"max","memory.max":"max"}
  for (const auto& name : test::fixture_names("create")) {
    auto out = decide(with_unified(name, json{{"pids.max", "max"}, {"memory.max", "max"}, {"memory.swap.max", "max"}, {"cpu.max", "max 100000"}}),
                      test::permissive_deny(test::default_profile()));
    EXPECT_EQ(out.document["linux"]["resources"]["unified"],
              json::parse(R"({"pids.max":"100","memory.max":"536870912","memory.swap.max":"0","cpu.max":"100000 100000"})"))
        << name;
    EXPECT_NE(changes_text(out.changes).find("resources.unified: linux.resources.unified[\"pids.max\"] \"max\" -> \"100\""), std::string::npos)
        << changes_text(out.changes);
  }
}

TEST(Unified, StricterValuesAndOtherControllersPass) {
  const json unified = json::parse(R"({"pids.max":"50","memory.max":"256M","memory.high":"100000000","cpu.max":"50000 100000",
                                       "cpu.weight":"200","memory.oom.group":"1","io.max":"8:0 rbps=1048576","cpuset.cpus":"0"})");
  auto out = decide(with_unified("default", unified));
  EXPECT_EQ(out.document["linux"]["resources"]["unified"], unified);
  EXPECT_TRUE(out.denials.empty());
}

TEST(Unified, SizesInTheKernelsSuffixesAreRead) {
  auto out = decide(with_unified("default", json{{"memory.max", "1G"}, {"memory.low", "4g"}, {"cpu.max", "150000"}}));
  EXPECT_EQ(out.document["linux"]["resources"]["unified"], json::parse(R"({"memory.max":"536870912","memory.low":"536870912","cpu.max":"100000 100000"})"));
}

TEST(Unified, UnknownKeysOfALimitedControllerAreRefused) {
  auto out = decide(with_unified("default", json{{"pids.foo", "1"}, {"memory.oom_control", "1"}}));
  ASSERT_EQ(out.denials.size(), 2u);
  EXPECT_EQ(out.denials[0].rule, "resources.unified");
  EXPECT_NE(out.denials[0].message.find("linux.resources.unified[\"memory.oom_control\"] is not a cgroup file"), std::string::npos)
      << out.denials[0].message;
}

TEST(Unified, RefuseModeRefusesNamingTheKeyTheRuleAndTheWayOut) {
  auto out = decide(with_unified("default", json{{"pids.max", "max"}}), refusing());
  ASSERT_EQ(out.denials.size(), 1u);
  EXPECT_EQ(out.denials[0].message,
            "refused by rule resources.unified: linux.resources.unified[\"pids.max\"] \"max\" is above the profile's ceiling 100 "
            "(resources.pids_max); ask for 100 or less (podman --cgroup-conf pids.max=100) or remove it, or select a profile whose "
            "resources.beyond_ceilings is \"clamp\"");
}

TEST(Unified, MalformedValuesAreErrors) {
  for (const char* bad : {R"({"pids.max":100})", R"({"pids.max":"lots"})", R"({"cpu.max":"max max"})", R"("pids.max=1")"}) {
    EXPECT_FALSE(decide_spec(with_unified("default", json::parse(bad)), test::default_profile())) << bad;
  }
}

TEST(Unified, UpdateIsClampedAlike) {
  auto out = clamp_update_resources(json::parse(R"({"unified":{"pids.max":"max","memory.max":"max"},"memory":{"disableOOMKiller":true}})"),
                                    test::default_profile());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->document, json::parse(R"({"unified":{"pids.max":"100","memory.max":"536870912"},"memory":{"disableOOMKiller":false}})"));
  auto refused = clamp_update_resources(json::parse(R"({"unified":{"pids.max":"max"}})"), refusing());
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->denials.size(), 1u);
  EXPECT_NE(refused->denials[0].message.find("unified[\"pids.max\"] \"max\" is above"), std::string::npos) << refused->denials[0].message;
}

TEST(OomKiller, DisablingItIsForcedOffOrRefused) {  // docker run --oom-kill-disable
  json spec = test::fixture("create", "limits");
  spec["linux"]["resources"]["memory"]["disableOOMKiller"] = true;
  auto out = decide(spec);
  EXPECT_EQ(out.document["linux"]["resources"]["memory"]["disableOOMKiller"], false);
  EXPECT_NE(changes_text(out.changes).find("resources.oom_kill_disable: linux.resources.memory.disableOOMKiller true -> false"), std::string::npos);
  out = decide(spec, refusing());
  // The fixture's typed limits are above the ceilings too (rule resources.limits): this one is the last.
  ASSERT_FALSE(out.denials.empty());
  for (std::size_t i = 0; i + 1 < out.denials.size(); ++i) EXPECT_EQ(out.denials[i].rule, "resources.limits");
  EXPECT_NE(out.denials.back().message.find("refused by rule resources.oom_kill_disable: linux.resources.memory.disableOOMKiller is true (docker run --oom-kill-disable)"),
            std::string::npos);
  EXPECT_EQ(decide(test::fixture("create", "limits")).document["linux"]["resources"]["memory"]["disableOOMKiller"], false);
}

TEST(OomScoreAdj, NegativeIsRaisedToZeroOrRefused) {  // docker run --oom-score-adj -500; Kubernetes Guaranteed: -997
  json spec = test::fixture("create", "default");
  spec["process"]["oomScoreAdj"] = -500;
  EXPECT_EQ(decide(spec).document["process"]["oomScoreAdj"], 0);
  auto out = decide(spec, refusing());
  ASSERT_EQ(out.denials.size(), 1u);
  EXPECT_NE(out.denials[0].message.find("process.oomScoreAdj -500 (docker run --oom-score-adj)"), std::string::npos);
  spec["process"]["oomScoreAdj"] = 500;  // more likely to be killed: stricter, kept
  EXPECT_EQ(decide(spec).document["process"]["oomScoreAdj"], 500);
}

TEST(Rlimits, DockersUlimitFixtureIsWithinTheCeilings) {
  auto out = decide(test::fixture("create", "ulimit"));
  EXPECT_EQ(out.document["process"]["rlimits"], test::fixture("create", "ulimit")["process"]["rlimits"]);
}

TEST(Rlimits, AboveTheCeilingsIsClamped) {  // --ulimit rtprio=99 --ulimit nice=40 --ulimit nofile=-1 --ulimit core=-1
  json spec = test::fixture("create", "ulimit");
  spec["process"]["rlimits"] = json::parse(R"([{"type":"RLIMIT_RTPRIO","soft":99,"hard":99},{"type":"RLIMIT_NICE","soft":40,"hard":40},
      {"type":"RLIMIT_NOFILE","soft":1024,"hard":18446744073709551615},{"type":"RLIMIT_CORE","soft":18446744073709551615,"hard":18446744073709551615},
      {"type":"RLIMIT_FSIZE","soft":1000,"hard":2000}])");
  auto out = decide(spec);
  EXPECT_EQ(out.document["process"]["rlimits"], json::parse(R"([{"type":"RLIMIT_RTPRIO","soft":0,"hard":0},{"type":"RLIMIT_NICE","soft":0,"hard":0},
      {"type":"RLIMIT_NOFILE","soft":1024,"hard":1048576},{"type":"RLIMIT_CORE","soft":0,"hard":0},{"type":"RLIMIT_FSIZE","soft":1000,"hard":2000}])"));
  EXPECT_NE(changes_text(out.changes).find("resources.rlimits: process.rlimits[2].hard (RLIMIT_NOFILE) unlimited -> 1048576"), std::string::npos)
      << changes_text(out.changes);
  auto twice = decide(out.document);
  EXPECT_EQ(twice.document, out.document);
}

TEST(Rlimits, AboveTheCeilingsCanBeRefused) {
  json spec = test::fixture("create", "ulimit");
  spec["process"]["rlimits"] = json::parse(R"([{"type":"RLIMIT_RTPRIO","soft":99,"hard":99}])");
  auto out = decide(spec, refusing());
  ASSERT_EQ(out.denials.size(), 2u);  // hard and soft
  EXPECT_NE(out.denials[0].message.find("process.rlimits[0].hard (RLIMIT_RTPRIO) 99 is above the profile's ceiling 0 (resources.rlimits_max); "
                                        "ask for 0 or less (docker run --ulimit rtprio=0) or none"),
            std::string::npos)
      << out.denials[0].message;
}

TEST(Rlimits, ExecProcessFileIsClampedToo) {
  auto out = harden_process(json::parse(R"({"rlimits":[{"type":"RLIMIT_RTPRIO","soft":99,"hard":99}],"oomScoreAdj":-1000})"), test::default_profile());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->document["rlimits"][0]["hard"], 0);
  EXPECT_EQ(out->document["oomScoreAdj"], 0);
}

TEST(ResourceForms, ProfileKeysParse) {
  json doc = test::load(std::filesystem::path(test::kProfilesDir) / "default.json");
  doc["resources"]["beyond_ceilings"] = "refuse";
  doc["resources"]["rlimits_max"] = json{{"RLIMIT_NOFILE", 4096}};
  auto p = parse_profile(doc, "t");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->beyond_ceilings, Profile::Excess::refuse);
  EXPECT_EQ(p->rlimits_max, (std::vector<Profile::RlimitCeiling>{{"RLIMIT_NOFILE", 4096}}));
  doc["resources"]["rlimits_max"] = json{{"RLIMIT_BOGUS", 1}};
  EXPECT_FALSE(parse_profile(doc, "t"));
  doc["resources"]["rlimits_max"] = json::object();
  doc["resources"]["beyond_ceilings"] = "maybe";
  EXPECT_FALSE(parse_profile(doc, "t"));
  EXPECT_EQ(test::default_profile().rlimits_max, Profile().rlimits_max);  // the struct's defaults are the shipped file's
  EXPECT_EQ(test::default_profile().ids_allowed, Profile().ids_allowed);
}

TEST(IdentityKeys, ProfileKeysParse) {
  json doc = test::load(std::filesystem::path(test::kProfilesDir) / "default.json");
  doc["user"]["ids_min"] = 5000;
  doc["user"]["host_accounts"] = "all";
  doc["user"]["outside_range"] = "remap";
  doc["user"]["additional_gids_outside_range"] = "refuse";
  auto p = parse_profile(doc, "t");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->ids_min, 5000u);
  EXPECT_EQ(p->host_accounts, Profile::HostAccounts::all);
  EXPECT_EQ(p->ids_outside, Profile::Outside::remap);
  EXPECT_EQ(p->additional_gids_outside, Profile::ExtraGroups::refuse);
  for (const auto& [key, bad] : std::vector<std::pair<std::string, json>>{{"ids_min", "low"}, {"ids_min", 0}, {"host_accounts", "some"},
                                                                           {"ids_allowed", json::array({0})}, {"outside_range", "ignore"}}) {
    json broken = doc;
    broken["user"][key] = bad;
    EXPECT_FALSE(parse_profile(broken, "t")) << key;
  }
  EXPECT_FALSE(test::default_profile().ids_min.has_value());  // "host"
}

}  // namespace
}  // namespace hardened
