// Every spec dockerd 20.10 really generated: golden outputs, idempotence, and "never looser".
// Regenerate the golden files after an intended change with HARDENED_UPDATE_GOLDEN=1, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "hardened/loading.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

json changes_json(const Changes& changes) {
  json out = json::array();
  for (const auto& c : changes) out.push_back(c.rule + ": " + c.detail);
  return out;
}

void check_golden(const fs::path& golden, const json& actual) {
  if (std::getenv("HARDENED_UPDATE_GOLDEN") != nullptr) {
    fs::create_directories(golden.parent_path());
    std::ofstream(golden) << actual.dump(1) << "\n";
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing: run with HARDENED_UPDATE_GOLDEN=1";
  EXPECT_EQ(test::load(golden), actual) << "hardened output differs from " << golden;
}

fs::path golden_path(const std::string& kind, const std::string& name) {
  return fs::path(test::kDataDir) / "golden" / kind / (name + ".json");
}

class CreateFixture : public ::testing::TestWithParam<std::string> {};

// The whole decision: every refusal and warning, the changes, and the spec create would write.
TEST_P(CreateFixture, MatchesGolden) {
  auto out = decide_spec(test::fixture("create", GetParam()), test::default_profile());
  ASSERT_TRUE(out) << out.error().message;
  json findings = json::array();
  for (const auto& f : out->denials) findings.push_back("refused: " + f.message);
  for (const auto& f : out->warnings) findings.push_back("warning: " + f.message);
  check_golden(golden_path("create", GetParam()),
               json{{"findings", findings}, {"changes", changes_json(out->changes)}, {"spec", out->document}});
}

TEST_P(CreateFixture, HardeningTwiceChangesNothing) {
  const Profile profile = test::permissive_deny(test::default_profile());
  auto once = harden_spec(test::fixture("create", GetParam()), profile);
  ASSERT_TRUE(once) << once.error().message;
  auto twice = harden_spec(once->document, profile);
  ASSERT_TRUE(twice) << twice.error().message;
  EXPECT_EQ(twice->document, once->document);
  EXPECT_TRUE(twice->changes.empty()) << changes_json(twice->changes).dump();
}

bool is_bind_mount(const json& mount) {
  const auto options = mount.value("options", json::array());
  return mount.value("type", "") == "bind" || std::find(options.begin(), options.end(), "rbind") != options.end();
}

std::set<std::string> string_set(const json& list) {
  std::set<std::string> out;
  if (list.is_array()) {
    for (const auto& item : list) out.insert(item.get<std::string>());
  }
  return out;
}

std::set<std::string> allowed_syscalls(const json& filter) {
  std::set<std::string> out;
  for (const auto& rule : filter.value("syscalls", json::array())) {
    if (rule["action"] == "SCMP_ACT_ALLOW" || rule["action"] == "SCMP_ACT_LOG") {
      for (const auto& name : rule["names"]) out.insert(name.get<std::string>());
    }
  }
  return out;
}

std::int64_t at_or(const json& spec, const char* pointer, std::int64_t fallback) {
  const json::json_pointer p(pointer);
  return spec.contains(p) ? spec[p].get<std::int64_t>() : fallback;
}

bool subset(const std::set<std::string>& a, const std::set<std::string>& b) {
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

TEST_P(CreateFixture, NeverLooserThanTheRequestOrTheProfile) {
  const Profile profile = test::permissive_deny(test::default_profile());
  const json in = test::fixture("create", GetParam());
  auto out = harden_spec(in, profile);
  ASSERT_TRUE(out);
  const json& o = out->document;

  const std::set<std::string> allow(profile.capabilities_allow.begin(), profile.capabilities_allow.end());
  for (const char* set : {"bounding", "effective", "inheritable", "permitted", "ambient"}) {
    const auto result = string_set(o["process"]["capabilities"][set]);
    EXPECT_TRUE(subset(result, allow)) << set;
    EXPECT_TRUE(subset(result, string_set(in["process"]["capabilities"].value(set, json::array())))) << set;
  }
  EXPECT_EQ(o["process"]["noNewPrivileges"], true);
  EXPECT_NE(o["process"]["user"]["uid"], 0);
  EXPECT_NE(o["process"]["user"]["gid"], 0);
  if (in["process"]["user"]["uid"] != 0) {
    EXPECT_EQ(o["process"]["user"]["uid"], in["process"]["user"]["uid"]);
  }
  for (const auto& gid : o["process"]["user"].value("additionalGids", json::array())) EXPECT_NE(gid, 0);
  EXPECT_EQ(o["root"]["readonly"], true);

  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  auto requested = [&](const char* pointer) {
    const std::int64_t v = at_or(in, pointer, 0);
    return v > 0 ? v : big;
  };
  EXPECT_LE(at_or(o, "/linux/resources/pids/limit", big), std::min(profile.pids_max, requested("/linux/resources/pids/limit")));
  const std::int64_t memory = at_or(o, "/linux/resources/memory/limit", big);
  EXPECT_LE(memory, std::min(profile.memory_max_bytes, requested("/linux/resources/memory/limit")));
  EXPECT_EQ(at_or(o, "/linux/resources/memory/swap", big), memory);
  const std::int64_t period = at_or(o, "/linux/resources/cpu/period", 0);
  ASSERT_GT(period, 0);
  EXPECT_LE(at_or(o, "/linux/resources/cpu/quota", big), profile.cpu_quota_max(period));

  for (const char* key : {"maskedPaths", "readonlyPaths"}) {
    const auto result = string_set(o["linux"][key]);
    EXPECT_TRUE(subset(string_set(in["linux"].value(key, json::array())), result)) << key;
  }
  EXPECT_TRUE(subset(string_set(json(profile.masked_paths)), string_set(o["linux"]["maskedPaths"])));

  const auto allowed = allowed_syscalls(o["linux"]["seccomp"]);
  EXPECT_TRUE(subset(allowed, allowed_syscalls(profile.seccomp)));
  if (in["linux"].contains("seccomp")) {
    EXPECT_TRUE(subset(allowed, allowed_syscalls(in["linux"]["seccomp"])));
  }

  // Nothing of the container's is lost: every mount (options may only grow: nosuid, nodev on binds),
  // and every field the rules do not own.
  for (const auto& mount : in["mounts"]) {
    auto same = std::find_if(o["mounts"].begin(), o["mounts"].end(), [&](const json& m) {
      return m["destination"] == mount["destination"] && m.value("source", "") == mount.value("source", "") &&
             m.value("type", "") == mount.value("type", "");
    });
    ASSERT_NE(same, o["mounts"].end()) << mount.dump();
    EXPECT_TRUE(subset(string_set(mount.value("options", json::array())), string_set((*same)["options"]))) << mount.dump();
    if (is_bind_mount(mount)) {
      EXPECT_TRUE(subset(string_set(json(profile.bind_options)), string_set((*same)["options"]))) << mount.dump();
    }
  }
  for (const char* pointer : {"/ociVersion", "/hostname", "/hooks", "/process/args", "/process/env", "/process/cwd",
                              "/process/rlimits", "/process/oomScoreAdj", "/root/path", "/linux/namespaces",
                              "/linux/sysctl", "/linux/devices", "/linux/cgroupsPath", "/linux/resources/devices",
                              "/linux/resources/blockIO"}) {
    const json::json_pointer p(pointer);
    EXPECT_EQ(in.contains(p), o.contains(p)) << pointer;
    if (in.contains(p)) {
      EXPECT_EQ(in[p], o[p]) << pointer;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Docker2010, CreateFixture, ::testing::ValuesIn(test::fixture_names("create")), test::fixture_test_name);

class ExecFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ExecFixture, MatchesGoldenAndIsHardened) {
  auto out = harden_process(test::fixture("exec", GetParam()), test::default_profile());
  ASSERT_TRUE(out) << out.error().message;
  check_golden(golden_path("exec", GetParam()), json{{"changes", changes_json(out->changes)}, {"process", out->document}});
  EXPECT_NE(out->document["user"]["uid"], 0);
  EXPECT_EQ(out->document["noNewPrivileges"], true);
  for (const auto& [set, caps] : out->document["capabilities"].items()) EXPECT_TRUE(caps.empty()) << set;
  auto twice = harden_process(out->document, test::default_profile());
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->document, out->document);
}

INSTANTIATE_TEST_SUITE_P(Docker2010, ExecFixture, ::testing::ValuesIn(test::fixture_names("exec")), test::fixture_test_name);

TEST(UpdateFixture, MatchesGolden) {
  auto out = clamp_update_resources(test::fixture("update", "docker-update"), test::default_profile());
  ASSERT_TRUE(out);
  check_golden(golden_path("update", "docker-update"), json{{"changes", changes_json(out->changes)}, {"resources", out->document}});
}

TEST(UnknownFields, SurviveAtEveryLevel) {
  json in = test::fixture("create", "default");
  in["x-top"] = json{{"nested", {1, 2, 3}}};
  in["process"]["x-proc"] = "p";
  in["process"]["capabilities"]["x-caps"] = true;
  in["linux"]["x-linux"] = nullptr;
  in["linux"]["resources"]["x-res"] = 1.5;
  in["linux"]["resources"]["memory"]["x-mem"] = "m";
  in["root"]["x-root"] = json::object();
  in["annotations"] = json{{"org.example/key", "value"}};
  auto out = harden_spec(in, test::default_profile());
  ASSERT_TRUE(out);
  for (const char* pointer : {"/x-top", "/process/x-proc", "/process/capabilities/x-caps", "/linux/x-linux",
                              "/linux/resources/x-res", "/linux/resources/memory/x-mem", "/root/x-root", "/annotations"}) {
    const json::json_pointer p(pointer);
    ASSERT_TRUE(out->document.contains(p)) << pointer;
    EXPECT_EQ(out->document[p], in[p]) << pointer;
  }
}

// Every shipped profile, not only the default, over every fixture: hardening twice changes nothing,
// and the result keeps no capability, limit or user beyond what the profile allows.
TEST(ShippedProfiles, IdempotentAndWithinTheProfileOnEveryFixture) {
  HostConfig config;
  config.profiles_dir = test::kProfilesDir;
  for (const char* name : {"default", "strict", "web"}) {
    auto loaded = load_profile(config, name);
    ASSERT_TRUE(loaded) << loaded.error().message;
    const Profile profile = test::permissive_deny(*loaded);
    for (const auto& fixture : test::fixture_names("create")) {
      auto once = harden_spec(test::fixture("create", fixture), profile);
      ASSERT_TRUE(once) << name << " " << fixture << ": " << once.error().message;
      auto twice = harden_spec(once->document, profile);
      ASSERT_TRUE(twice);
      EXPECT_EQ(twice->document, once->document) << name << " " << fixture;
      const json& process = once->document["process"];
      for (const auto& [set, caps] : process["capabilities"].items()) {
        for (const auto& cap : caps) {
          EXPECT_NE(std::find(profile.capabilities_allow.begin(), profile.capabilities_allow.end(), cap), profile.capabilities_allow.end())
              << name << " " << fixture << " " << set << " " << cap;
        }
      }
      EXPECT_NE(process["user"]["uid"], 0) << name << " " << fixture;
      EXPECT_LE(once->document["linux"]["resources"]["pids"]["limit"].get<std::int64_t>(), profile.pids_max) << name << " " << fixture;
    }
  }
}

}  // namespace
}  // namespace hardened
