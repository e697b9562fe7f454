// hardened-runtime validate: one line per finding, non-zero exit when anything is wrong.
#include "hardened/tools.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

std::pair<int, std::string> validate(const fs::path& config) {
  testing::internal::CaptureStdout();
  const int status = run_tool({"hardened-runtime", "validate", "--config", config.string()}, real_system());
  return {status, testing::internal::GetCapturedStdout()};
}

TEST(Validate, TheShippedProfilesPass) {
  test::TempDir dir;
  std::ofstream(dir.path() / "c.json") << json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}}.dump();
  const auto [status, output] = validate(dir.path() / "c.json");
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("ok: profile 'default'"), std::string::npos) << output;
}

TEST(Validate, EachBrokenProfileIsReportedOnItsOwnLine) {
  test::TempDir dir;
  fs::create_directories(dir.path() / "p");
  fs::copy_file(fs::path(test::kProfilesDir) / "default.json", dir.path() / "p" / "default.json");
  std::ofstream(dir.path() / "p" / "typo.json") << R"({"capabilities": {"alow": []}})";
  json bad_syscall = test::load(fs::path(test::kProfilesDir) / "default.json");
  bad_syscall["seccomp"]["syscalls"][0]["names"].push_back("not_a_syscall");
  std::ofstream(dir.path() / "p" / "syscall.json") << bad_syscall.dump();
  std::ofstream(dir.path() / "c.json") << json{{"runtime", "/nonexistent/runc"}, {"profiles_dir", (dir.path() / "p").string()},
                                                {"default_profile", "missing"}}.dump();
  const auto [status, output] = validate(dir.path() / "c.json");
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("ok: profile 'default'"), std::string::npos) << output;
  EXPECT_NE(output.find("error: profile 'typo': unknown key 'capabilities.alow'"), std::string::npos) << output;
  EXPECT_NE(output.find("'not_a_syscall' is not a syscall"), std::string::npos) << output;
  EXPECT_NE(output.find("error: the runtime /nonexistent/runc"), std::string::npos) << output;
  EXPECT_NE(output.find("error: the default profile names profile 'missing'"), std::string::npos) << output;
}

TEST(Validate, ProfilesTheHostConfigNamesMustExist) {
  test::TempDir dir;
  std::ofstream(dir.path() / "c.json") << json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir},
                                                {"annotation_profiles", {"web", "webb"}},
                                                {"rules", {{{"annotations", {{"a", "b"}}}, {"profile", "strcit"}}}}}.dump();
  const auto [status, output] = validate(dir.path() / "c.json");
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("ok: profile 'strict'"), std::string::npos) << output;
  EXPECT_NE(output.find("ok: profile 'web'"), std::string::npos) << output;
  EXPECT_NE(output.find("error: annotation_profiles names profile 'webb'"), std::string::npos) << output;
  EXPECT_NE(output.find("error: rules[0] names profile 'strcit'"), std::string::npos) << output;
}

TEST(Validate, ABrokenHostConfigIsReported) {
  test::TempDir dir;
  std::ofstream(dir.path() / "c.json") << "{";
  const auto [status, output] = validate(dir.path() / "c.json");
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("error: cannot load the host config"), std::string::npos) << output;
}

}  // namespace
}  // namespace hardened

namespace hardened {
namespace {

namespace fs = std::filesystem;

// Runs the built binary; returns its exit status and standard output.
std::pair<int, std::string> run_binary(const std::string& arguments) {
  const std::string command = std::string(test::kBinary) + " " + arguments;
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

class Explain : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "bundle");
    std::ofstream(config_) << json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir},
                                   {"log_file", (dir_.path() / "audit.log").string()}, {"state_dir", (dir_.path() / "state").string()}}.dump();
  }
  void use_fixture(const std::string& name) {
    test::write_create_fixture(name, spec_);
  }
  test::TempDir dir_;
  fs::path config_ = dir_.path() / "hardened.json";
  fs::path spec_ = dir_.path() / "bundle" / "config.json";
};

TEST_F(Explain, ShowsExactlyWhatCreateThenDoesAndTouchesNothing) {
  use_fixture("default");
  const std::string before = test::slurp(spec_);
  const auto [status, output] = run_binary("explain --json --config " + config_.string() + " --bundle " + (dir_.path() / "bundle").string());
  ASSERT_EQ(status, 0) << output;
  EXPECT_EQ(test::slurp(spec_), before) << "explain must not write";
  EXPECT_FALSE(fs::exists(dir_.path() / "audit.log")) << "explain must not log";
  const json report = json::parse(output);
  EXPECT_TRUE(report["would_start"].get<bool>());
  EXPECT_TRUE(report["denials"].empty());

  const auto [create_status, create_output] =
      run_binary("--config " + config_.string() + " create --bundle " + (dir_.path() / "bundle").string() + " cid");
  ASSERT_EQ(create_status, 0) << create_output;
  const json audit = json::parse(test::slurp(dir_.path() / "audit.log"));
  EXPECT_EQ(report["changes"], audit["changes"]);
  EXPECT_NE(test::slurp(spec_), before);
}

TEST_F(Explain, ShowsTheRefusalAndExitsNonZero) {
  use_fixture("privileged");
  const auto [status, output] = run_binary("explain --config " + config_.string() + " " + spec_.string());
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("it would be refused:\n    refused by rule deny.privileged"), std::string::npos) << output;
}

