#include "hardened/profile.hpp"

#include <gtest/gtest.h>

#include "hardened/docker_seccomp.hpp"
#include "hardened/known_names.hpp"
#include "hardened/loading.hpp"

#include <fstream>
#include "helpers.hpp"

namespace hardened {
namespace {

json default_document() { return test::load(std::filesystem::path(test::kProfilesDir) / "default.json"); }

TEST(Profile, ShippedDefaultHasTheSeedValues) {
  const Profile& p = test::default_profile();
  EXPECT_TRUE(p.capabilities_allow.empty());
  EXPECT_TRUE(p.no_new_privileges);
  EXPECT_TRUE(p.readonly_rootfs);
  ASSERT_EQ(p.tmpfs.size(), 1u);
  EXPECT_EQ(p.tmpfs[0]["destination"], "/tmp");
  EXPECT_EQ(p.tmpfs[0]["options"], json::parse(R"(["noexec","nosuid","nodev","size=64m","mode=1777"])"));
  EXPECT_EQ(p.uid, 1001u);
  EXPECT_EQ(p.gid, 1001u);
  EXPECT_EQ(p.pids_max, 100);
  EXPECT_EQ(p.memory_max_bytes, 512LL * 1024 * 1024);
  EXPECT_EQ(p.cpu_quota_max(100000), 100000);
}

TEST(Profile, EveryShippedProfileParses) {
  for (const auto& entry : std::filesystem::directory_iterator(test::kProfilesDir)) {
    if (entry.path().extension() != ".json") continue;
    HostConfig config;
    config.profiles_dir = test::kProfilesDir;
    auto p = load_profile(config, entry.path().stem().string());  // with its extends
    EXPECT_TRUE(p) << entry.path() << ": " << (p ? "" : p.error().message);
  }
}

// Each class of mistake is refused, and the message names the field.
struct Broken {
  const char* what;
  const char* pointer;  // JSON pointer into the default profile
  json value;
  const char* expected_in_message;
};

void PrintTo(const Broken& b, std::ostream* os) { *os << b.what; }

class BrokenProfile : public ::testing::TestWithParam<Broken> {};

TEST_P(BrokenProfile, IsRefusedNamingTheField) {
  const Broken& b = GetParam();
  json doc = default_document();
  if (b.value.is_null()) doc.erase(std::string(b.pointer).substr(1));
  else doc[json::json_pointer(b.pointer)] = b.value;
  auto p = parse_profile(doc, "broken");
  ASSERT_FALSE(p) << b.what;
  EXPECT_NE(p.error().message.find(b.expected_in_message), std::string::npos) << p.error().message;
  EXPECT_NE(p.error().message.find("profile 'broken'"), std::string::npos) << p.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Classes, BrokenProfile,
    ::testing::Values(
        Broken{"unknown key", "/no_new_privilege", true, "unknown key 'no_new_privilege'"},
        Broken{"section of the wrong type", "/resources", 5, "resources must be an object"},
        Broken{"unknown capability", "/capabilities/allow", json::array({"CAP_FLY"}), "CAP_FLY"},
        Broken{"lower-case capability", "/capabilities/allow", json::array({"cap_chown"}), "cap_chown"},
        Broken{"wrong type", "/no_new_privileges", "yes", "no_new_privileges must be true or false"},
        Broken{"root user", "/user/uid", 0, "must not be 0"},
        Broken{"negative limit", "/resources/pids_max", -1, "pids_max must be a positive integer"},
        Broken{"zero cpus", "/resources/cpus_max", 0, "cpus_max"},
        Broken{"period out of range", "/resources/cpu_period_us", 10, "cpu_period_us"},
        Broken{"relative path", "/paths/masked", json::array({"proc/kcore"}), "absolute"},
        Broken{"bad namespace", "/deny/host_namespaces", json::array({"pdi"}), "pdi"},
        Broken{"unknown syscall", "/seccomp/syscalls/0/names/0", "opne", "'opne' is not a syscall"},
        Broken{"allow by default", "/seccomp/defaultAction", "SCMP_ACT_ALLOW", "must deny"},
        Broken{"unknown action", "/seccomp/syscalls/0/action", "SCMP_ACT_MAYBE", "action"},
        Broken{"unknown arch", "/seccomp/architectures", json::array({"SCMP_ARCH_Z80"}), "SCMP_ARCH_Z80"},
        Broken{"bad arg op", "/seccomp/syscalls/8/args/0/op", "SCMP_CMP_ABOUT", "op"},
        Broken{"bad arg index", "/seccomp/syscalls/8/args/0/index", 9, "index"}));

// The built-in default is the shipped default.json: a profile that lacks a key gets its strict value.
TEST(Profile, TheBuiltInDefaultIsTheShippedDefault) {
  auto builtin = parse_profile(json::parse(builtin_default_profile_text()), "default");
  ASSERT_TRUE(builtin) << builtin.error().message;
  EXPECT_EQ(*builtin, test::default_profile());
  EXPECT_TRUE(builtin->defaulted.empty());
}

TEST(Profile, AMissingKeyTakesTheBuiltInDefaultsValueAndIsListed) {
  json doc = default_document();
  doc.erase("resources");
  doc["rootfs"].erase("tmpfs");
  doc.erase("seccomp");
  doc["resources"] = {{"pids_max", 7}};
  auto p = parse_profile(doc, "older");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->pids_max, 7) << "what the profile says stays";
  EXPECT_EQ(p->memory_max_bytes, test::default_profile().memory_max_bytes);
  EXPECT_EQ(p->tmpfs, test::default_profile().tmpfs) << "no tmpfs key is the default's /tmp, not none";
  EXPECT_EQ(p->seccomp, test::default_profile().seccomp);
  EXPECT_EQ(p->defaulted, (std::vector<std::string>{"rootfs.tmpfs", "resources.beyond_ceilings", "resources.memory_max_bytes",
                                                    "resources.cpus_max", "resources.cpu_period_us", "seccomp"}));
}

TEST(Profile, AnEmptyProfileIsTheBuiltInDefault) {
  auto p = parse_profile(json::object(), "empty");
  ASSERT_TRUE(p) << p.error().message;
  Profile expected = test::default_profile();
  expected.name = "empty";
  expected.description.clear();
  expected.defaulted = p->defaulted;
  EXPECT_EQ(*p, expected);
  EXPECT_GE(p->defaulted.size(), 25u);
}

TEST(Profile, DefaultsNeverHideAMistake) {
  auto p = parse_profile(json{{"resources", {{"pids_max", -1}}}}, "bad");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("pids_max must be a positive integer"), std::string::npos) << p.error().message;
  auto typo = parse_profile(json{{"resources", {{"pid_max", 5}}}}, "typo");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("unknown key 'resources.pid_max'"), std::string::npos) << typo.error().message;
}

