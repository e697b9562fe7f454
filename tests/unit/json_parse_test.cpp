// parse_json (the one reader) reads with RapidJSON and builds nlohmann documents: it must give exactly what nlohmann's
// own parser gives (values and number kinds) and refuse what it refuses.
#include <gtest/gtest.h>

#include <filesystem>

#include "hardened/json_fields.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

// Equal values of the same kinds all the way down (nlohmann's == calls 1 and 1u equal).
void expect_same(const json& ours, const json& theirs, const std::string& where) {
  ASSERT_EQ(ours.type(), theirs.type()) << where;
  if (ours.is_object()) {
    ASSERT_EQ(ours.size(), theirs.size()) << where;
    for (const auto& [key, value] : theirs.items()) {
      ASSERT_TRUE(ours.contains(key)) << where << "." << key;
      expect_same(ours.at(key), value, where + "." + key);
    }
  } else if (ours.is_array()) {
    ASSERT_EQ(ours.size(), theirs.size()) << where;
    for (std::size_t i = 0; i < ours.size(); ++i) expect_same(ours[i], theirs[i], where + "[" + std::to_string(i) + "]");
  } else {
    EXPECT_EQ(ours, theirs) << where;
  }
}

TEST(JsonParse, GivesWhatNlohmannGives) {
  for (const char* text :
       {"{}", "[]", "null", "true", " 0 ", "-0", "1", "-1", "4294967295", "4294967296", "-2147483649", "9223372036854775807",
        "9223372036854775808", "18446744073709551615", "18446744073709551616", "-9223372036854775808", "1.5", "1e3", "-0.0",
        "2.2250738585072014e-308", "0.1", "1.7976931348623157e308",
        // numbers RapidJSON 1.1 converts wrongly itself (its issues #340, #1259, #1251)
        "2.220446049250313e-16", "0.0000001e-320", "1234567890123456789e290", "17976931348623157e292", "1e-400",
        "128.74836467836484838364836483643636483648e-336", R"("a\"b\\c\/d\b\f\n\r\t")", R"("\u0000\u00e9\u20ac")",
        R"("\ud83d\ude00")", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", R"({"a": 1, "a": 2})", R"({"a": {"b": [1, {"c": []}]}})",
        R"([[], [[]], {}, [{}]])", "\"\xef\xbf\xbf \xf4\x8f\xbf\xbf \xed\x9f\xbf \xee\x80\x80\"",
        "{\"a long ASCII key, then \xc3\xa9\": \"and a value of more than eight bytes \xe2\x82\xac\"}", "\t\r\n {\"x\" : [ 1 , 2 ] } \n"}) {
    auto ours = parse_json(text, "t");
    ASSERT_TRUE(ours) << text << ": " << ours.error().message;
    expect_same(*ours, json::parse(text), text);
  }
}

TEST(JsonParse, EveryFixtureAndProfileReadsAlike) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::kFixturesDir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  for (const auto& entry : std::filesystem::directory_iterator(test::kProfilesDir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  ASSERT_GT(files.size(), 20u);
  for (const auto& file : files) {
    const std::string text = test::slurp(file);
    auto ours = parse_json(text, file.string());
    ASSERT_TRUE(ours) << file;
    expect_same(*ours, json::parse(text), file.string());
  }
}

TEST(JsonParse, RefusesWhatNlohmannRefuses) {
  for (const char* text : {"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "'a'", "01", "1.", ".5", "+1", "1e", "--1", "NaN",
                           "Infinity", "[1] [2]", "{} x", "tru", "nul", "\"a", "\"\t\"", "\"\\x\"", "\"\\u12\"", R"("\ud800")",
                           R"("\udc00")", R"("\ud800\u0041")", R"({"\udc00": 1})", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
                           "\"\xe0\x80\xaf\"", "\"\xf4\x90\x80\x80\"",
                           "\"\xe0\x9f\x80\"", "\"\xf0\x8f\xbf\xbf\"", "\"\xc2\"", "\"abcdefgh\xe2\x82\"", "\"\x80\"",
                           "\"\xf5\x80\x80\x80\"", "{\"\xff\": 1}", "\"12345678\xed\xb0\x80\"", "/* c */ {}", "[1e400]",
                           // raw control characters, in strings long enough for the reader's 16-byte scan
                           "\"\x1a\"", "\"\x1f\"", "\"\x01\"", "\"0123456789abcdef\x1a" "0123456789abcdef\"",
                           "{\"0123456789abcdefghij\x1f\": 1}", "[1,\x1a" "2]", "{\"a\":\x1e" "1}", "\"0123456789abcdef\x19\""}) {
    EXPECT_FALSE(json::accept(text)) << text;
    auto ours = parse_json(std::string_view(text), "config.json");
    ASSERT_FALSE(ours) << text;
    EXPECT_EQ(ours.error().message.rfind("config.json is not valid JSON (byte ", 0), 0u) << ours.error().message;
  }
}

// Stricter than nlohmann, which stops reading at a NUL byte: what follows it would go unseen.
TEST(JsonParse, RefusesANulByteAfterTheDocument) {
  for (std::string_view text : {std::string_view("{}\0", 3), std::string_view("[1]\0 ", 5), std::string_view("1\0x", 3)}) {
    EXPECT_FALSE(parse_json(text, "t")) << text;
  }
}

TEST(JsonParse, RefusesAbsurdNestingInsteadOfExhaustingTheStack) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto parsed = parse_json(deep, "config.json");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("nests deeper than 64 levels"), std::string::npos) << parsed.error().message;
  EXPECT_TRUE(parse_json(std::string(64, '[') + std::string(64, ']'), "t"));
}

