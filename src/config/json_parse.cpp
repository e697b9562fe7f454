// JSON text -> json: the one reader of the spec, the profiles and the host config. nlohmann's own
// parser spends about 155 instructions a byte (callgrind, Docker's default config.json: 1.45 M), and a
// create reads the bundle's config.json and a profile on every container start; RapidJSON's SAX reader
// checks the same grammar at a fraction of that, and this builds the nlohmann document from its events,
// so everything downstream is unchanged. The A/B that keeps it is in docs/performance.md. tests/unit/json_parse_test.cpp holds the two parsers to the same
// answers, and so does the spec fuzzer on every input.
// Not RAPIDJSON_SSE2: its string scan lets the raw control bytes 0x1A-0x1F through (it compares with
// 0x19), which JSON forbids and nlohmann refuses (found by fuzz_spec).
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <vector>

#include "hardened/json_fields.hpp"

namespace hardened {

// No overlong forms, no UTF-16 surrogates (a lone "\uDC00" escape reaches here encoded as ED B0 80),
// nothing past U+10FFFF. Checked here rather than by RapidJSON's validating reader, which costs a table
// lookup a byte; strings in a spec are nearly all ASCII, which this passes eight bytes at a time.
bool valid_utf8(const char* text, std::size_t n) {
  const auto* s = reinterpret_cast<const unsigned char*>(text);
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // the first continuation byte's range depends on the lead byte; the others are 80..BF
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (i + length > n || s[i + 1] < low || s[i + 1] > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

namespace {

// Copying or destroying a json value recurses, and so does RapidJSON's reader: absurd nesting is refused
// before it can exhaust the stack.
constexpr std::size_t kMaxDepth = 64;  // an OCI spec nests about 6 deep

// Builds the document from the reader's events: containers on a stack, a value lands in the innermost
// one (under the last key for an object; a repeated key keeps the last value, as nlohmann's parser does).
class DomBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DomBuilder> {
 public:
  bool Null() { return add(json(nullptr)); }
  bool Bool(bool b) { return add(json(b)); }
  // Numbers arrive as their text (kParseNumbersAsStringsFlag): RapidJSON 1.1's own conversion gets some
  // wrong ("8117136e304" came out as -2.5e-306). The kinds are nlohmann's: an integer without sign is
  // unsigned, with '-' signed, and one that does not fit 64 bits, or has a fraction or exponent, a double
  // (strtod, as nlohmann: correctly rounded; read in place, the text is not NUL-terminated).
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    const char* end = s + n;
    if (std::find_if(s, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end) {
      if (*s == '-') {
        std::int64_t i = 0;
        if (auto r = std::from_chars(s, end, i); r.ec == std::errc() && r.ptr == end) return add(json(i));
      } else {
        std::uint64_t u = 0;
        if (auto r = std::from_chars(s, end, u); r.ec == std::errc() && r.ptr == end) return add(json(u));
      }
    }
    const double d = std::strtod(std::string(s, n).c_str(), nullptr);
    if (!std::isfinite(d)) return refuse("Number too big to be stored in double.");
    return add(json(d));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (!valid_utf8(s, n)) return refuse("Invalid encoding in string.");
    return add(json(std::string(s, n)));
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (!valid_utf8(s, n)) return refuse("Invalid encoding in string.");
    key_.assign(s, n);
    return true;
  }
  bool StartObject() { return open(json::object()); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(json::array()); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  json take() { return std::move(root_); }
  const char* problem() const { return problem_; }  // why a handler stopped the reader

 private:
  json* place(json&& value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.get_ref<json::array_t&>().push_back(std::move(value));
      return &parent.get_ref<json::array_t&>().back();
    }
    auto slot = parent.get_ref<json::object_t&>().try_emplace(key_).first;
    slot->second = std::move(value);
    return &slot->second;
  }
  bool add(json&& value) {
    place(std::move(value));
    return true;
  }
  bool open(json&& container) {
    if (stack_.size() == kMaxDepth) return refuse("nests deeper than 64 levels; no OCI document does");
    stack_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }
  bool refuse(const char* why) {
    problem_ = why;
    return false;
  }

  json root_;
  std::vector<json*> stack_;  // pointers stay valid: only the innermost container grows
  std::string key_;
  const char* problem_ = "";
};

// Parses `buffer` in place (strings are unescaped where they stand, no copy through the reader's
// stack); the reader stops at its terminating NUL. `offset` maps a byte offset in the buffer to one in
// the caller's text.
template <typename OffsetMap>
Result<json> parse_buffer(std::string& buffer, std::string_view what, OffsetMap offset) {
  rapidjson::InsituStringStream stream(buffer.data());
  DomBuilder builder;
  rapidjson::Reader reader;
  const rapidjson::ParseResult ok = reader.Parse<rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag>(stream, builder);
  // The reader takes a NUL byte for the end of the text: anything after it is an error.
  if (ok && stream.Tell() != buffer.size()) {
    return fail(std::string(what) + " is not valid JSON (byte " + std::to_string(offset(stream.Tell())) + ": a NUL byte)");
  }
  if (!ok) {
    const char* why = ok.Code() == rapidjson::kParseErrorTermination ? builder.problem() : rapidjson::GetParseError_En(ok.Code());
    return fail(std::string(what) + " is not valid JSON (byte " + std::to_string(offset(ok.Offset())) + ": " + why + ")");
  }
  return builder.take();
}

}  // namespace

Result<json> parse_json(std::string_view text, std::string_view what) {
  std::string buffer(text);
  return parse_buffer(buffer, what, [](std::size_t at) { return at; });
}

}  // namespace hardened
