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
#include <utility>
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

// The '}' that closes the object whose '{' is just before `at`, strings skipped whole (escapes
// included); null when the text ends (its NUL) first, a ']' closes it, or it nests `room` levels deep.
// strcspn finds the next byte that matters (glibc compares 16 at a time): a filter is ~6 KB of text.
char* closing_brace(char* at, std::size_t room) {
  std::size_t depth = 1;
  for (char* p = at + std::strcspn(at, "\"{}[]"); *p != '\0'; p += 1 + std::strcspn(p + 1, "\"{}[]")) {
    switch (*p) {
      case '"':
        for (p += 1 + std::strcspn(p + 1, "\"\\"); *p != '"'; p += 1 + std::strcspn(p + 1, "\"\\")) {
          if (*p == '\0' || *++p == '\0') return nullptr;  // the text ends, or a backslash ends it
        }
        break;
      case '{':
      case '[':
        if (depth == room) return nullptr;
        ++depth;
        break;
      case '}':
      case ']':
        if (--depth == 0) return *p == '}' ? p : nullptr;
        break;
      default:
        break;
    }
  }
  return nullptr;
}

// Builds the document from the reader's events: containers on a stack, a value lands in the innermost
// one (under the last key for an object; a repeated key keeps the last value, as nlohmann's parser does).
// An object under the keys `raw_at` is not built: the reader is moved past it (closing_brace), or, for
// text the scan cannot close, its events only count depth; when it closes, its bytes in the caller's
// text (the reader's position, which in-place parsing does not move) become a raw_json node.
class DomBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DomBuilder> {
 public:
  DomBuilder(std::string_view text, rapidjson::InsituStringStream& stream, const std::vector<std::string_view>& raw_at)
      : text_(text), stream_(stream), raw_at_(raw_at) {}

  bool Null() { return add(json(nullptr)); }
  bool Bool(bool b) { return add(json(b)); }
  // Numbers arrive as their text (kParseNumbersAsStringsFlag): RapidJSON 1.1's own conversion gets some
  // wrong ("8117136e304" came out as -2.5e-306). The kinds are nlohmann's: an integer without sign is
  // unsigned, with '-' signed, and one that does not fit 64 bits, or has a fraction or exponent, a double
  // (strtod, as nlohmann: correctly rounded; read in place, the text is not NUL-terminated).
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    if (raw_depth_ > 0) return true;  // read when the raw text is expanded
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
    return raw_depth_ > 0 || add(json(std::string(s, n)));
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (!valid_utf8(s, n)) return refuse("Invalid encoding in string.");
    if (raw_depth_ == 0) key_.assign(s, n);
    return true;
  }
  bool StartObject() {
    if (raw_depth_ == 0 && !raw_at_.empty() && matched_.size() == raw_at_.size() && matched_.back() && key_ == raw_at_.back() &&
        stack_.back()->is_object()) {
      raw_start_ = stream_.Tell() - 1;  // the reader has taken the '{'
      raw_key_ = key_;
      // The reader is moved on to the closing '}' and reads an empty object: its events would be dropped
      // anyway. Text that is not JSON there is refused when it is expanded; text the scan cannot close
      // is read event by event, and refused as it would be without raw_at.
      if (char* end = closing_brace(stream_.src_, kMaxDepth - stack_.size())) stream_.src_ = end;
    }
    return open(json(json::value_t::object));  // not json::object(), which goes through an initializer list
  }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(json(json::value_t::array)); }
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
    // A repeated key drops the value before it, which was never read if it was skipped as raw text: it
    // is read now, so that the text is refused as a whole reading refuses it (found by fuzz_spec).
    if (is_raw_json(slot->second) && !parse_json(raw_json_text(slot->second), "").has_value()) problem_ = "Invalid value under a repeated key.";
    slot->second = std::move(value);
    return &slot->second;
  }
  bool add(json&& value) {
    if (raw_depth_ == 0) place(std::move(value));
    return *problem_ == '\0';
  }
  bool open(json&& container) {
    if (stack_.size() + raw_depth_ == kMaxDepth) return refuse("nests deeper than 64 levels; no OCI document does");
    if (raw_depth_ > 0 || raw_start_ != kNone) {
      ++raw_depth_;
      return true;
    }
    // Whether the new container is reached through the first keys of raw_at (only an object's member can be).
    const bool parent_matched = stack_.empty() || (matched_.size() == stack_.size() && matched_.back());
    const std::size_t depth = stack_.size();
    const bool matches = parent_matched && (depth == 0 || (stack_.back()->is_object() && depth <= raw_at_.size() && key_ == raw_at_[depth - 1]));
    stack_.push_back(place(std::move(container)));
    matched_.push_back(matches);
    return *problem_ == '\0';
  }
  bool close() {
    if (raw_depth_ > 0 && --raw_depth_ > 0) return true;
    if (raw_start_ != kNone) {
      const std::size_t end = stream_.Tell();
      const std::size_t start = std::exchange(raw_start_, kNone);
      key_ = raw_key_;  // the keys inside the object have come since
      place(raw_json(text_.substr(start, end - start)));
      return *problem_ == '\0';
    }
    stack_.pop_back();
    matched_.pop_back();
    return true;
  }
  bool refuse(const char* why) {
    problem_ = why;
    return false;
  }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  std::string_view text_;
  rapidjson::InsituStringStream& stream_;  // Tell() is not const, though it changes nothing
  const std::vector<std::string_view>& raw_at_;
  json root_;
  std::vector<json*> stack_;  // pointers stay valid: only the innermost container grows
  std::vector<bool> matched_;  // per open container: reached through the first keys of raw_at_
  std::size_t raw_start_ = kNone;  // the offset of the raw object being skipped
  std::size_t raw_depth_ = 0;      // how deep inside it the reader is
  std::string raw_key_;            // the key it is found under
  std::string key_;
  const char* problem_ = "";
};

// Parses `buffer` in place (strings are unescaped where they stand, no copy through the reader's
// stack); the reader stops at its terminating NUL. `offset` maps a byte offset in the buffer to one in
// the caller's text.
template <typename OffsetMap>
Result<json> parse_buffer(std::string& buffer, std::string_view text, std::string_view what, OffsetMap offset,
                          const std::vector<std::string_view>& raw_at) {
  rapidjson::InsituStringStream stream(buffer.data());
  DomBuilder builder(text, stream, raw_at);
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

Result<json> parse_json(std::string_view text, std::string_view what, const std::vector<std::string_view>& raw_at) {
  std::string buffer(text);
  return parse_buffer(buffer, text, what, [](std::size_t at) { return at; }, raw_at);
}

Result<json> parse_json(std::string_view text, std::string_view what) {
  static const std::vector<std::string_view> kNothingRaw;
  return parse_json(text, what, kNothingRaw);
}

// The subtype marks the bytes as JSON text; nothing else in the program makes binary values.
constexpr std::uint8_t kRawJsonSubtype = 0x4a;  // 'J'

json raw_json(std::string_view text) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  return json::binary(json::binary_t::container_type(bytes, bytes + text.size()), kRawJsonSubtype);
}

bool is_raw_json(const json& value) {
  return value.is_binary() && value.get_binary().has_subtype() && value.get_binary().subtype() == kRawJsonSubtype;
}

std::string_view raw_json_text(const json& value) {
  const auto& bytes = value.get_binary();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

Result<void> expand_raw_json(json& value, std::string_view what) {
  if (!is_raw_json(value)) return {};
  auto parsed = parse_json(raw_json_text(value), what);
  if (!parsed) return tl::unexpected(parsed.error());
  value = std::move(*parsed);
  return {};
}

}  // namespace hardened