// A create keeps the container's seccomp filter as its text until the memo has been asked (bundle.cpp).
TEST(JsonParse, AnObjectUnderTheRawKeysIsKeptAsItsExactText) {
  const std::string filter = "{\"x\": [1, \"\xc3\xa9\\n\", {\"y\": null, \"z\": -2.5e3}], \"q\": {}}";
  const std::string text = R"({"linux": {"a": 1, "seccomp": )" + filter +
                           R"( }, "seccomp": {"z": 1}, "list": [{"linux": {"seccomp": {}}}], "b": {"seccomp": {}}})";
  const std::vector<std::string_view> at{"linux", "seccomp"};
  auto doc = parse_json(text, "t", at);
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_TRUE(is_raw_json((*doc)["linux"]["seccomp"]));
  EXPECT_EQ(raw_json_text((*doc)["linux"]["seccomp"]), filter);
  EXPECT_EQ((*doc)["linux"]["a"], 1) << "the keys after it land where they belong";
  EXPECT_TRUE((*doc)["seccomp"].is_object()) << "only under the whole path";
  EXPECT_TRUE((*doc)["list"][0]["linux"]["seccomp"].is_object()) << "not inside an array";
  EXPECT_TRUE((*doc)["b"]["seccomp"].is_object());
  EXPECT_EQ(dump_json(*doc).find(filter) != std::string::npos, true) << "written as it stands";
  ASSERT_TRUE(expand_raw_json((*doc)["linux"]["seccomp"], "t"));
  expect_same(*doc, *parse_json(text, "t"), "");
}

// Its text is checked when it is expanded (a create finds it in the memo, written for a text read whole
// before, or expands it); the document around it, and nesting, as without raw_at.
TEST(JsonParse, ARawObjectARepeatedKeyDropsIsCheckedAsItIsDropped) {
  // Its text would otherwise never be read: the whole reading refuses it, so must this one (fuzz_spec).
  const std::vector<std::string_view> at{"seccomp"};
  const char* bad = R"({"seccomp": {"a": [1 2]}, "seccomp": {}})";
  EXPECT_FALSE(parse_json(bad, "t"));
  EXPECT_FALSE(parse_json(bad, "t", at));
  EXPECT_FALSE(parse_json(R"({"seccomp": {"a": [1 2]}, "seccomp": 5})", "t", at)) << "replaced by a value that is no object";
  auto good = parse_json(R"({"seccomp": {"a": 1}, "seccomp": {"b": 2}})", "t", at);
  ASSERT_TRUE(good);
  EXPECT_EQ(raw_json_text((*good)["seccomp"]), R"({"b": 2})") << "the last one, as nlohmann's parser keeps";
}

TEST(JsonParse, ARawObjectIsCheckedWhenExpanded) {
  const std::vector<std::string_view> at{"seccomp"};
  for (const char* text : {"{\"seccomp\": {\"a\": \"\xc3\"}}", R"({"seccomp": {"a": [1,]}})",
                           "{\"seccomp\": {\"a\": 1e999}}"}) {
    auto doc = parse_json(text, "t", at);
    ASSERT_TRUE(doc) << text;
    EXPECT_FALSE(expand_raw_json((*doc)["seccomp"], "t")) << text;
    EXPECT_FALSE(parse_json(text, "t")) << text;
  }
  EXPECT_FALSE(parse_json(R"({"seccomp": {"a": 1}, })", "t", at)) << "after it";
  EXPECT_FALSE(parse_json(R"({"seccomp": {"a": "\"}})", "t", at)) << "never closed";
  EXPECT_FALSE(parse_json(R"({"seccomp": {"a": "}"]}})", "t", at)) << "closed by a ']'";
  EXPECT_FALSE(parse_json(std::string(R"({"seccomp": {"a": 1}})") + '\0', "t", at)) << "a NUL byte after it";
  auto escaped = parse_json(R"({"seccomp": {"a": "\"}\\", "b": ["{"]}, "c": 1})", "t", at);
  ASSERT_TRUE(escaped);
  EXPECT_EQ(raw_json_text((*escaped)["seccomp"]), R"({"a": "\"}\\", "b": ["{"]})");
  EXPECT_EQ((*escaped)["c"], 1);
  auto nested = [](std::size_t n) { return "{\"seccomp\": {\"a\": " + std::string(n, '[') + std::string(n, ']') + "}}"; };
  EXPECT_FALSE(parse_json(nested(63), "t", at)) << "65 levels, as without raw_at";
  EXPECT_FALSE(parse_json(nested(63), "t"));
  EXPECT_TRUE(parse_json(nested(62), "t", at));
  auto list = parse_json(R"({"seccomp": [1]})", "t", at);
  ASSERT_TRUE(list);
  EXPECT_TRUE((*list)["seccomp"].is_array()) << "only an object is kept as text";
  auto twice = parse_json(R"({"seccomp": {"a": 1}, "seccomp": {"b": 2}})", "t", at);
  ASSERT_TRUE(twice);
  EXPECT_EQ(raw_json_text((*twice)["seccomp"]), R"({"b": 2})") << "a repeated key keeps the last value";
}

}  // namespace
}  // namespace hardened
