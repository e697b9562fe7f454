// configure containerd: round-trips the config.toml `containerd config default` writes (containerd 1.6,
// tests/data/containerd-1.6/config.toml), keeping every other setting.
#include "hardened/containerd_config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

#include "test_paths.hpp"

namespace hardened {
namespace {

std::string stock_config() {
  std::ifstream in(std::string(test::kDataDir) + "/containerd-1.6/config.toml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ContainerdRegistration hardened_handler() {
  ContainerdRegistration r;
  r.binary = "/usr/local/bin/hardened-runtime";
  return r;
}

constexpr const char* kCri = "io.containerd.grpc.v1.cri";

TEST(ContainerdConfig, AddsTheHandlerAndKeepsEverythingElse) {
  const std::string original = stock_config();
  auto edit = apply_containerd_registration(original, "config.toml", hardened_handler());
  ASSERT_TRUE(edit) << edit.error().message;
  EXPECT_TRUE(edit->changed);
  toml::table after = toml::parse(edit->text);
  const toml::table before = toml::parse(original);
  auto runtimes = after["plugins"][kCri]["containerd"]["runtimes"];
  EXPECT_EQ(runtimes["hardened"]["runtime_type"].value_or<std::string>(""), "io.containerd.runc.v2");
  EXPECT_EQ(runtimes["hardened"]["options"]["BinaryName"].value_or<std::string>(""), "/usr/local/bin/hardened-runtime");
  EXPECT_EQ(runtimes["hardened"]["options"]["SystemdCgroup"].value<bool>(), false);  // as the runc handler has it
  EXPECT_EQ(runtimes["hardened"]["pod_annotations"][0].value_or<std::string>(""), "org.hardened-runtime.*");
  EXPECT_EQ(runtimes["hardened"]["container_annotations"][0].value_or<std::string>(""), "org.hardened-runtime.*");
  // Without the new handler, the file says exactly what it said before.
  after["plugins"][kCri]["containerd"]["runtimes"].as_table()->erase("hardened");
  EXPECT_EQ(after, before);
}

// A first registration only adds tables: the administrator's file is kept as written, comments and
// layout, with the handler appended. An edit that appending cannot express is written whole.
TEST(ContainerdConfig, AFirstRegistrationKeepsTheFileAsWrittenAndAppends) {
  const std::string original = "# our containerd: ask platform-team before changing\n" + stock_config();
  auto edit = apply_containerd_registration(original, "config.toml", hardened_handler());
  ASSERT_TRUE(edit) << edit.error().message;
  EXPECT_TRUE(edit->text.starts_with(original));
  EXPECT_EQ(toml::parse(edit->text)["plugins"][kCri]["containerd"]["runtimes"]["hardened"]["options"]["BinaryName"].value_or<std::string>(""),
            "/usr/local/bin/hardened-runtime");

  ContainerdRegistration moved = hardened_handler();  // a new binary path changes a value: written whole
  moved.binary = "/opt/hardened/bin/hardened-runtime";
  auto changed = apply_containerd_registration(edit->text, "config.toml", moved);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->text.find("platform-team"), std::string::npos);
  EXPECT_EQ(toml::parse(changed->text)["plugins"][kCri]["containerd"]["runtimes"]["hardened"]["options"]["BinaryName"].value_or<std::string>(""),
            "/opt/hardened/bin/hardened-runtime");

  // The runtimes as an inline table cannot be extended by a table appended after it: written whole.
  const std::string inline_runtimes = "version = 2 # ours\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
                                      "runtimes = { runc = { runtime_type = \"io.containerd.runc.v2\" } }\n";
  auto whole = apply_containerd_registration(inline_runtimes, "config.toml", hardened_handler());
  ASSERT_TRUE(whole) << whole.error().message;
  const toml::table after = toml::parse(whole->text);
  EXPECT_EQ(after["plugins"][kCri]["containerd"]["runtimes"]["runc"]["runtime_type"].value_or<std::string>(""), "io.containerd.runc.v2");
  EXPECT_EQ(after["plugins"][kCri]["containerd"]["runtimes"]["hardened"]["options"]["BinaryName"].value_or<std::string>(""),
            "/usr/local/bin/hardened-runtime");
}

TEST(ContainerdConfig, TwiceChangesNothingAndRemoveRestoresTheSettings) {
  const std::string original = stock_config();
  auto added = apply_containerd_registration(original, "config.toml", hardened_handler());
  ASSERT_TRUE(added);
  auto again = apply_containerd_registration(added->text, "config.toml", hardened_handler());
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->text, added->text);
  ContainerdRegistration remove = hardened_handler();
  remove.remove = true;
  auto removed = apply_containerd_registration(added->text, "config.toml", remove);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(removed->changed);
  EXPECT_EQ(toml::parse(removed->text), toml::parse(original));
  auto nothing = apply_containerd_registration(original, "config.toml", remove);
  ASSERT_TRUE(nothing);
  EXPECT_FALSE(nothing->changed);
  EXPECT_EQ(nothing->text, original);  // byte for byte: nothing to write
}

TEST(ContainerdConfig, FollowsTheSystemdCgroupDriverOfTheRuncHandler) {
  std::string text = stock_config();
  const auto at = text.find("SystemdCgroup = false");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 21, "SystemdCgroup = true");
  auto edit = apply_containerd_registration(text, "config.toml", hardened_handler());
  ASSERT_TRUE(edit);
  EXPECT_EQ(toml::parse(edit->text)["plugins"][kCri]["containerd"]["runtimes"]["hardened"]["options"]["SystemdCgroup"].value<bool>(), true);
}

