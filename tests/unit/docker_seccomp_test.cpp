// Docker's seccomp format, resolved the way dockerd resolves it (archMap, includes/excludes by caps,
// arch and kernel), checked against what dockerd 20.10 itself produced for the `default` fixture.
#include "hardened/docker_seccomp.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

// Every (syscall, argument conditions) an OCI filter allows.
std::set<std::pair<std::string, std::string>> allow_set(const json& seccomp) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& rule : seccomp["syscalls"]) {
    if (rule["action"] != "SCMP_ACT_ALLOW") continue;
    const std::string args = rule.value("args", json::array()).dump();
    for (const auto& name : rule["names"]) out.emplace(name.get<std::string>(), args);
  }
  return out;
}

std::vector<std::string> bounding(const json& spec) { return spec["process"]["capabilities"]["bounding"].get<std::vector<std::string>>(); }

TEST(DockerSeccomp, MobysDefaultResolvesToWhatDockerdPutInTheDefaultFixture) {
  const fs::path reference = fs::path(test::kSourceDir) / ".." / "shared" / "reference" / "seccomp" / "moby-v20.10.24-default.json";
  if (!fs::exists(reference)) {
    if (std::getenv("CI") != nullptr && std::string(std::getenv("CI")) == "true") FAIL() << reference << " is missing in CI";
    GTEST_SKIP() << reference << " is not here (it is read from the workplace, not copied into the project)";
  }
  const json moby = test::load(reference);
  ASSERT_TRUE(is_docker_seccomp(moby));
  const json fixture = test::fixture("create", "default");
  const json resolved = resolve_docker_seccomp(moby, bounding(fixture), KernelVersion{5, 10});
  EXPECT_EQ(allow_set(resolved), allow_set(fixture["linux"]["seccomp"]));
  EXPECT_EQ(resolved["architectures"], fixture["linux"]["seccomp"]["architectures"]);
  EXPECT_EQ(resolved["defaultAction"], fixture["linux"]["seccomp"]["defaultAction"]);

  // With CAP_SYS_ADMIN the admin syscalls join, and clone loses its namespace-flag condition.
  auto admin = bounding(fixture);
  admin.push_back("CAP_SYS_ADMIN");
  const auto with_admin = allow_set(resolve_docker_seccomp(moby, admin, KernelVersion{5, 10}));
  EXPECT_TRUE(with_admin.contains({"mount", "[]"}));
  EXPECT_TRUE(with_admin.contains({"clone", "[]"}));
  EXPECT_FALSE(allow_set(resolved).contains({"mount", "[]"}));
}

TEST(DockerSeccomp, IncludesAndExcludes) {
  const json profile = json::parse(R"({
    "defaultAction": "SCMP_ACT_ERRNO",
    "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]},
                {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
    "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
      {"name": "ptrace", "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
      {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}},
      {"names": ["sync_file_range2"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["ppc64le"]}},
      {"names": ["chroot"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_CHROOT"]}},
      {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]}, "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}
    ]})");
  const json none = resolve_docker_seccomp(profile, {}, KernelVersion{});
  EXPECT_EQ(none["architectures"], json::parse(R"(["SCMP_ARCH_X86_64","SCMP_ARCH_X86"])"));
  std::set<std::string> names;
  for (const auto& rule : none["syscalls"]) names.insert(rule["names"][0].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"read", "arch_prctl", "clone"})) << "unknown kernel: no minKernel include";
  const json chroot = resolve_docker_seccomp(profile, {"CAP_SYS_CHROOT", "CAP_SYS_ADMIN"}, KernelVersion{6, 1});
  names.clear();
  for (const auto& rule : chroot["syscalls"]) names.insert(rule["names"][0].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"read", "ptrace", "arch_prctl", "chroot"}));
}

TEST(DockerSeccomp, AProfileInDockersFormatIsResolvedAgainstTheFinalCapabilities) {
  // The container asks for CAP_SYS_CHROOT; a profile that does not allow it drops it first, so the
  // chroot rule that depends on it is not included.
  Profile profile = test::default_profile();
  profile.seccomp = json::parse(R"({"defaultAction": "SCMP_ACT_ERRNO", "archMap": [{"architecture": "SCMP_ARCH_X86_64"}],
    "syscalls": [{"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
                 {"names": ["chroot"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_CHROOT"]}}]})");
  profile.seccomp_docker_format = true;
  json spec = test::minimal_spec();
  spec["process"]["capabilities"]["bounding"] = {"CAP_SYS_CHROOT"};
  auto dropped = harden_spec(spec, profile);
  ASSERT_TRUE(dropped);
  EXPECT_FALSE(allow_set(dropped->document["linux"]["seccomp"]).contains({"chroot", "[]"}));
  profile.capabilities_allow = {"CAP_SYS_CHROOT"};
  auto kept = harden_spec(spec, profile);
  ASSERT_TRUE(kept);
  EXPECT_TRUE(allow_set(kept->document["linux"]["seccomp"]).contains({"chroot", "[]"}));
}

TEST(DockerSeccomp, KernelVersions) {
  EXPECT_EQ(parse_kernel_version("5.10.0-23-amd64"), (KernelVersion{5, 10}));
  EXPECT_EQ(parse_kernel_version("4.8"), (KernelVersion{4, 8}));
  EXPECT_FALSE(parse_kernel_version("five"));
  EXPECT_FALSE(parse_kernel_version("5"));
  EXPECT_LT((KernelVersion{4, 19}), (KernelVersion{5, 4}));
}

}  // namespace
}  // namespace hardened
