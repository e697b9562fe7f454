// configure podman: round-trips an administrator's containers.conf (tests/data/podman/containers.conf),
// keeping every other setting; --default, twice, --remove, and a malformed file.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "hardened/containerd_config.hpp"

#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

#include "test_paths.hpp"

namespace hardened {
namespace {

std::string admin_config() {
  std::ifstream in(std::string(test::kDataDir) + "/podman/containers.conf");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

PodmanRegistration hardened_runtime(bool make_default = false) {
  PodmanRegistration r;
  r.binary = "/usr/local/bin/hardened-runtime";
  r.make_default = make_default;
  return r;
}

TEST(PodmanConfig, AddsTheRuntimeAndKeepsEverythingElse) {
  const std::string original = admin_config();
  auto edit = apply_podman_registration(original, "containers.conf", hardened_runtime());
  ASSERT_TRUE(edit) << edit.error().message;
  EXPECT_TRUE(edit->changed);
  EXPECT_EQ(edit->table, "engine.runtimes.hardened");
  toml::table after = toml::parse(edit->text);
  const toml::table before = toml::parse(original);
  auto hardened = after["engine"]["runtimes"]["hardened"].as_array();
  ASSERT_NE(hardened, nullptr);
  ASSERT_EQ(hardened->size(), 1u);
  EXPECT_EQ((*hardened)[0].value_or<std::string>(""), "/usr/local/bin/hardened-runtime");
  EXPECT_FALSE(after["engine"]["runtime"]);  // not the default without --default
  after["engine"]["runtimes"].as_table()->erase("hardened");
  EXPECT_EQ(after, before);
}

// The administrator's file stays as written, comments and layout: each new key goes on the line after
// the header of the table it belongs to.
TEST(PodmanConfig, TheAdministratorsFileStaysAsWritten) {
  const std::string original = admin_config();
  auto edit = apply_podman_registration(original, "containers.conf", hardened_runtime(true));
  ASSERT_TRUE(edit) << edit.error().message;
  const std::string runtime_line = "runtime = 'hardened'\n";
  const std::string runtimes_line = "hardened = [ '/usr/local/bin/hardened-runtime' ]\n";
  EXPECT_NE(edit->text.find("[engine]\n" + runtime_line), std::string::npos) << edit->text;
  EXPECT_NE(edit->text.find("[engine.runtimes]\n" + runtimes_line), std::string::npos) << edit->text;
  std::string without = edit->text;
  for (const auto& line : {runtime_line, runtimes_line}) without.erase(without.find(line), line.size());
  EXPECT_EQ(without, original);
}

TEST(PodmanConfig, DefaultSetsTheEngineRuntime) {
  auto edit = apply_podman_registration(admin_config(), "containers.conf", hardened_runtime(true));
  ASSERT_TRUE(edit) << edit.error().message;
  toml::table after = toml::parse(edit->text);
  EXPECT_EQ(after["engine"]["runtime"].value_or<std::string>(""), "hardened");
  EXPECT_EQ(after["engine"]["cgroup_manager"].value_or<std::string>(""), "cgroupfs");
}

TEST(PodmanConfig, TwiceChangesNothingAndRemoveRestoresTheSettings) {
  const std::string original = admin_config();
  auto added = apply_podman_registration(original, "containers.conf", hardened_runtime(true));
  ASSERT_TRUE(added);
  auto again = apply_podman_registration(added->text, "containers.conf", hardened_runtime(true));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->text, added->text);
  PodmanRegistration remove = hardened_runtime();
  remove.remove = true;
  auto removed = apply_podman_registration(added->text, "containers.conf", remove);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(removed->changed);
  EXPECT_EQ(toml::parse(removed->text), toml::parse(original));
  auto removed_again = apply_podman_registration(removed->text, "containers.conf", remove);
  ASSERT_TRUE(removed_again);
  EXPECT_FALSE(removed_again->changed);
}

TEST(PodmanConfig, AnEmptyFileGetsOnlyTheRuntimeAndRemoveEmptiesItAgain) {
  auto added = apply_podman_registration("", "containers.conf", hardened_runtime());
  ASSERT_TRUE(added);
  toml::table after = toml::parse(added->text);
  EXPECT_EQ(after["engine"]["runtimes"]["hardened"][0].value_or<std::string>(""), "/usr/local/bin/hardened-runtime");
  PodmanRegistration remove = hardened_runtime();
  remove.remove = true;
  auto removed = apply_podman_registration(added->text, "containers.conf", remove);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(toml::parse(removed->text).empty());
}

TEST(PodmanConfig, RefusesAMalformedFileNamingTheLine) {
  auto edit = apply_podman_registration("[engine]\nruntime = \n", "containers.conf", hardened_runtime());
  ASSERT_FALSE(edit);
  EXPECT_NE(edit.error().message.find("containers.conf:2"), std::string::npos) << edit.error().message;
  auto not_a_table = apply_podman_registration("engine = 1\n", "containers.conf", hardened_runtime());
  ASSERT_FALSE(not_a_table);
}

}  // namespace
}  // namespace hardened
