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

TEST(HostConfig, ReadsThePolicyKeys) {
  auto config = parse_host_config(json::parse(R"({"mode": "audit", "annotation_profiles": ["web"],
      "rules": [{"annotations": {"io.kubernetes.pod.namespace": "ci-*"}, "profile": "strict"}],
      "relaxation_maxima": {"pids_max": 1000, "cpus_max": 2.5}})"), "/c.json");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->mode, Mode::audit);
  EXPECT_EQ(config->annotation_profiles, std::vector<std::string>{"web"});
  ASSERT_EQ(config->rules.size(), 1u);
  EXPECT_EQ(config->rules[0].profile, "strict");
  EXPECT_EQ(config->relaxation_maxima.pids_max, 1000);
  EXPECT_EQ(config->relaxation_maxima.cpus_max, 2.5);
  EXPECT_FALSE(config->relaxation_maxima.memory_max_bytes);
}

TEST(HostConfig, RefusesPolicyMistakes) {
  for (const char* text : {R"({"mode": "dry"})", R"({"annotation_profiles": ["../x"]})", R"({"rules": [{"profile": "web"}]})",
                           R"({"rules": [{"annotations": {"a": 1}, "profile": "web"}]})", R"({"relaxation_maxima": {"pids": 5}})",
                           R"({"relaxation_maxima": {"pids_max": -5}})"}) {
    EXPECT_FALSE(parse_host_config(json::parse(text), "/c.json")) << text;
  }
}

}  // namespace
}  // namespace hardened