TEST(ContainerdConfig, AMalformedFileIsRefusedNamingTheLine) {
  auto edit = apply_containerd_registration("version = 2\n[plugins\nx = 1\n", "/etc/containerd/config.toml", hardened_handler());
  ASSERT_FALSE(edit);
  EXPECT_NE(edit.error().message.find("/etc/containerd/config.toml:2:"), std::string::npos) << edit.error().message;
  auto not_a_table = apply_containerd_registration("version = 2\nplugins = 3\n", "config.toml", hardened_handler());
  EXPECT_FALSE(not_a_table);
}

TEST(ContainerdConfig, VersionsAndAnEmptyFile) {
  auto fresh = apply_containerd_registration("", "config.toml", hardened_handler());
  ASSERT_TRUE(fresh);
  const toml::table t = toml::parse(fresh->text);
  EXPECT_EQ(t["version"].value<std::int64_t>(), 2);
  EXPECT_TRUE(t["plugins"][kCri]["containerd"]["runtimes"]["hardened"].is_table());
  auto v3 = apply_containerd_registration("version = 3\n", "config.toml", hardened_handler());
  ASSERT_TRUE(v3);
  EXPECT_TRUE(toml::parse(v3->text)["plugins"]["io.containerd.cri.v1.runtime"]["containerd"]["runtimes"]["hardened"].is_table());
  auto disabled = apply_containerd_registration("version = 2\ndisabled_plugins = [\"cri\"]\n", "config.toml", hardened_handler());
  ASSERT_TRUE(disabled);
  ASSERT_EQ(disabled->notes.size(), 1u);
  EXPECT_NE(disabled->notes[0].find("disabled_plugins"), std::string::npos);
}

TEST(ContainerdConfig, TheLockdownDropInPutsTheLockdownDirectoryFirst) {
  const std::string dropin = lockdown_dropin("/usr/local/lib/hardened-runtime/lockdown");
  EXPECT_NE(dropin.find("[Service]\nEnvironment=\"PATH=/usr/local/lib/hardened-runtime/lockdown:/usr/local/sbin"), std::string::npos);
}

}  // namespace
}  // namespace hardened
