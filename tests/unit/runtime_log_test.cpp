#include "hardened/runtime_log.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "helpers.hpp"

namespace hardened {
namespace {

TEST(RuntimeLog, JsonLineAsRuncWritesIt) {
  const std::string line = runtime_log_line("json", "refused \"x\"\nnext", "2026-11-22T13:47:51.000000001Z");
  EXPECT_EQ(line, "{\"level\":\"error\",\"msg\":\"refused \\\"x\\\"\\nnext\",\"time\":\"2026-11-22T13:47:51.000000001Z\"}\n");
}

TEST(RuntimeLog, TextLineAsLogrusWritesIt) {
  EXPECT_EQ(runtime_log_line("text", "no \"way\"", "T"), "time=\"T\" level=error msg=\"no \\\"way\\\"\"\n");
}

TEST(RuntimeLog, TimeIsRfc3339Utc) {
  EXPECT_TRUE(std::regex_match(rfc3339_now(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z)")));
}

TEST(RuntimeLog, AppendsWholeLines) {
  test::TempDir dir;
  const auto path = (dir.path() / "log.json").string();
  ASSERT_TRUE(append_runtime_log(path, "json", "first"));
  ASSERT_TRUE(append_runtime_log(path, "json", "second"));
  const std::string text = test::slurp(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  EXPECT_EQ(json::parse(text.substr(text.find('\n') + 1))["msg"], "second");
}

}  // namespace
}  // namespace hardened
