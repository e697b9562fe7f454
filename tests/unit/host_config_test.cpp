#include "hardened/host_config.hpp"

#include <gtest/gtest.h>

#include "hardened/loading.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

TEST(HostConfig, DefaultsWhenEmpty) {
  auto config = parse_host_config(json::object(), "/c.json");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->runtime, "");
  EXPECT_EQ(config->profiles_dir, "/etc/hardened-runtime/profiles");
  EXPECT_EQ(config->default_profile, "default");
  EXPECT_EQ(config->log_file, "/var/log/hardened-runtime.log");
}

TEST(HostConfig, ReadsEveryKey) {
  auto config = parse_host_config(json::parse(R"({"runtime":"/usr/sbin/runc","profiles_dir":"/p","default_profile":"strict","log_file":""})"), "/c.json");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->runtime, "/usr/sbin/runc");
  EXPECT_EQ(config->profiles_dir, "/p");
  EXPECT_EQ(config->default_profile, "strict");
  EXPECT_EQ(config->log_file, "");
}

TEST(HostConfig, RefusesMistakesNamingTheFile) {
  for (const char* text : {R"([])", R"({"runtme":"/x"})", R"({"runtime":5})", R"({"runtime":"runc"})", R"({"profiles_dir":"rel"})"}) {
    auto config = parse_host_config(json::parse(text), "/etc/hr.json");
    ASSERT_FALSE(config) << text;
    EXPECT_NE(config.error().message.find("/etc/hr.json"), std::string::npos) << config.error().message;
  }
}

TEST(HostConfig, MissingDefaultFileMeansBuiltInDefaults) {
  auto config = load_host_config("/nonexistent/hardened.json", false);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->source, "built-in defaults");
}

TEST(HostConfig, MissingExplicitFileIsAnError) {
  auto config = load_host_config("/nonexistent/hardened.json", true);
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("/nonexistent/hardened.json"), std::string::npos);
}

}  // namespace
}  // namespace hardened
