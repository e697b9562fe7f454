// The shipped default profile's seccomp filter, checked against what dockerd itself applies.
#include <gtest/gtest.h>

#include <set>

#include "hardened/seccomp_compile.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

json canonical(const json& rule) {
  json out = json::array();
  for (const auto& a : rule.value("args", json::array())) {
    out.push_back({a.value("index", 0), a.value("value", std::uint64_t{0}), a.value("valueTwo", std::uint64_t{0}), a.value("op", "")});
  }
  return out;
}

bool is_allow(const json& rule) { return rule["action"] == "SCMP_ACT_ALLOW" || rule["action"] == "SCMP_ACT_LOG"; }

// Every (name, conditions) an OCI filter allows, conditions canonical; [] means unconditionally.
std::set<std::pair<std::string, std::string>> allowed(const json& filter) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& rule : filter["syscalls"]) {
    if (!is_allow(rule)) continue;
    for (const auto& name : rule["names"]) out.insert({name.get<std::string>(), canonical(rule).dump()});
  }
  return out;
}

const json& profile_filter() { return test::default_profile().seccomp; }

TEST(DefaultSeccomp, EverySyscallItAllowsDockersDefaultAllowsToo) {
  // The filter dockerd 20.10 resolved from its default profile for its default capabilities.
  const auto docker = allowed(test::fixture("create", "default")["linux"]["seccomp"]);
  int checked = 0;
  for (const auto& [name, conditions] : allowed(profile_filter())) {
    const bool docker_unconditional = docker.contains({name, "[]"});
    const bool docker_same_conditions = docker.contains({name, conditions});
    EXPECT_TRUE(docker_unconditional || docker_same_conditions)
        << name << " with conditions " << conditions << " is allowed by us but not by Docker's default";
    ++checked;
  }
  EXPECT_GT(checked, 250);
}

TEST(DefaultSeccomp, DeniesByDefaultWithEnosys) {
  EXPECT_EQ(profile_filter()["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(profile_filter()["defaultErrnoRet"], 38) << "unknown and newer syscalls (clone3) answer ENOSYS";
}

TEST(DefaultSeccomp, DangerousSyscallsAreNotAllowed) {
  const auto ours = allowed(profile_filter());
  for (const char* name : {"io_uring_setup", "io_uring_enter", "io_uring_register", "clone3", "bpf", "userfaultfd",
                           "perf_event_open", "keyctl", "add_key", "request_key", "mount", "unshare", "setns", "ptrace",
                           "process_vm_readv", "init_module", "kexec_load", "open_by_handle_at", "socketcall"}) {
    EXPECT_FALSE(std::any_of(ours.begin(), ours.end(), [&](const auto& entry) { return entry.first == name; })) << name;
  }
}

TEST(DefaultSeccomp, CloneIsAllowedOnlyWithoutNamespaceFlags) {
  const auto ours = allowed(profile_filter());
  EXPECT_FALSE(ours.contains({"clone", "[]"}));
  EXPECT_TRUE(ours.contains({"clone", R"([[0,2114060288,0,"SCMP_CMP_MASKED_EQ"]])"}));
}

TEST(DefaultSeccomp, CompilesWithLibseccompForThisHost) {
  auto compiled = compile_seccomp(profile_filter());
  EXPECT_TRUE(compiled) << compiled.error().message;
}

}  // namespace
}  // namespace hardened
