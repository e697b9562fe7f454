// find_member_span and parse_json_around: the text left around a member, parsed, plus the member's own
// text parsed and put back, is the whole text parsed; when the scan cannot be sure it says so.
#include <gtest/gtest.h>

#include "hardened/json_span.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

// The document rebuilt from the hole and the span must be the document.
void expect_rebuilt(std::string_view text, std::initializer_list<std::string_view> path, const std::string& what) {
  const auto span = find_member_span(text, path);
  ASSERT_TRUE(span) << what;
  auto around = parse_json_around(text, *span, what);
  ASSERT_TRUE(around) << around.error().message;
  auto inner = parse_json(span->of(text), what);
  ASSERT_TRUE(inner) << inner.error().message;
  json* slot = &*around;
  for (std::string_view key : path) slot = &(*slot)[std::string(key)];
  EXPECT_EQ(*slot, json::object()) << what;
  *slot = std::move(*inner);
  EXPECT_EQ(*around, json::parse(text)) << what;
}

TEST(JsonSpan, EveryCreateFixtureAroundItsSeccompFilter) {
  int with_filter = 0;
  for (const auto& name : test::fixture_names("create")) {
    const std::string text = test::slurp(std::filesystem::path(test::kFixturesDir) / "create" / (name + ".json"));
    const json spec = json::parse(text);
    if (!spec["linux"].contains("seccomp")) {
      EXPECT_FALSE(find_member_span(text, {"linux", "seccomp"})) << name;
      continue;
    }
    ++with_filter;
    expect_rebuilt(text, {"linux", "seccomp"}, name);
  }
  EXPECT_GT(with_filter, 10);
}

TEST(JsonSpan, EveryProfileAroundItsSeccompFilter) {
  for (const char* name : {"default", "strict", "web"}) {
    const std::string text = test::slurp(std::filesystem::path(test::kProfilesDir) / (std::string(name) + ".json"));
    if (json::parse(text).contains("seccomp")) expect_rebuilt(text, {"seccomp"}, name);
  }
}

TEST(JsonSpan, StringsWithBracketsQuotesAndEscapesAreSteppedOver) {
  const std::string text =
      R"({"a": "}{][\"\\", "b": [1, {"seccomp": 1}, "x"], "linux": {"s": "\"seccomp\"", "seccomp": {"n": ["}"]}, "t": true}, "z": -1.5e3})";
  const auto span = find_member_span(text, {"linux", "seccomp"});
  ASSERT_TRUE(span);
  EXPECT_EQ(span->of(text), R"({"n": ["}"]})");
  expect_rebuilt(text, {"linux", "seccomp"}, "brackets");
  expect_rebuilt(text, {"z"}, "a number last");
  expect_rebuilt(text, {"b"}, "a list");
}

TEST(JsonSpan, NotSureMeansNotFound) {
  for (const char* text : {
           R"({"linux": {}})",                                     // absent
           R"({"linux": {"seccomp": {}, "seccomp": {"x": 1}}})",   // twice: a parser keeps the last
           R"({"linux": {"secc\u006fmp": {}, "seccomp": {}}})",    // an escaped key may be the same key
           R"({"linux": {"seccomp": {}}, "linux": {}})",           // the section itself twice
           R"({"linux": ["seccomp", {}]})",                        // not an object
           R"([{"linux": {"seccomp": {}}}])",                      // not an object at the top
           R"({"linux": {"seccomp": {"a": "unterminated}})",       // malformed
           R"({"linux": {"seccomp": }})",                          // no value
           R"({"linux": {"seccomp" {}}})",                         // no colon
           "",
       }) {
    EXPECT_FALSE(find_member_span(text, {"linux", "seccomp"})) << text;
  }
}

TEST(JsonSpan, ErrorsAroundTheHoleNameTheOriginalOffset) {
  const std::string text = R"({"linux": {"seccomp": {"long": "enough to move things"}}, "x": tru})";
  const auto span = find_member_span(text, {"linux", "seccomp"});
  ASSERT_TRUE(span);
  auto around = parse_json_around(text, *span, "config.json");
  ASSERT_FALSE(around);
  auto whole = parse_json(text, "config.json");
  ASSERT_FALSE(whole);
  EXPECT_EQ(around.error().message, whole.error().message);
}

}  // namespace
}  // namespace hardened
