#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

std::string refusal(const json& spec) {
  auto out = harden_spec(spec, test::default_profile());
  return out ? std::string() : out.error().message;
}

TEST(Deny, PrivilegedIsRefusedWithTheWayOut) {
  const std::string message = refusal(test::fixture("create", "privileged"));
  EXPECT_NE(message.find("deny.privileged"), std::string::npos) << message;
  EXPECT_NE(message.find("--privileged"), std::string::npos) << message;
}

TEST(Deny, HostPidAndIpcAreRefused) {
  EXPECT_NE(refusal(test::fixture("create", "pid-host")).find("--pid=host"), std::string::npos);
  EXPECT_NE(refusal(test::fixture("create", "ipc-host")).find("--ipc=host"), std::string::npos);
}

TEST(Deny, DockerSocketBindIsRefused) {
  const std::string message = refusal(test::fixture("create", "docker-sock"));
  EXPECT_NE(message.find("deny.bind_sources"), std::string::npos) << message;
  EXPECT_NE(message.find("/var/run/docker.sock"), std::string::npos) << message;
}

TEST(Deny, ParentsAndSpellingsOfASensitivePathAreRefused) {
  for (const char* source : {"/run", "/", "//var/run/./docker.sock", "/var/run/docker.sock/", "/run/containerd/x.sock", "/tmp/../run"}) {
    json spec = test::minimal_spec();
    spec["mounts"] = json::array({{{"destination", "/x"}, {"type", "bind"}, {"source", source}, {"options", {"rbind"}}}});
    EXPECT_NE(refusal(spec), "") << source;
  }
}

TEST(Deny, ASymlinkToASensitivePathIsRefused) {
  json spec = test::minimal_spec();
  spec["mounts"] = json::array({{{"destination", "/x"}, {"type", "bind"}, {"source", "/srv/innocent"}, {"options", {"rbind"}}}});
  EXPECT_EQ(refusal(spec), "") << "nothing known about /srv/innocent";
  HostFacts facts;
  facts.resolved_sources["/srv/innocent"] = "/run/docker.sock";
  auto out = harden_spec(spec, test::default_profile(), facts);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("/srv/innocent (a symlink to /run/docker.sock)"), std::string::npos) << out.error().message;
}

TEST(Deny, OrdinaryVolumesAndDevicesPass) {
  for (const char* name : {"volume", "default", "tmpfs-run", "sysctl", "user-1000", "read-only"}) {
    EXPECT_EQ(refusal(test::fixture("create", name)), "") << name;
  }
}

TEST(Deny, EachRuleCanBeRelaxedByTheProfile) {
  const Profile relaxed = test::permissive_deny(test::default_profile());
  for (const char* name : {"privileged", "pid-host", "ipc-host", "docker-sock"}) {
    EXPECT_TRUE(harden_spec(test::fixture("create", name), relaxed)) << name;
  }
}

}  // namespace
}  // namespace hardened
