// Odd and malformed specs: every one is either hardened or refused with a message naming the field,
// never a crash, never a half-hardened result.
#include <gtest/gtest.h>

#include <fstream>

#include "hardened/json_file.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

struct Odd {
  const char* what;
  const char* pointer;  // where to put `value` in the default fixture ("" = replace the whole spec)
  const char* value;    // JSON text; "DELETE" removes the member
  const char* expected;  // text in the refusal, or "" when it must be hardened
};

void PrintTo(const Odd& c, std::ostream* os) { *os << c.what; }

class OddSpec : public ::testing::TestWithParam<Odd> {};

TEST_P(OddSpec, IsHardenedOrRefusedClearly) {
  const Odd& c = GetParam();
  json spec = test::fixture("create", "default");
  if (std::string(c.pointer).empty()) {
    spec = json::parse(c.value);
  } else if (std::string(c.value) == "DELETE") {
    const json::json_pointer p(c.pointer);
    spec[p.parent_pointer()].erase(p.back());
  } else {
    spec[json::json_pointer(c.pointer)] = json::parse(c.value);
  }
  auto out = harden_spec(spec, test::default_profile());
  if (std::string(c.expected).empty()) {
    ASSERT_TRUE(out) << c.what << ": " << out.error().message;
    EXPECT_EQ(out->document["process"]["noNewPrivileges"], true);
  } else {
    ASSERT_FALSE(out) << c.what;
    EXPECT_NE(out.error().message.find(c.expected), std::string::npos) << c.what << ": " << out.error().message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, OddSpec,
    ::testing::Values(
        Odd{"top level is a list", "", "[]", "must hold a JSON object"},
        Odd{"top level is a number", "", "42", "must hold a JSON object"},
        Odd{"no process", "/process", "DELETE", "has no process"},
        Odd{"process is a string", "/process", R"("sh")", "process must be an object"},
        Odd{"no root", "/root", "DELETE", "no root"},
        Odd{"no linux section: no namespaces of its own", "/linux", "DELETE", "shares the host's pid namespace"},
        Odd{"linux is a list", "/linux", "[]", "linux must be an object"},
        Odd{"no mounts", "/mounts", "DELETE", ""},
        Odd{"mount without destination", "/mounts/0", R"({"type":"proc"})", "mounts[0].destination"},
        Odd{"user is a number", "/process/user", "0", "process.user must be an object"},
        Odd{"uid as string", "/process/user/uid", R"("0")", "process.user.uid"},
        Odd{"negative uid", "/process/user/uid", "-1", "process.user.uid"},
        Odd{"huge uid", "/process/user/uid", "99999999999999999999", "process.user.uid"},
        Odd{"caps as string", "/process/capabilities", R"("ALL")", "process.capabilities must be an object"},
        Odd{"cap list of numbers", "/process/capabilities/bounding", "[1,2]", "process.capabilities.bounding"},
        Odd{"huge memory limit", "/linux/resources/memory/limit", "18446744073709551615", ""},
        Odd{"float memory limit", "/linux/resources/memory/limit", "1e30", "linux.resources.memory.limit"},
        Odd{"negative pids", "/linux/resources/pids", R"({"limit":-9223372036854775808})", ""},
        Odd{"seccomp is null", "/linux/seccomp", "null", ""},
        Odd{"namespaces not a list", "/linux/namespaces", "{}", "linux.namespaces must be a list"},
        Odd{"noNewPrivileges as number", "/process/noNewPrivileges", "1", "process.noNewPrivileges"},
        // Fields the deny rules read with a default: another kind threw (found by fuzz_spec).
        Odd{"device rule type as list", "/linux/resources/devices/0/type", R"(["a"])", "linux.resources.devices[].type must be a string"},
        Odd{"device rule allow as string", "/linux/resources/devices/0/allow", R"("yes")", "linux.resources.devices[].allow must be true or false"},
        Odd{"device rule major as string", "/linux/resources/devices/0/major", R"("1")", "linux.resources.devices[].major must be a number"},
        Odd{"device rule access as number", "/linux/resources/devices/0/access", "7", "linux.resources.devices[].access must be a string"},
        Odd{"namespace type as number", "/linux/namespaces/0/type", "5", "linux.namespaces[].type must be a string"},
        Odd{"namespace type null", "/linux/namespaces/0/type", "null", "linux.namespaces[].type must be a string"},
        Odd{"mount destination as number", "/mounts/0/destination", "5", "mounts[].destination must be a string"},
        Odd{"device path as number", "/linux/devices", R"([{"path": 5, "type": "c", "major": 1, "minor": 3}])", "linux.devices[].path must be a string"},
        Odd{"device major as null", "/linux/devices", R"([{"path": "/dev/x", "type": "c", "major": null, "minor": 3}])", "linux.devices[].major must be a number"}));

TEST(MalformedFiles, EmptyAndInvalidJsonAreReportedWithThePath) {
  test::TempDir dir;
  const auto write = [&](const char* name, const std::string& text) {
    std::ofstream(dir.path() / name) << text;
    return (dir.path() / name).string();
  };
  auto empty = read_json_file(write("empty.json", ""));
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("empty.json is empty"), std::string::npos);
  auto broken = read_json_file(write("broken.json", R"({"process": {"user": )"));
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("broken.json is not valid JSON (byte"), std::string::npos) << broken.error().message;
  auto missing = read_json_file((dir.path() / "absent.json").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("No such file"), std::string::npos);
  auto directory = read_json_file(dir.path().string());
  EXPECT_FALSE(directory);
}

