#include "hardened/docker_config.hpp"

#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

DockerRegistration hardened_at(const std::string& binary) {
  DockerRegistration r;
  r.binary = binary;
  return r;
}

TEST(DockerConfig, AddsTheRuntimeKeepingEveryOtherKey) {
  const json before = json::parse(R"({"log-driver":"journald","runtimes":{"nvidia":{"path":"/usr/bin/nvidia-container-runtime"}}})");
  auto after = apply_docker_registration(before, hardened_at("/usr/local/bin/hardened-runtime"));
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["log-driver"], "journald");
  EXPECT_EQ((*after)["runtimes"]["nvidia"], before["runtimes"]["nvidia"]);
  EXPECT_EQ((*after)["runtimes"]["hardened"], json::parse(R"({"path":"/usr/local/bin/hardened-runtime"})"));
  EXPECT_FALSE(after->contains("default-runtime"));
}

TEST(DockerConfig, ProfileNameAndDefault) {
  DockerRegistration r = hardened_at("/hr");
  r.name = "hardened-web";
  r.profile = "web";
  r.make_default = true;
  auto after = apply_docker_registration(json::object(), r);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, json::parse(R"({"default-runtime":"hardened-web",
                                    "runtimes":{"hardened-web":{"path":"/hr","runtimeArgs":["--profile","web"]}}})"));
}

TEST(DockerConfig, ApplyingTwiceChangesNothing) {
  DockerRegistration r = hardened_at("/hr");
  r.make_default = true;
  auto once = apply_docker_registration(json::object(), r);
  ASSERT_TRUE(once);
  EXPECT_EQ(*apply_docker_registration(*once, r), *once);
}

TEST(DockerConfig, RemoveTakesOutTheRuntimeAndTheDefaultNamingIt) {
  const json before = json::parse(R"({"default-runtime":"hardened","debug":true,
                                      "runtimes":{"hardened":{"path":"/hr"},"other":{"path":"/o"}}})");
  DockerRegistration r = hardened_at("/hr");
  r.remove = true;
  auto after = apply_docker_registration(before, r);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, json::parse(R"({"debug":true,"runtimes":{"other":{"path":"/o"}}})"));
}

TEST(DockerConfig, RefusesWhatItCannotMergeSafely) {
  EXPECT_FALSE(apply_docker_registration(json::array(), hardened_at("/hr")));
  EXPECT_FALSE(apply_docker_registration(json::parse(R"({"runtimes":[]})"), hardened_at("/hr")));
  EXPECT_FALSE(apply_docker_registration(json::parse(R"({"default-runtime":5})"), hardened_at("/hr")));
  DockerRegistration runc = hardened_at("/hr");
  runc.name = "runc";
  EXPECT_FALSE(apply_docker_registration(json::object(), runc)) << "dockerd's built-in name cannot be replaced";
  EXPECT_FALSE(apply_docker_registration(json::object(), hardened_at("relative/hr")));
}

}  // namespace
}  // namespace hardened
