// A key runc's Go decoder reads as a field the rules would not see is refused; real specs pass.
#include <gtest/gtest.h>

#include "hardened/runc_field_names.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

std::string refusal(const json& document, RuncDocument kind = RuncDocument::spec) {
  auto checked = check_field_spelling(document, kind, "config.json");
  return checked ? "" : checked.error().message;
}

TEST(FieldSpelling, EverySpecAndPayloadDockerWritesPasses) {
  for (const auto& name : test::fixture_names("create")) EXPECT_EQ(refusal(test::fixture("create", name)), "") << name;
  for (const auto& name : test::fixture_names("exec")) EXPECT_EQ(refusal(test::fixture("exec", name), RuncDocument::process), "") << name;
  EXPECT_EQ(refusal(test::fixture("update", "docker-update"), RuncDocument::resources), "");
}

// Each one, written after the real field (as our sorted output would), is what runc keeps.
TEST(FieldSpelling, KeysGoFoldsToAFieldAreRefusedWithWhereAndHow) {
  const json spec = test::fixture("create", "default");
  auto with = [&](const json::json_pointer& at, const std::string& key) {
    json s = spec;
    s[at][key] = json::object();
    return s;
  };
  // 'ſ' (U+017F) folds to 's', 'K' (U+212A, Kelvin) to 'k', ASCII letters to either case.
  EXPECT_EQ(refusal(with(json::json_pointer(""), "proce\u017fs")),
            "config.json has the key 'proce\u017fs', which runc reads as 'process': runc's JSON decoder ignores the case of keys, "
            "the rules read a field only by its own name; write it as the OCI runtime spec spells it");
  EXPECT_NE(refusal(with(json::json_pointer("/linux"), "\u017feccomp")).find("'linux.\u017feccomp', which runc reads as 'linux.seccomp'"), std::string::npos);
  EXPECT_NE(refusal(with(json::json_pointer("/linux"), "Devices")).find("'linux.Devices', which runc reads as 'linux.devices'"), std::string::npos);
  EXPECT_NE(refusal(with(json::json_pointer("/process"), "nonewprivileges")).find("as 'process.noNewPrivileges'"), std::string::npos);
  EXPECT_NE(refusal(with(json::json_pointer("/linux/resources/memory"), "\u212aernel")).find("as 'linux.resources.memory.kernel'"), std::string::npos);
  EXPECT_NE(refusal(with(json::json_pointer(""), "MOUNTS")).find("as 'mounts'"), std::string::npos);
  // Inside arrays too: a mount's or a seccomp rule's fields.
  json s = spec;
  s["mounts"][0]["Options"] = json::array({"rw"});
  EXPECT_NE(refusal(s).find("'mounts.Options', which runc reads as 'mounts.options'"), std::string::npos);
  s = spec;
  s["linux"]["seccomp"]["syscalls"][0]["Action"] = "SCMP_ACT_ALLOW";
  EXPECT_NE(refusal(s).find("as 'linux.seccomp.syscalls.action'"), std::string::npos);
}

TEST(FieldSpelling, TheProcessOfAnExecAndTheResourcesOfAnUpdate) {
  json process = test::fixture("exec", "default");
  process["u\u017fer"] = json{{"uid", 0}, {"gid", 0}};
  EXPECT_NE(refusal(process, RuncDocument::process).find("as 'user'"), std::string::npos);
  const json update{{"Pids", {{"Limit", 100000}}}};
  EXPECT_NE(refusal(update, RuncDocument::resources).find("'Pids', which runc reads as 'pids'"), std::string::npos);
}

// The keys of a map are data (annotation names, sysctls, cgroup files): Go keeps them as they are.
TEST(FieldSpelling, KeysOfMapsAreNotFields) {
  json spec = test::fixture("create", "default");
  spec["annotations"] = json{{"Process", "x"}, {"MOUNTS", "y"}};
  spec["linux"]["sysctl"] = json{{"Net.ipv4.ping_group_range", "0 0"}};
  spec["linux"]["resources"]["unified"] = json{{"Memory.max", "max"}};
  spec["linux"]["timeOffsets"] = json{{"Monotonic", {{"secs", 1}}}};
  EXPECT_EQ(refusal(spec), "");
  EXPECT_EQ(refusal(json{{"unified", {{"Pids.max", "10"}}}}, RuncDocument::resources), "");
  // ... but what a map holds may be a structure with fields.
  spec["linux"]["resources"]["rdma"] = json{{"mlx5_0", {{"HcaHandles", 3}}}};
  EXPECT_NE(refusal(spec).find("as 'linux.resources.rdma.mlx5_0.hcaHandles'"), std::string::npos);
  // A map's own name spelled otherwise is a key like any other.
  EXPECT_NE(refusal(json{{"Annotations", json::object()}}).find("as 'annotations'"), std::string::npos);
}

// Keys no field folds to are ignored by runc and round-trip untouched; exact names pass.
TEST(FieldSpelling, KeysOfNoFieldAndExactNamesPass) {
  EXPECT_EQ(refusal(json{{"org.example", 1}, {"Org.Example", 2}, {"processes", 3}, {"\u017f", 4}}), "");
  EXPECT_EQ(refusal(json{{"process", {{"noNewPrivileges", true}, {"user", {{"uid", 1}, {"gid", 1}}}}}}), "");
  // Longer than any field name: folds to none.
  EXPECT_EQ(refusal(json{{std::string(40, 'a'), 1}}), "");
}

}  // namespace
}  // namespace hardened
