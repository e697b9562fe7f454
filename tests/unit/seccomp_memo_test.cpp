// The seccomp memo: a create that finds its meet remembered writes exactly what computing it writes,
// for every fixture and every shipped profile; an entry is used only for byte-identical inputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hardened/bundle.hpp"
#include "hardened/loading.hpp"
#include "hardened/seccomp_memo.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

struct Planned {
  std::string text;
  Changes changes;
  Findings denials, warnings;
  bool remembered = false;
};

Planned plan(const fs::path& bundle, const std::string& fixture_text, const HostConfig& config, const std::string& profile) {
  std::ofstream(bundle / "config.json", std::ios::trunc) << fixture_text;
  auto p = plan_bundle((bundle / "config.json").string(), config, profile);
  if (!p) throw std::runtime_error(p.error().message);
  return {hardened_text(*p), p->decision.changes, p->decision.denials, p->decision.warnings, p->seccomp_filter.has_value()};
}

void expect_same(const Planned& a, const Planned& b, const std::string& what) {
  EXPECT_EQ(a.text, b.text) << what;
  EXPECT_EQ(json(a.changes), json(b.changes)) << what;
  EXPECT_EQ(json(a.denials), json(b.denials)) << what;
  EXPECT_EQ(json(a.warnings), json(b.warnings)) << what;
}

TEST(SeccompMemo, ARememberedMeetWritesWhatComputingItWrites) {
  test::TempDir dir;
  fs::create_directory(dir.path() / "bundle");
  HostConfig config;
  config.profiles_dir = test::kProfilesDir;
  config.state_dir = (dir.path() / "state").string();
  HostConfig no_memo = config;
  no_memo.state_dir = "";
  int remembered = 0;
  for (const char* profile : {"default", "strict", "web"}) {
    for (const auto& name : test::fixture_names("create")) {
      const std::string what = std::string(profile) + " / " + name;
      const std::string text = test::slurp(fs::path(test::kFixturesDir) / "create" / (name + ".json"));
      const Planned computed = plan(dir.path() / "bundle", text, no_memo, profile);
      const Planned first = plan(dir.path() / "bundle", text, config, profile);  // computes and remembers
      const Planned second = plan(dir.path() / "bundle", text, config, profile);
      EXPECT_FALSE(computed.remembered) << what;  // (first may find the meet of an earlier fixture with the same filter)
      const bool has_filter = json::parse(text)["linux"].contains("seccomp");
      EXPECT_EQ(second.remembered, has_filter) << what;
      remembered += second.remembered ? 1 : 0;
      expect_same(computed, first, what);
      expect_same(computed, second, what);
    }
  }
  EXPECT_GT(remembered, 30);
}

// A profile whose filter is not JSON is refused with the same message whether or not a create reads
// around the filter first.
TEST(SeccompMemo, ABrokenProfileFilterIsReportedAsWhenReadWhole) {
  test::TempDir dir;
  fs::create_directories(dir.path() / "profiles");
  fs::create_directory(dir.path() / "bundle");
  std::ofstream(dir.path() / "profiles" / "broken.json") << R"({"extends": "default", "seccomp": {"defaultAction": }})";
  fs::copy_file(fs::path(test::kProfilesDir) / "default.json", dir.path() / "profiles" / "default.json");
  HostConfig config;
  config.profiles_dir = (dir.path() / "profiles").string();
  config.state_dir = (dir.path() / "state").string();
  const std::string text = test::slurp(fs::path(test::kFixturesDir) / "create" / "default.json");
  std::ofstream(dir.path() / "bundle" / "config.json") << text;
  auto planned = plan_bundle((dir.path() / "bundle" / "config.json").string(), config, std::string("broken"));
  ASSERT_FALSE(planned);
  auto whole = load_profile(config, "broken");
  ASSERT_FALSE(whole);
  EXPECT_EQ(planned.error().message, whole.error().message);
  EXPECT_NE(planned.error().message.find("cannot load profile 'broken'"), std::string::npos) << planned.error().message;
}

// Inputs that own their texts (SeccompMeetInputs only views them).
struct Inputs {
  std::vector<std::string> profiles;
  std::string filter;
  operator SeccompMeetInputs() const {
    SeccompMeetInputs in{{}, filter};
    for (const auto& p : profiles) in.profile_texts.push_back(p);
    return in;
  }
};

TEST(SeccompMemo, UsedOnlyForTheSameBytes) {
  test::TempDir dir;
  const std::string state = dir.path().string();
  const std::vector<std::string> profiles{"{\"extends\":\"default\"}", "{\"seccomp\":{}}"};
  const std::string filter = "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}";
  const SeccompMeet meet{"{\"met\":true}", "replaced the filter", "encoded profile"};
  remember_seccomp_meet(state, Inputs{profiles, filter}, meet);
  auto recalled = recall_seccomp_meet(state, Inputs{profiles, filter});
  ASSERT_TRUE(recalled);
  EXPECT_EQ(recalled->filter, meet.filter);
  EXPECT_EQ(recalled->change, meet.change);
  EXPECT_EQ(recalled->profile, meet.profile);

  EXPECT_FALSE(recall_seccomp_meet(state, Inputs{profiles, filter + " "}));
  EXPECT_FALSE(recall_seccomp_meet(state, Inputs{{profiles[0]}, filter}));
  EXPECT_FALSE(recall_seccomp_meet(state, Inputs{{profiles[1], profiles[0]}, filter}));
  EXPECT_FALSE(recall_seccomp_meet(state, Inputs{{profiles[0], "{\"seccomp\":{ }}"}, filter}));

  const SeccompMeet unchanged{"{\"same\":1}", std::nullopt, ""};
  remember_seccomp_meet(state, Inputs{{"p"}, "f"}, unchanged);
  recalled = recall_seccomp_meet(state, Inputs{{"p"}, "f"});
  ASSERT_TRUE(recalled);
  EXPECT_FALSE(recalled->change);
}

TEST(SeccompMemo, ADamagedEntryIsNotUsed) {
  test::TempDir dir;
  const std::string state = dir.path().string();
  const Inputs in{{"profile text"}, "filter text"};
  remember_seccomp_meet(state, in, {"{\"met\":true}", "changed", "profile"});
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir.path() / "seccomp-meets")) entries.push_back(e.path());
  ASSERT_EQ(entries.size(), 1u);
  const std::string good = test::slurp(entries[0]);
  auto with = [&](const std::string& content) {
    std::ofstream(entries[0], std::ios::trunc) << content;
    return recall_seccomp_meet(state, in);
  };
  ASSERT_TRUE(with(good));
  EXPECT_FALSE(with(good.substr(0, good.size() - 1))) << "cut short";
  EXPECT_FALSE(with(good + "x")) << "longer";
  EXPECT_FALSE(with("")) << "empty";
  std::string other_build = good;
  other_build.replace(other_build.find("meet 2 ") + 7, 4, "0000");
  EXPECT_FALSE(with(other_build)) << "another build's";
  std::string other_lengths = good;
  other_lengths.replace(other_lengths.find("\n1 12 ") + 1, 4, "1 13");
  EXPECT_FALSE(with(other_lengths)) << "lengths that do not match";
}

TEST(SeccompMemo, NoStateDirNoMemo) {
  remember_seccomp_meet("", Inputs{{"p"}, "f"}, {"{}", std::nullopt, ""});
  EXPECT_FALSE(recall_seccomp_meet("", Inputs{{"p"}, "f"}));
}

}  // namespace
}  // namespace hardened
