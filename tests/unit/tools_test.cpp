// hardened-runtime validate: one line per finding, non-zero exit when anything is wrong.
#include "hardened/tools.hpp"

#include <gtest/gtest.h>

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
  EXPECT_NE(output.find("error: the default profile 'missing'"), std::string::npos) << output;
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
