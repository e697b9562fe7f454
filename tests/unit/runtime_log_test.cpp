#include "hardened/runtime_log.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
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
  // The same clock as rfc3339_now: time() reads a coarser one that can be a tick behind, which made
  // this test fail now and then at a second boundary.
  const auto seconds_now = [] { return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()); };
  const std::time_t before = seconds_now();
  const std::string text = rfc3339_now();
  const std::time_t after = seconds_now();
  ASSERT_TRUE(std::regex_match(text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z)"))) << text;
  // The fields are the UTC time now: read back with timegm, it lies between two clock readings.
  std::tm fields{};
  fields.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  fields.tm_mon = std::stoi(text.substr(5, 2)) - 1;
  fields.tm_mday = std::stoi(text.substr(8, 2));
  fields.tm_hour = std::stoi(text.substr(11, 2));
  fields.tm_min = std::stoi(text.substr(14, 2));
  fields.tm_sec = std::stoi(text.substr(17, 2));
  const std::time_t read_back = ::timegm(&fields);
  EXPECT_LE(before, read_back) << text;
  EXPECT_LE(read_back, after) << text;
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