TEST(Profile, NamesAreCheckedWithTheHostLibraries) {
  EXPECT_TRUE(is_known_capability("CAP_NET_BIND_SERVICE"));
  EXPECT_FALSE(is_known_capability("NET_BIND_SERVICE"));
  EXPECT_TRUE(is_known_syscall("openat"));
  EXPECT_TRUE(is_known_syscall("chown32")) << "an x86 name on an x86_64 host is still a known name";
  EXPECT_FALSE(is_known_syscall("openatt"));
  EXPECT_TRUE(is_known_seccomp_arch("SCMP_ARCH_X86_64"));
  EXPECT_FALSE(is_known_seccomp_arch("x86_64"));
}

TEST(Profile, NamesThatCouldEscapeTheDirectoryAreInvalid) {
  EXPECT_TRUE(is_valid_profile_name("default"));
  EXPECT_TRUE(is_valid_profile_name("web-1.2_x"));
  for (const char* bad : {"", "../etc/passwd", ".hidden", "a/b", "a b"}) EXPECT_FALSE(is_valid_profile_name(bad)) << bad;
}

}  // namespace
}  // namespace hardened

namespace hardened {
namespace {

namespace fs = std::filesystem;

// A profiles_dir holding the shipped profiles plus the documents given.
class ProfilesDir : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& entry : fs::directory_iterator(test::kProfilesDir)) fs::copy_file(entry.path(), dir_.path() / entry.path().filename());
    config_.profiles_dir = dir_.path().string();
  }
  void write(const std::string& name, const json& document) const { std::ofstream(dir_.path() / (name + ".json")) << document.dump(); }
  test::TempDir dir_;
  HostConfig config_;
};

TEST_F(ProfilesDir, AProfileThatExtendsStatesOnlyItsDifferences) {
  write("batch", json::parse(R"({"extends": "default", "resources": {"pids_max": 1000}, "capabilities": {"allow": ["CAP_CHOWN"]}})"));
  auto p = load_profile(config_, "batch");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->pids_max, 1000);
  EXPECT_EQ(p->memory_max_bytes, test::default_profile().memory_max_bytes) << "untouched keys come from the parent";
  EXPECT_EQ(p->capabilities_allow, std::vector<std::string>{"CAP_CHOWN"}) << "a list replaces the parent's";
  EXPECT_EQ(p->capabilities_deny, test::default_profile().capabilities_deny) << "objects merge key by key";
}

TEST_F(ProfilesDir, ExtendsChainsAndTheShippedProfilesUseIt) {
  write("web-big", json::parse(R"({"extends": "web", "resources": {"pids_max": 500}})"));
  auto p = load_profile(config_, "web-big");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->pids_max, 500);
  EXPECT_EQ(p->capabilities_ambient, std::vector<std::string>{"CAP_NET_BIND_SERVICE"}) << "from web";
  EXPECT_EQ(p->masked_paths, test::default_profile().masked_paths) << "from default";
  auto strict = load_profile(config_, "strict");
  ASSERT_TRUE(strict) << strict.error().message;
  EXPECT_EQ(strict->seccomp["architectures"], json::array({"SCMP_ARCH_X86_64"}));
  json expected = test::default_profile().seccomp;
  remove_syscalls(expected, strict->seccomp_deny);
  EXPECT_EQ(strict->seccomp["syscalls"], expected["syscalls"]) << "the rest of the filter is the default's";
}

