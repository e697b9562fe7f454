// dump_json must write exactly what nlohmann's dump() writes: the spec runc reads, byte for byte.
#include <gtest/gtest.h>

#include <filesystem>

#include "hardened/json_fields.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

TEST(JsonWrite, WritesWhatDumpWrites) {
  for (const char* text : {"{}", "[]", "null", "true", "false", "0", "-1", "18446744073709551615", "-9223372036854775808", "1.0",
                           "-0.0", "1e300", "0.1", "2.5e-7", R"("")", R"("a\"b\\c/d\b\f\n\r\t\u0001\u001f\u007f")",
                           "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 plain\"", R"({"b": [1, {"c": null}], "a": "x"})"}) {
    const json value = json::parse(text);
    EXPECT_EQ(dump_json(value), value.dump()) << text;
  }
  EXPECT_THROW((void)dump_json(json(std::string("\xff"))), json::type_error) << "not UTF-8: refused as dump() refuses it";
}

TEST(JsonWrite, EveryFixtureAndItsHardenedFormWriteAlike) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::kFixturesDir)) {
    if (entry.path().extension() != ".json") continue;
    const json value = json::parse(test::slurp(entry.path()));
    EXPECT_EQ(dump_json(value), value.dump()) << entry.path();
    if (entry.path().parent_path().filename() == "create") {
      auto hardened = harden_spec(value, test::default_profile());  // some are refused (--pid=host, ...)
      if (hardened) {
        EXPECT_EQ(dump_json(hardened->document), hardened->document.dump()) << entry.path();
      }
    }
    ++files;
  }
  EXPECT_GT(files, 20u);
}

}  // namespace
}  // namespace hardened

namespace hardened {
namespace {

// Plain characters go eight at a time: every character that must be escaped, or is not ASCII, is
// caught wherever it stands among them.
TEST(JsonWrite, EscapesAnywhereInAString) {
  for (const std::string special : {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xff"}) {
    for (std::size_t length = 0; length <= 20; ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        std::string s(length, 'a');
        s.insert(at, special);
        std::string expected;
        try {
          expected = json(s).dump();
        } catch (const json::exception&) {
          EXPECT_THROW(dump_json(json(s)), json::exception);
          continue;
        }
        EXPECT_EQ(dump_json(json(s)), expected) << "length " << length << " at " << at;
      }
    }
  }
}

}  // namespace
}  // namespace hardened
