// Messages for any client: the same refusal, spelt for Docker, for Kubernetes (CRI annotations) and
// for podman; a Kubernetes user is never told a docker flag.
#include <gtest/gtest.h>

#include "hardened/client_spelling.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

json as_cri(json spec, const char* container_type = "sandbox") {
  spec["annotations"] = {{"io.kubernetes.cri.container-type", container_type}, {"io.kubernetes.cri.sandbox-namespace", "default"}};
  return spec;
}

std::string refusal(const json& spec) {
  auto out = decide_spec(spec, test::default_profile());
  EXPECT_TRUE(out.has_value());
  return out ? refusal_message(out->denials) : std::string();
}

TEST(ClientSpelling, ClientFromAnnotations) {
  EXPECT_EQ(client_of(test::fixture("create", "default")), Client::docker);
  EXPECT_EQ(client_of(as_cri(test::fixture("create", "default"))), Client::kubernetes);
  json crio = test::fixture("create", "default");
  crio["annotations"] = {{"io.kubernetes.cri-o.ContainerType", "sandbox"}};
  EXPECT_EQ(client_of(crio), Client::kubernetes);
  json podman = test::fixture("create", "default");
  podman["annotations"] = {{"io.container.manager", "libpod"}};
  EXPECT_EQ(client_of(podman), Client::podman);
  // What podman 4.3 really writes (tests/data/podman/annotations-4.3.json, from `podman run`): CRI-O's
  // io.kubernetes.cri-o.Created and .TTY beside its own; a podman user was told of pod specs.
  podman["annotations"] = test::load(std::filesystem::path(test::kDataDir) / "podman" / "annotations-4.3.json");
  EXPECT_EQ(client_of(podman), Client::podman);
}

TEST(ClientSpelling, HostNamespacesSpeakPodSpecAndNameTheDefaultHandler) {
  for (const char* fixture : {"pid-host", "net-host", "ipc-host"}) {
    const std::string docker = refusal(test::fixture("create", fixture));
    const std::string k8s = refusal(as_cri(test::fixture("create", fixture)));
    EXPECT_NE(docker.find("docker run --"), std::string::npos) << docker;
    EXPECT_EQ(k8s.find("docker run"), std::string::npos) << k8s;
    EXPECT_EQ(k8s.find(" --"), std::string::npos) << k8s;
    EXPECT_NE(k8s.find("deny.host_namespaces"), std::string::npos) << k8s;
    EXPECT_NE(k8s.find("in the pod spec"), std::string::npos) << k8s;
    EXPECT_NE(k8s.find("default handler"), std::string::npos) << k8s;
  }
  EXPECT_NE(refusal(as_cri(test::fixture("create", "pid-host"))).find("hostPID: true"), std::string::npos);
}

TEST(ClientSpelling, NoRefusalTellsAKubernetesUserADockerFlag) {
  for (const char* fixture : {"privileged", "docker-sock", "device-fuse", "cap-add-sysadmin"}) {
    const std::string k8s = refusal(as_cri(test::fixture("create", fixture), "container"));
    EXPECT_FALSE(k8s.empty()) << fixture;
    EXPECT_EQ(k8s.find("docker run"), std::string::npos) << k8s;
    EXPECT_EQ(k8s.find(" --"), std::string::npos) << k8s;
  }
  const std::string caps = refusal(as_cri(test::fixture("create", "cap-add-sysadmin"), "container"));
  EXPECT_NE(caps.find("securityContext.capabilities.add: SYS_ADMIN"), std::string::npos) << caps;
}

// A pod's AppArmor or SELinux option is named as the pod spec writes it.
TEST(ClientSpelling, UnconfinedLsmSpeaksSecurityContext) {
  json apparmor = test::fixture("create", "default");
  apparmor["process"]["apparmorProfile"] = "unconfined";
  const std::string k8s = refusal(as_cri(apparmor, "container"));
  EXPECT_NE(k8s.find("appArmorProfile.type: Unconfined"), std::string::npos) << k8s;
  json selinux = test::fixture("create", "default");
  selinux["process"]["selinuxLabel"] = "system_u:system_r:spc_t:s0";
  const std::string label = refusal(as_cri(selinux, "container"));
  EXPECT_NE(label.find("seLinuxOptions.type: spc_t in the pod spec"), std::string::npos) << label;
  for (const std::string& message : {k8s, label}) {
    EXPECT_EQ(message.find("docker run"), std::string::npos) << message;
    EXPECT_EQ(message.find(" --"), std::string::npos) << message;
  }
}

TEST(ClientSpelling, ALimitAboveTheCeilingRefusedWhenTheProfileSaysSo) {  // resources.beyond_ceilings "refuse"
  Profile profile = test::default_profile();
  profile.beyond_ceilings = Profile::Excess::refuse;
  json spec = as_cri(test::fixture("create", "default"), "container");
  spec["linux"]["resources"]["memory"] = {{"limit", 4294967296}};
  auto out = decide_spec(spec, profile);
  ASSERT_TRUE(out);
  const std::string message = refusal_message(out->denials);
  EXPECT_NE(message.find("refused by rule resources.limits: linux.resources.memory.limit 4294967296 is above the profile's ceiling "
                         "536870912 (resources.memory_max_bytes; resources.limits.memory in the pod spec)"),
            std::string::npos)
      << message;
  spec["linux"]["resources"]["memory"] = {{"limit", 268435456}};  // below: kept, no refusal
  EXPECT_TRUE(decide_spec(spec, profile)->denials.empty());
  spec["linux"]["resources"].erase("memory");  // none asked: the ceiling, no refusal
  EXPECT_TRUE(decide_spec(spec, profile)->denials.empty());
  spec["linux"]["resources"]["memory"] = {{"limit", 4294967296}};
  EXPECT_TRUE(decide_spec(spec, test::default_profile())->denials.empty());  // clamp: lowered, not refused
}

TEST(ClientSpelling, PodmanGetsPodmanRun) {
  json spec = test::fixture("create", "pid-host");
  spec["annotations"] = {{"io.container.manager", "libpod"}};
  const std::string message = refusal(spec);
  EXPECT_NE(message.find("podman run --pid=host"), std::string::npos) << message;
  EXPECT_EQ(message.find("docker"), std::string::npos) << message;
}

TEST(ClientSpelling, UnknownDockerPhrasesLoseTheirFlagButKeepTheField) {
  const std::string text = spell_for(Client::kubernetes, "process.foo is 3 (docker run --foo 3), which is too many");
  EXPECT_EQ(text, "process.foo is 3, which is too many");
}

}  // namespace
}  // namespace hardened
