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

// AppArmor's "unconfined" and the SELinux types no policy confines are refused, whatever the level
// field says, and as the kernel reads them (a C string: a JSON \u0000 ends it; blanks trimmed; AppArmor
// finds unconfined for a prefix of the name, for a namespace with no profile, and for "&" stacked on
// runc's own unconfined label; SELinux reads a label that begins with a newline as none); a confined
// type, Docker's own profile and no label at all pass.
TEST(Deny, AProcessOutsideTheHostsLsmIsRefused) {
  using namespace std::string_literals;
  const auto refusal_with = [](const char* field, const std::string& value) {
    json spec = test::fixture("create", "default");
    spec["process"][field] = value;
    return refusal(spec);
  };
  std::string message;
  for (const std::string& name : {"unconfined"s, " unconfined\n"s, ":root:unconfined"s, ":ns//unconfined"s, "docker-default//&unconfined"s,
                                  "unconfined\0x"s, "u"s, "unconfine"s, "&unconfined"s, "&un"s, ":ns"s, ":ns:"s, ":ns://"s,
                                  ":ns://unconfined"s, ":ns:unc"s}) {
    message = refusal_with("apparmorProfile", name);
    EXPECT_NE(message.find("deny.lsm_unconfined"), std::string::npos) << name;
    EXPECT_NE(message.find("--security-opt apparmor=unconfined"), std::string::npos) << message;
  }
  for (const std::string& label : {"system_u:system_r:spc_t:s0"s, "system_u:system_r:spc_t:s0:c1,c2"s, "unconfined_u:unconfined_r:unconfined_t"s,
                                   "system_u:system_r:container_runtime_t:s0"s, "system_u:system_r:spc_t\n"s, "system_u:system_r:spc_t\0:s0"s,
                                   "system_u:system_r:docker_t:s0"s, "system_u:system_r:kubelet_t:s0"s}) {
    message = refusal_with("selinuxLabel", label);
    EXPECT_NE(message.find("deny.lsm_unconfined"), std::string::npos) << label;
    EXPECT_NE(message.find("label=type:"), std::string::npos) << message;
  }
  for (const std::string& label : {"\nsystem_u:system_r:container_t:s0"s, "\0system_u:system_r:container_t:s0"s}) {
    message = refusal_with("selinuxLabel", label);
    EXPECT_NE(message.find("reads as no label"), std::string::npos) << message;
  }
  for (const auto& confined :
       std::initializer_list<std::pair<const char*, const char*>>{{"apparmorProfile", "docker-default"}, {"selinuxLabel", "system_u:system_r:container_t:s0:c1,c2"},
        {"selinuxLabel", "spc_t"}, {"selinuxLabel", "system_u:system_r:spc_tx:s0"}, {"apparmorProfile", ""},
        {"apparmorProfile", "unconfined-app"}, {"apparmorProfile", ":ns:docker-default"}, {"apparmorProfile", "&docker-default"},
        {"apparmorProfile", "docker-default//&"}}) {
    EXPECT_EQ(refusal_with(confined.first, confined.second), "") << confined.second;
  }
  json spec = test::fixture("create", "default");
  spec["process"]["apparmorProfile"] = "unconfined";
  Profile allowing = test::default_profile();
  allowing.deny_lsm_unconfined = false;
  EXPECT_TRUE(harden_spec(spec, allowing).has_value());
}

// A profile is also what it is on this host: one loaded unconfined or in complain mode does not
// confine, whatever its name; one in enforce mode passes.
TEST(Deny, AnAppArmorProfileLoadedWithoutConfinementIsRefused) {
  HostFacts facts;
  facts.apparmor_modes = {{"runc", "unconfined"}, {"debugging", "complain"}, {"docker-default", "enforce"}};
  for (const char* name : {"runc", "&runc", " debugging", "docker-default//&runc"}) {
    json spec = test::fixture("create", "default");
    spec["process"]["apparmorProfile"] = name;
    auto out = decide_spec(spec, test::default_profile(), facts);
    ASSERT_TRUE(out);
    const std::string message = refusal_message(out->denials);
    EXPECT_NE(message.find("deny.lsm_unconfined"), std::string::npos) << name;
    EXPECT_NE(message.find("mode: it does not confine"), std::string::npos) << message;
  }
  json spec = test::fixture("create", "default");
  spec["process"]["apparmorProfile"] = "docker-default";
  auto out = decide_spec(spec, test::default_profile(), facts);
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->denials.empty()) << refusal_message(out->denials);
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

