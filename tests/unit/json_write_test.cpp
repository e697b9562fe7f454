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
