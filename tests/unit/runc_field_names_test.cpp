// A key runc's Go decoder reads as a field is judged as that field: renamed to the field's own name,
// or refused when two keys are one field. Real specs and payloads pass unchanged.
#include <gtest/gtest.h>

#include "hardened/runc_field_names.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

// The document with its keys renamed, or the refusal.
std::string refusal(json& document, RuncDocument kind = RuncDocument::spec) {
  auto named = canonical_field_names(document, kind, "config.json");
  return named ? "" : named.error().message;
}
std::string refusal(json&& document, RuncDocument kind = RuncDocument::spec) { return refusal(document, kind); }

TEST(FieldNames, EverySpecAndPayloadDockerWritesPassesUnchanged) {
  auto unchanged = [](json document, RuncDocument kind) {
    const json before = document;
    return refusal(document, kind).empty() && document == before;
  };
  for (const auto& name : test::fixture_names("create")) EXPECT_TRUE(unchanged(test::fixture("create", name), RuncDocument::spec)) << name;
  for (const auto& name : test::fixture_names("exec")) EXPECT_TRUE(unchanged(test::fixture("exec", name), RuncDocument::process)) << name;
  EXPECT_TRUE(unchanged(test::fixture("update", "docker-update"), RuncDocument::resources));
}

// 'ſ' (U+017F) folds to 's', 'K' (U+212A, Kelvin) to 'k', ASCII letters to either case: the rules then
// see what runc reads.
TEST(FieldNames, AKeyRuncReadsAsAFieldIsRenamedToIt) {
  json update{{"Pids", {{"Limit", 100000}}}, {"CPU", {{"Cpus", "0"}, {"Mems", "0"}}}};  // as runc's own tests write them
  EXPECT_EQ(refusal(update, RuncDocument::resources), "");
  EXPECT_EQ(update, (json{{"pids", {{"limit", 100000}}}, {"cpu", {{"cpus", "0"}, {"mems", "0"}}}}));
  json spec = test::fixture("create", "default");
  spec["linux"]["resources"]["memory"] = {{"\u212aernel", 1}};
  spec["mounts"][0]["Options"] = spec["mounts"][0]["options"];
  spec["mounts"][0].erase("options");
  spec["linux"]["resources"]["rdma"] = {{"mlx5_0", {{"HcaHandles", 3}}}};  // a map's values may be structures
  EXPECT_EQ(refusal(spec), "");
  EXPECT_EQ(spec["linux"]["resources"]["memory"], (json{{"kernel", 1}}));
  EXPECT_TRUE(spec["mounts"][0].contains("options"));
  EXPECT_EQ(spec["linux"]["resources"]["rdma"]["mlx5_0"], (json{{"hcaHandles", 3}}));
}

// Which one runc keeps depends on the order in the file, which the document does not keep: refused.
TEST(FieldNames, TwoKeysThatAreOneFieldAreRefusedWithWhereAndHow) {
  const json spec = test::fixture("create", "default");
  auto with = [&](const json::json_pointer& at, const std::string& key) {
    json s = spec;
    s[at][key] = json::object();
    return s;
  };
  EXPECT_EQ(refusal(with(json::json_pointer(""), "proce\u017fs")),
            "config.json has the keys 'process' and 'proce\u017fs', which runc reads as one field, 'process' (its JSON decoder ignores "
            "the case of keys and keeps the last one): keep one, spelled 'process'");
  EXPECT_NE(refusal(with(json::json_pointer("/linux"), "\u017feccomp")).find("'linux.seccomp' and 'linux.\u017feccomp'"), std::string::npos);
  EXPECT_NE(refusal(with(json::json_pointer(""), "MOUNTS")).find("one field, 'mounts'"), std::string::npos);
  json s = spec;
  s["linux"]["seccomp"]["syscalls"][0]["Action"] = "SCMP_ACT_ALLOW";
  EXPECT_NE(refusal(s).find("one field, 'linux.seccomp.syscalls.action'"), std::string::npos);
  s = spec;
  s["process"]["noNewPrivileges"] = true;
  s["process"]["nonewprivileges"] = false;
  EXPECT_NE(refusal(s).find("one field, 'process.noNewPrivileges'"), std::string::npos);
  // Two spellings, neither the field's own.
  EXPECT_NE(refusal(json{{"Pids", 1}, {"PIDS", 2}}, RuncDocument::resources).find("one field, 'pids'"), std::string::npos);
  json process = test::fixture("exec", "default");
  process["u\u017fer"] = json{{"uid", 0}, {"gid", 0}};
  EXPECT_NE(refusal(process, RuncDocument::process).find("one field, 'user'"), std::string::npos);
}

// The keys of a map are data (annotation names, sysctls, cgroup files): Go keeps them as they are.
TEST(FieldNames, KeysOfMapsAreNotFields) {
  json spec = test::fixture("create", "default");
  spec["annotations"] = json{{"Process", "x"}, {"MOUNTS", "y"}, {"process", "z"}};
  spec["linux"]["sysctl"] = json{{"Net.ipv4.ping_group_range", "0 0"}};
  spec["linux"]["resources"]["unified"] = json{{"Memory.max", "max"}, {"memory.max", "max"}};
  spec["linux"]["timeOffsets"] = json{{"Monotonic", {{"secs", 1}}}};
  const json before = spec;
  EXPECT_EQ(refusal(spec), "");
  EXPECT_EQ(spec, before);
  json update{{"unified", {{"Pids.max", "10"}}}};
  EXPECT_EQ(refusal(update, RuncDocument::resources), "");
  EXPECT_EQ(update, (json{{"unified", {{"Pids.max", "10"}}}}));
  // A map's own name spelled otherwise is a key like any other.
  json annotations{{"Annotations", {{"Process", "x"}}}};
  EXPECT_EQ(refusal(annotations), "");
  EXPECT_EQ(annotations, (json{{"annotations", {{"Process", "x"}}}}));
}

// Keys no field folds to are ignored by runc and round-trip untouched.
TEST(FieldNames, KeysOfNoFieldStayAsTheyAre) {
  const json odd{{"org.example", 1}, {"Org.Example", 2}, {"processes", 3}, {"\u017f", 4}, {std::string(40, 'a'), 5}};
  json copy = odd;
  EXPECT_EQ(refusal(copy), "");
  EXPECT_EQ(copy, odd);
}

}  // namespace
}  // namespace hardened