namespace hardened {
namespace {

Findings denials_of(const json& spec, const Profile& profile = test::default_profile(), const HostFacts& facts = {}) {
  auto out = decide_spec(spec, profile, facts);
  EXPECT_TRUE(out) << out.error().message;
  return out ? out->denials : Findings{};
}

std::vector<std::string> rules_of(const Findings& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule);
  return out;
}

json with_bind(const std::string& source, const std::string& destination = "/x") {
  json spec = test::minimal_spec();
  spec["mounts"] = json::array({{{"destination", destination}, {"type", "bind"}, {"source", source}, {"options", {"rbind"}}}});
  return spec;
}

// crun's run.oci.* and the systemd scope's properties change what the container may do past the rules.
TEST(DenyRules, AnnotationsTheRuntimeActsOnAreRefused) {
  for (const char* key : {"run.oci.seccomp_bpf_data", "run.oci.seccomp.plugins", "run.oci.keep_original_groups", "run.oci.handler",
                          "run.oci.hooks.stdout", "org.systemd.property.MemoryMax", "org.systemd.property.DeviceAllow"}) {
    json spec = test::minimal_spec();
    spec["annotations"] = {{key, "x"}, {"org.example/ok", "1"}};
    const Findings denials = denials_of(spec);
    ASSERT_EQ(rules_of(denials), std::vector<std::string>{"deny.runtime_annotations"}) << key;
    EXPECT_NE(denials[0].message.find(std::string("the annotation ") + key), std::string::npos) << denials[0].message;
    EXPECT_TRUE(denials_of(spec, test::permissive_deny(test::default_profile())).empty()) << key;
  }
  json spec = test::minimal_spec();
  spec["annotations"] = {{"run.oci.seccomp_fail_unknown_syscall", "1"}, {"org.systemd.property.TimeoutStopUSec", "uint64 10"},
                         {"io.kubernetes.cri.container-type", "container"}, {"run.ocix", "1"}};
  EXPECT_TRUE(denials_of(spec).empty());
}

TEST(DenyRules, DockerHostNetworkIsANamespacePath) {
  const auto found = denials_of(test::fixture("create", "net-host"));
  ASSERT_EQ(rules_of(found), std::vector<std::string>{"deny.host_namespaces"});
  EXPECT_NE(found[0].message.find("--network=host"), std::string::npos) << found[0].message;
}

TEST(DenyRules, AnyNamespacePathTheEdgeFoundToBeTheHostsIsRefused) {
  json spec = test::minimal_spec();
  spec["linux"]["namespaces"][4] = {{"type", "network"}, {"path", "/run/other-daemon/netns/default"}};
  EXPECT_TRUE(denials_of(spec).empty()) << "another container's namespace is fine";
  HostFacts facts;
  facts.host_namespace_paths.insert("/run/other-daemon/netns/default");
  EXPECT_EQ(rules_of(denials_of(spec, test::default_profile(), facts)), std::vector<std::string>{"deny.host_namespaces"});
}

TEST(DenyRules, HostUtsIsRefusedAndHostUserOnlyWhereTheProfileSaysSo) {
  json spec = test::minimal_spec();
  spec["linux"]["namespaces"].erase(3);  // uts
  EXPECT_NE(denials_of(spec)[0].message.find("--uts=host"), std::string::npos);
  Profile userns = test::default_profile();
  userns.deny_host_namespaces = {"user"};
  EXPECT_NE(denials_of(test::fixture("create", "default"), userns)[0].message.find("--userns=host"), std::string::npos)
      << "for hosts with userns-remap";
}

TEST(DenyRules, EveryRefusalIsCollectedNotJustTheFirst) {
  json spec = test::fixture("create", "pid-host");
  spec["mounts"].push_back({{"destination", "/s"}, {"type", "bind"}, {"source", "/var/run/docker.sock"}, {"options", {"rbind"}}});
  spec["linux"]["sysctl"]["kernel.msgmax"] = "1";
  EXPECT_EQ(rules_of(denials_of(spec)), (std::vector<std::string>{"deny.host_namespaces", "deny.bind_sources", "deny.sysctls"}));
  auto refused = harden_spec(spec, test::default_profile());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("; also refused by rule deny.sysctls"), std::string::npos) << refused.error().message;
}

TEST(DenyRules, PrivilegedIsOneRefusalNotAHundred) {
  EXPECT_EQ(rules_of(denials_of(test::fixture("create", "privileged"))), std::vector<std::string>{"deny.privileged"});
}

TEST(DenyRules, WholeHostDirectoriesButNotFilesInThem) {
  EXPECT_EQ(rules_of(denials_of(with_bind("/etc"))), std::vector<std::string>{"deny.bind_sources_exact"});
  EXPECT_EQ(rules_of(denials_of(with_bind("/"))), std::vector<std::string>{"deny.bind_sources"}) << "/ holds the sockets";
  EXPECT_TRUE(denials_of(with_bind("/etc/localtime", "/etc/localtime")).empty());
  EXPECT_TRUE(denials_of(with_bind("/srv/app-data")).empty());
  EXPECT_FALSE(denials_of(with_bind("/proc/1/root")).empty());
  EXPECT_FALSE(denials_of(with_bind("/dev/mem")).empty());
}