TEST(MalformedFiles, AbsurdNestingIsRefusedBeforeItCanExhaustTheStack) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto parsed = parse_json(deep, "deep");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("nests deeper than 64"), std::string::npos);
}

TEST(Malformed, ANumberBeyondADoubleIsRefusedNotThrown) {
  for (const char* text : {R"({"linux":{"resources":{"pids":{"limit":1e400}}}})", "4E4445", "-1e309", "[8117136e304]"}) {
    auto parsed = parse_json(text, "config.json");
    ASSERT_FALSE(parsed) << text;
    EXPECT_NE(parsed.error().message.find("config.json is not valid JSON"), std::string::npos) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find("Number too big"), std::string::npos) << parsed.error().message;
  }
  auto largest = parse_json("[17976931348623157e292]", "config.json");  // the largest double there is
  ASSERT_TRUE(largest);
  EXPECT_EQ((*largest)[0].get<double>(), 1.7976931348623157e308);
}

TEST(Malformed, ContainerSeccompArgumentsThatAreNotIntegersAreRefusedNotThrown) {
  for (const char* arg : {R"({"index": 0, "value": 2.1e37, "op": "SCMP_CMP_EQ"})", R"({"index": 0, "value": "x", "op": "SCMP_CMP_EQ"})",
                          R"({"index": -1, "value": 1, "op": "SCMP_CMP_EQ"})", R"({"index": 0, "value": 1, "op": 5})", "7"}) {
    json spec = test::minimal_spec();
    spec["linux"]["seccomp"] = json::parse(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["personality"],
                                              "action": "SCMP_ACT_ALLOW", "args": [)" + std::string(arg) + "]}]}");
    auto out = harden_spec(spec, test::default_profile());
    ASSERT_FALSE(out) << arg;
    EXPECT_NE(out.error().message.find("linux.seccomp.syscalls[].args"), std::string::npos) << out.error().message;
  }
}

// runc reads a null number as absent (Go leaves it alone): so does every comparison of conditions.
TEST(Malformed, ContainerSeccompNullsAreReadAsAbsent) {
  json spec = test::minimal_spec();
  spec["linux"]["seccomp"] = json::parse(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["personality"],
      "action": "SCMP_ACT_ALLOW", "errnoRet": null, "args": [{"index": 0, "value": 8, "valueTwo": null, "op": "SCMP_CMP_EQ"}]}]})");
  auto out = harden_spec(spec, test::default_profile());
  ASSERT_TRUE(out) << out.error().message;
}

}  // namespace
}  // namespace hardened
