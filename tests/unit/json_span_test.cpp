// find_member_span and parse_json_around: the text left around a member, parsed, plus the member's own
// text parsed and put back, is the whole text parsed; when the scan cannot be sure it says so.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "hardened/json_span.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

// The document rebuilt from the hole and the span must be the document.
void expect_rebuilt(std::string_view text, std::initializer_list<std::string_view> path, const std::string& what) {
  auto span = find_member_span(text, path);
  ASSERT_TRUE(span) << what;
  auto around = parse_json_around(text, span, what);
  ASSERT_TRUE(span) << what << ": the hole was given up";
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

// Random values full of what a scan can trip on (quotes, backslashes, brackets inside strings, at
// every offset of a 16-byte block), compact and indented, with members before and after.
TEST(JsonSpan, RandomDocumentsAroundTheirFilter) {
  std::mt19937 random(7);
  const std::string alphabet = "ab\"\\{}[],: \n\t/u\x01\xc3\xa9";
  auto text_of = [&] {
    std::string out;
    for (int n = static_cast<int>(random() % 40); n > 0; --n) out += alphabet[random() % alphabet.size()];
    return out;
  };
  std::function<json(int)> value = [&](int depth) -> json {
    switch (depth > 3 ? random() % 3 : random() % 5) {
      case 0: return text_of();
      case 1: return static_cast<std::uint64_t>(random());
      case 2: return random() % 2 == 0 ? json(nullptr) : json(true);
      case 3: {
        json list = json::array();
        for (int n = static_cast<int>(random() % 6); n > 0; --n) list.push_back(value(depth + 1));
        return list;
      }
      default: {
        json object = json::object();
        for (int n = static_cast<int>(random() % 6); n > 0; --n) object["k" + std::to_string(random() % 100)] = value(depth + 1);
        return object;
      }
    }
  };
  for (int i = 0; i < 3000; ++i) {
    json doc = {{"a", value(1)}, {"linux", {{"before", value(2)}, {"seccomp", value(2)}, {"z", value(2)}}}, {"process", value(1)}};
    std::string text = doc.dump(i % 2 == 0 ? -1 : static_cast<int>(i % 5), ' ', false, json::error_handler_t::replace);
    const json parsed = json::parse(text);
    auto span = find_member_span(text, {"linux", "seccomp"});
    ASSERT_TRUE(span) << text;
    EXPECT_EQ(json::parse(span->of(text)), parsed["linux"]["seccomp"]) << text;
    expect_rebuilt(text, {"linux", "seccomp"}, text);
  }
}

TEST(JsonSpan, NotSureMeansNotFound) {
  for (const char* text : {
           R"({"linux": {}})",                                     // absent
           R"({"linux": {"secc\u006fmp": {}, "seccomp": {}}})",    // an escaped key may be the same key
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

// The quick look before a scan: a key whose quoted name occurs nowhere cannot be a member; one that
// occurs only as text (a value, between escaped quotes) is no member either, as the scan finds.
TEST(JsonSpan, AKeyThatOccursOnlyAsTextIsNoMember) {
  const std::string escaped = R"({"description": "\"extends\" names a parent"})";
  EXPECT_FALSE(may_hold_member(escaped, "extends"));
  EXPECT_FALSE(find_member_span(escaped, {"extends"}));
  for (const char* text : {R"({"a": "extends", "b": ["extends"]})", R"({"a": {"extends": "default"}})"}) {
    EXPECT_TRUE(may_hold_member(text, "extends")) << text;
    EXPECT_FALSE(find_member_span(text, {"extends"})) << text;
  }
  const std::string text = R"({"a": "extends", "extends": "default"})";
  EXPECT_TRUE(may_hold_member(text, "extends"));
  const auto span = find_member_span(text, {"extends"});
  ASSERT_TRUE(span);
  EXPECT_EQ(span->of(text), R"("default")");
  for (const auto& profile : {"default", "strict", "web"}) {
    const std::string shipped = test::slurp(std::string(test::kProfilesDir) + "/" + profile + ".json");
    EXPECT_EQ(may_hold_member(shipped, "extends"), find_member_span(shipped, {"extends"}).has_value()) << profile;
  }
}

// A parser keeps the last of two equal keys, which may not be the value the scan found first: the hole
// is given up and the whole text parsed, as parse_json would.
TEST(JsonSpan, ARepeatedKeyGivesUpTheHole) {
  for (const char* text : {
           R"({"linux": {"seccomp": {"a": 1}, "seccomp": {"x": 1}}})",
           R"({"linux": {"seccomp": {"a": 1}, "secc\u006fmp": {"x": 1}}})",
           R"({"linux": {"seccomp": {"a": 1}}, "linux": {"seccomp": {"x": 1}}})",
           R"({"linux": {"seccomp": {"a": 1}}, "process": {"env": [], "env": []}})",
       }) {
    auto span = find_member_span(text, {"linux", "seccomp"});
    ASSERT_TRUE(span) << text;
    EXPECT_EQ(span->of(text), R"({"a": 1})");
    auto around = parse_json_around(text, span, "t");
    ASSERT_TRUE(around) << text;
    EXPECT_FALSE(span) << text;
    EXPECT_EQ(*around, json::parse(text)) << text;
  }
}

TEST(JsonSpan, ErrorsAroundTheHoleNameTheOriginalOffset) {
  const std::string text = R"({"linux": {"seccomp": {"long": "enough to move things"}}, "x": tru})";
  auto span = find_member_span(text, {"linux", "seccomp"});
  ASSERT_TRUE(span);
  auto around = parse_json_around(text, span, "config.json");
  ASSERT_FALSE(around);
  auto whole = parse_json(text, "config.json");
  ASSERT_FALSE(whole);
  EXPECT_EQ(around.error().message, whole.error().message);
}

}  // namespace
}  // namespace hardened