TEST(DenyRules, DockersOwnFilesAndNamedVolumesAreAllowedTheRestOfItsStateIsNot) {
  EXPECT_TRUE(denials_of(with_bind("/var/lib/docker/volumes/pgdata/_data", "/var/lib/postgresql/data")).empty());
  EXPECT_TRUE(denials_of(test::fixture("create", "default")).empty()) << "resolv.conf, hostname, hosts";
  EXPECT_FALSE(denials_of(with_bind("/var/lib/docker/volumes")).empty());
  EXPECT_FALSE(denials_of(with_bind("/var/lib/docker/overlay2/abc/merged")).empty());
  EXPECT_FALSE(denials_of(with_bind("/var/lib/docker/containers/other/config.v2.json")).empty());
  HostFacts facts;  // an allowed path that is a symlink to a denied one is judged by where it leads
  facts.resolved_sources["/var/lib/docker/volumes/evil/_data"] = "/var/run/docker.sock";
  EXPECT_FALSE(denials_of(with_bind("/var/lib/docker/volumes/evil/_data"), test::default_profile(), facts).empty());
}

TEST(DenyRules, DevicesBeyondTheDefaultSetUnlessTheProfileAllowsThem) {
  const json fuse = test::fixture("create", "device-fuse");
  const auto found = denials_of(fuse);
  ASSERT_EQ(rules_of(found), std::vector<std::string>{"deny.devices"});
  EXPECT_NE(found[0].message.find("--device /dev/fuse"), std::string::npos) << found[0].message;
  Profile allows = test::default_profile();
  allows.devices_allowed = {"/dev/fuse"};
  EXPECT_TRUE(denials_of(fuse, allows).empty());
  json blanket = test::minimal_spec();
  blanket["linux"]["resources"]["devices"] = json::parse(R"([{"allow": true, "type": "c", "access": "rwm"}])");
  EXPECT_EQ(rules_of(denials_of(blanket)), std::vector<std::string>{"deny.devices"}) << "c *:* rwm";
  blanket["linux"]["resources"]["devices"] = json::parse(R"([{"allow": true, "type": "c", "access": "m"}, {"allow": true, "type": "c", "major": 136, "access": "rwm"}])");
  EXPECT_TRUE(denials_of(blanket).empty()) << "mknod alone, and the container's own ptys";
}

TEST(DenyRules, SysctlsOutsideTheSafeList) {
  EXPECT_TRUE(denials_of(test::fixture("create", "sysctl")).empty()) << "dockerd's own two are safe";
  json spec = test::minimal_spec();
  spec["linux"]["sysctl"] = {{"kernel.msgmax", "65536"}, {"net.ipv4.tcp_syncookies", "1"}};
  const auto found = denials_of(spec);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].message.find("kernel.msgmax"), std::string::npos);
  Profile prefix = test::default_profile();
  prefix.sysctls_allowed = {"kernel.msg*", "net.*"};
  EXPECT_TRUE(denials_of(spec, prefix).empty());
}

TEST(DenyRules, DangerousCapabilitiesAreRefusedTheRestDropped) {
  const auto found = denials_of(test::fixture("create", "cap-add-sysadmin"));
  ASSERT_EQ(rules_of(found), std::vector<std::string>{"capabilities.deny"});
  EXPECT_NE(found[0].message.find("--cap-add SYS_ADMIN"), std::string::npos) << found[0].message;
  EXPECT_TRUE(denials_of(test::fixture("create", "default")).empty()) << "Docker's default caps are dropped, not refused";
}

TEST(DenyRules, EveryNewRuleCanBeRelaxed) {
  const Profile relaxed = test::permissive_deny(test::default_profile());
  for (const char* name : {"net-host", "device-fuse", "cap-add-sysadmin", "privileged", "docker-sock", "ipc-host"}) {
    EXPECT_TRUE(denials_of(test::fixture("create", name), relaxed).empty()) << name;
  }
  EXPECT_TRUE(denials_of(with_bind("/etc"), relaxed).empty());
}

TEST(BindOptions, EveryBindMountGetsNosuidAndNodevOnce) {
  auto out = harden_spec(with_bind("/srv/data"), test::default_profile());
  ASSERT_TRUE(out);
  // (noexec: the bind is writable, mounts.writable_exec)
  EXPECT_EQ(out->document["mounts"][0]["options"], json::parse(R"(["rbind","nosuid","nodev","noexec"])"));
  auto twice = harden_spec(out->document, test::default_profile());
  EXPECT_EQ(twice->document, out->document);
  Profile none = test::default_profile();
  none.bind_options.clear();
  // Without bind_options a writable bind still gets W^X's noexec,nosuid,nodev; a read-only one nothing.
  json ro = with_bind("/srv/data");
  ro["mounts"][0]["options"].push_back("ro");
  EXPECT_EQ(harden_spec(ro, none)->document["mounts"][0]["options"], json::parse(R"(["rbind","ro"])"));
}

}  // namespace
}  // namespace hardened