// A create reads a profile's filter as text until the seccomp memo has been asked (FilterForm::text):
// once read, every profile is the one load_profile gives, a child's filter merged key by key; a
// filter that is not JSON is refused then.
TEST_F(ProfilesDir, AFilterReadLaterIsTheSameProfile) {
  write("patched", json::parse(R"({"extends": "strict", "seccomp": {"defaultErrnoRet": 38}})"));
  for (const char* name : {"default", "strict", "web", "patched"}) {
    Findings none;
    auto later = load_effective_profile(config_, name, nullptr, none, FilterForm::text);
    ASSERT_TRUE(later) << name << ": " << later.error().message;
    ASSERT_TRUE(expand_profile_filter(later->profile)) << name;
    auto now = load_profile(config_, name);
    ASSERT_TRUE(now) << name;
    EXPECT_TRUE(later->profile == *now) << name;
    EXPECT_FALSE(later->texts.empty()) << name;
  }
  std::ofstream(dir_.path() / "broken.json") << R"({"extends": "default", "description": "x", "seccomp": {"syscalls": [1,]}})";
  Findings none;
  EXPECT_FALSE(load_effective_profile(config_, "broken", nullptr, none, FilterForm::text)) << "two filters are merged: read at once";
  std::ofstream(dir_.path() / "alone.json") << R"({"description": "x", "seccomp": {"syscalls": [1,]}})";
  auto alone = load_effective_profile(config_, "alone", nullptr, none, FilterForm::text);
  ASSERT_TRUE(alone) << alone.error().message;
  EXPECT_FALSE(expand_profile_filter(alone->profile)) << "a filter that is not JSON is refused when it is read";
  EXPECT_FALSE(load_profile(config_, "alone"));
}

TEST_F(ProfilesDir, SeccompDenyRemovesNamesFromTheAllowRules) {
  auto strict = load_profile(config_, "strict");
  ASSERT_TRUE(strict);
  for (const auto& rule : strict->seccomp["syscalls"]) {
    if (rule["action"] != "SCMP_ACT_ALLOW") continue;
    for (const char* gone : {"memfd_create", "execveat"}) {
      EXPECT_EQ(std::find(rule["names"].begin(), rule["names"].end(), gone), rule["names"].end()) << gone;
    }
  }
}

TEST_F(ProfilesDir, BrokenExtendsIsReportedWithTheChain) {
  write("a", json::parse(R"({"extends": "b"})"));
  write("b", json::parse(R"({"extends": "a"})"));
  write("orphan", json::parse(R"({"extends": "nosuch"})"));
  write("null-out", json::parse(R"({"extends": "default", "user": null})"));
  auto loop = load_profile(config_, "a");
  ASSERT_FALSE(loop);
  EXPECT_NE(loop.error().message.find("a -> b -> a"), std::string::npos) << loop.error().message;
  auto orphan = load_profile(config_, "orphan");
  ASSERT_FALSE(orphan);
  EXPECT_NE(orphan.error().message.find("'nosuch' (extended by 'orphan')"), std::string::npos) << orphan.error().message;
  auto removed = load_profile(config_, "null-out");  // a key removed with null takes the built-in default
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->uid, test::default_profile().uid);
  EXPECT_EQ(removed->defaulted, (std::vector<std::string>{"user.uid", "user.gid", "user.ids_min", "user.host_accounts", "user.ids_allowed",
                                                          "user.outside_range", "user.additional_gids_outside_range"}));
}

INSTANTIATE_TEST_SUITE_P(
    PolicyClasses, BrokenProfile,
    ::testing::Values(Broken{"ambient beyond allow", "/capabilities/ambient", json::array({"CAP_CHOWN"}), "not in capabilities.allow"},
                      Broken{"deny and allow overlap", "/capabilities/allow", json::array({"CAP_SYS_ADMIN"}), "also in capabilities.allow"},
                      Broken{"bad mode", "/mode", "dry-run", "mode must be"},
                      Broken{"bad bind option", "/mounts/bind_options", json::array({"suid"}), "'suid'"},
                      Broken{"bad secrets action", "/secrets/action", "ignore", "secrets.action"},
                      Broken{"seccomp_deny typo", "/seccomp_deny", json::array({"memfd_creat"}), "memfd_creat"},
                      Broken{"docker format unknown cap", "/seccomp/syscalls/0/includes", json{{"caps", {"CAP_FLY"}}}, "CAP_FLY"},
                      Broken{"docker format bad kernel", "/seccomp/syscalls/0/excludes", json{{"minKernel", "new"}}, "minKernel"},
                      Broken{"unknown deny key", "/deny/privilegd", true, "unknown key 'deny.privilegd'"}));

}  // namespace
}  // namespace hardened
