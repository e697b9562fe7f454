// A remembered profile (profile_codec.hpp) is the profile its texts make: every field comes back, and
// anything but exactly what was written reads as nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hardened/loading.hpp"
#include "hardened/profile_codec.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

// What a remembered profile holds: everything but the filter.
Profile without_filter(Profile p) {
  p.seccomp = json();
  p.seccomp_docker_format = false;
  return p;
}

TEST(ProfileCodec, EveryShippedProfileComesBack) {
  HostConfig config;
  config.profiles_dir = test::kProfilesDir;
  for (const char* name : {"default", "strict", "web"}) {
    auto profile = load_profile(config, name);
    ASSERT_TRUE(profile) << profile.error().message;
    auto decoded = decode_profile(encode_profile(*profile), name);
    ASSERT_TRUE(decoded) << name;
    EXPECT_TRUE(*decoded == without_filter(*profile)) << name;
  }
}

// Every field away from its default, so that a field the codec forgot shows.
Profile unusual_profile() {
  Profile p;
  p.name = "unusual";
  p.description = "all: \"fields\" set\n";
  p.mode = Mode::audit;
  p.capabilities_allow = {"CAP_NET_BIND_SERVICE", "CAP_CHOWN"};
  p.capabilities_ambient = {"CAP_NET_BIND_SERVICE"};
  p.capabilities_deny = {"CAP_SYS_ADMIN"};
  p.no_new_privileges = false;
  p.readonly_rootfs = false;
  p.tmpfs = {json{{"destination", "/run"}, {"type", "tmpfs"}, {"options", {"noexec", "size=1m"}}}, json::object()};
  p.bind_options = {"nosuid", "ro"};
  p.uid = 4294967295u;
  p.gid = 7;
  p.pids_max = -1;
  p.memory_max_bytes = 9223372036854775807LL;
  p.cpus_max = 0.1 + 0.2;  // a double that does not print short
  p.cpu_period_us = 12345;
  p.masked_paths = {"/proc/kcore", ""};
  p.readonly_paths = {"/proc/sys"};
  p.deny_privileged = false;
  p.deny_host_namespaces = {"pid", "network"};
  p.deny_bind_sources = {"/var/run/docker.sock"};
  p.deny_bind_sources_exact = {"/"};
  p.bind_sources_allowed = {"/srv/*/data"};
  p.deny_devices = false;
  p.devices_allowed = {"/dev/fuse"};
  p.deny_sysctls = false;
  p.sysctls_allowed = {"net.ipv4.*"};
  p.secrets = {SecretsPolicy::Action::refuse, {"*PASSWORD*"}, {"*-----BEGIN*"}, 20, 4.5};
  p.seccomp_deny = {"io_uring_setup", "12:34"};
  return p;
}

TEST(ProfileCodec, EveryFieldComesBack) {
  const Profile p = unusual_profile();
  EXPECT_FALSE(p == Profile{}) << "the test profile must differ from the default";
  auto decoded = decode_profile(encode_profile(p), "unusual");
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(*decoded == p);
  EXPECT_EQ(decode_profile(encode_profile(p), "other")->name, "other") << "the name is the one selected";
}

TEST(ProfileCodec, OnlyExactlyWhatWasWrittenIsRead) {
  const std::string text = encode_profile(unusual_profile());
  for (std::size_t n = 0; n < text.size(); ++n) EXPECT_FALSE(decode_profile(text.substr(0, n), "u")) << "cut at " << n;
  EXPECT_FALSE(decode_profile(text + "0:", "u"));
  EXPECT_FALSE(decode_profile("garbage", "u"));
  std::string bad_bool = encode_profile(Profile{});
  const std::size_t at = bad_bool.find("1:1");  // no_new_privileges, the first bool
  ASSERT_NE(at, std::string::npos);
  bad_bool[at + 2] = '2';
  EXPECT_FALSE(decode_profile(bad_bool, "u"));
}

TEST(ProfileCodec, TheChainsTextsAreReadWithoutParsing) {
  HostConfig config;
  config.profiles_dir = test::kProfilesDir;
  auto texts = read_profile_texts(config, "web");
  ASSERT_TRUE(texts);
  auto chain = read_profile_chain(config, "web");
  ASSERT_TRUE(chain);
  ASSERT_EQ(texts->size(), chain->size());
  for (std::size_t i = 0; i < texts->size(); ++i) EXPECT_EQ((*texts)[i], (*chain)[i].text);

  test::TempDir dir;
  config.profiles_dir = dir.path().string();
  auto write = [&](const std::string& name, const std::string& text) { std::ofstream(dir.path() / (name + ".json")) << text; };
  write("a", R"({"extends": "b"})");
  write("b", R"({"extends": "a"})");
  EXPECT_FALSE(read_profile_texts(config, "a")) << "a circle";
  write("c", R"({"extends": "missing"})");
  EXPECT_FALSE(read_profile_texts(config, "c")) << "a missing parent";
  write("d", R"({"extends": "\u0062"})");
  EXPECT_FALSE(read_profile_texts(config, "d")) << "an escape is left to the parse";
  write("e", R"({"extends": 7})");
  EXPECT_FALSE(read_profile_texts(config, "e"));
  write("f", R"({"description": "no parent"})");
  ASSERT_TRUE(read_profile_texts(config, "f"));
  EXPECT_EQ(read_profile_texts(config, "f")->size(), 1u);
}

}  // namespace
}  // namespace hardened