// Docker's hook names the container it is for: explain judges it against --id, as create does against its
// argument, and without --id cannot take it for this container's.
TEST_F(Explain, DockersHookIsJudgedForTheIdGiven) {
  const std::string dockerd = "/usr/sbin/dockerd";
  if (!fs::exists(dockerd)) GTEST_SKIP() << "no " << dockerd << " on this host for the hook to reach";
  json spec = test::fixture("create", "default");
  spec["hooks"]["prestart"][0]["path"] = dockerd;  // not /proc/<pid>/exe of the machine it was captured on
  const std::string id = spec["hooks"]["prestart"][0]["args"][2];
  std::ofstream(spec_) << spec.dump();
  const std::string explain = "explain --json --config " + config_.string() + " " + spec_.string();
  const auto [with_id, report] = run_binary(explain + " --id " + id);
  EXPECT_EQ(with_id, 0) << report;
  const auto [other_id, other] = run_binary(explain + " --id=0123456789ab");
  EXPECT_EQ(other_id, 1) << other;
  EXPECT_NE(other.find("is not the id of the container being created, 0123456789ab"), std::string::npos) << other;
  const auto [without, unknown] = run_binary(explain);
  EXPECT_EQ(without, 1) << unknown;
  EXPECT_NE(unknown.find("which is not known here (explain: give it with --id)"), std::string::npos) << unknown;
}

// A spec no rule expected (a namespace type that is a number) is an error with a message, not an abort.
TEST_F(Explain, AMalformedSpecIsAnErrorNotACrash) {
  json spec = test::fixture("create", "default");
  spec["linux"]["namespaces"] = json::array({{{"type", 5}}});
  std::ofstream(spec_) << spec.dump();
  const auto [status, output] = run_binary("explain --config " + config_.string() + " " + spec_.string() + " 2>&1");
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("linux.namespaces"), std::string::npos) << output;
  EXPECT_EQ(output.find("unexpected error"), std::string::npos) << output;
}

TEST_F(Explain, ShowsTheSelectionTheModeAndWarnings) {
  json spec = test::fixture("create", "default");
  spec.erase("hooks");  // dockerd's, by a pid of the machine the fixture was captured on
  spec["annotations"] = {{"org.hardened-runtime.profile", "web"}};
  spec["process"]["env"].push_back("API_TOKEN=abc");
  std::ofstream(spec_) << spec.dump();
  std::ofstream(config_) << json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"mode", "audit"},
                                 {"annotation_profiles", {"web"}}}.dump();
  const auto [status, output] = run_binary("explain --config " + config_.string() + " " + spec_.string());
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("under profile 'web' (chosen by annotation org.hardened-runtime.profile), mode audit:"), std::string::npos) << output;
  EXPECT_NE(output.find("warning: environment variable API_TOKEN looks like a secret"), std::string::npos) << output;
  EXPECT_NE(output.find("audit mode: the container runs exactly as asked; in enforce mode:\n    it would start, with these changes:\n      capabilities:"),
            std::string::npos) << output;
}

TEST_F(Explain, AnotherProfileCanBePreviewed) {
  use_fixture("default");
  const auto [status, output] = run_binary("explain --config " + config_.string() + " --profile nosuch " + spec_.string() + " 2>&1");
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("cannot load profile 'nosuch'"), std::string::npos) << output;
}

}  // namespace
}  // namespace hardened

namespace hardened {
namespace {

// `hardened-runtime --config F validate` (a wrapper that always passes --config) is the tool, not runc.
TEST(ToolWords, GlobalFlagsBeforeAToolMoveAfterIt) {
  using V = std::vector<std::string>;
  EXPECT_TRUE(is_tool_command(V{"hr", "--config", "/c.json", "validate"}));
  EXPECT_EQ(tool_words(V{"hr", "--config", "/c.json", "validate"}), (V{"hr", "validate", "--config", "/c.json"}));
  EXPECT_EQ(tool_words(V{"hr", "--config=/c.json", "--profile", "web", "explain", "f.json"}),
            (V{"hr", "explain", "--config=/c.json", "--profile", "web", "f.json"}));
  EXPECT_EQ(tool_words(V{"hr", "--config", "/c.json", "configure", "docker", "--default"}),
            (V{"hr", "configure", "docker", "--config", "/c.json", "--default"}));
  EXPECT_EQ(tool_words(V{"hr", "audit", "--json"}), (V{"hr", "audit", "--json"}));
  EXPECT_FALSE(is_tool_command(V{"hr", "--config", "/c.json", "state", "validate"}));
  EXPECT_FALSE(is_tool_command(V{"hr", "--config", "/c.json"}));
}

TEST(ToolWords, ValidateRunsWithTheConfigGivenBeforeIt) {
  test::TempDir dir;
  const auto config = dir.path() / "hardened.json";
  std::ofstream(config) << json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}}.dump();
  EXPECT_EQ(run_tool({"hardened-runtime", "--config", config.string(), "validate"}, real_system()), 0);
  EXPECT_EQ(run_tool({"hardened-runtime", "--config", config.string(), "--profile", "nosuch", "validate"}, real_system()), 1)
      << "a --profile that names no profile is an error";
}

}  // namespace
}  // namespace hardened
