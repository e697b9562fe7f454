// json -> compact text, byte for byte what nlohmann's dump() writes (tests/unit/json_write_test.cpp
// compares them on every fixture): dump() spends about 40 instructions a byte through its output
// adapter, and every create writes the whole spec back. This copies runs of plain characters at once.
#include <charconv>
#include <cstdint>
#include <cstring>

#include "hardened/json_fields.hpp"

namespace hardened {
namespace {

// Whether any of the 8 bytes in `word` needs a look: a control character, '"' or '\\' (escaped), or
// one at or above 0x80 (not ASCII: the UTF-8 check at the end). Never says no when one does.
bool needs_look(std::uint64_t word) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  auto has_zero = [&](std::uint64_t v) { return (v - ones) & ~v & highs; };
  return ((word - 0x20 * ones) | has_zero(word ^ ('"' * ones)) | has_zero(word ^ ('\\' * ones)) | word) & highs;
}

void write_string(std::string_view s, std::string& out) {
  const std::size_t start = out.size();
  out += '"';
  std::size_t run = 0;  // start of the characters not yet copied
  bool ascii = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (std::uint64_t word; i + 8 <= s.size() && (std::memcpy(&word, s.data() + i, 8), !needs_look(word))) {
      i += 7;  // eight plain ASCII characters
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    ascii = ascii && c < 0x80;
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
  }
  out.append(s, run, std::string::npos);
  out += '"';
  if (!ascii && !valid_utf8(s.data(), s.size())) {
    out.resize(start);
    out += json(std::string(s)).dump();  // nlohmann's own verdict on text that is not UTF-8: it throws
  }
}

template <typename Integer>
void write_integer(Integer value, std::string& out) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

struct Raw {
  const json* at;
  std::string_view text;
};

void write_value(const json& value, std::string& out, const Raw& raw) {
  if (&value == raw.at) {
    out += raw.text;
    return;
  }
  switch (value.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        write_string(key, out);
        out += ':';
        write_value(member, out, raw);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_ref<const json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        write_value(item, out, raw);
      }
      out += ']';
      return;
    }
    case json::value_t::string: write_string(value.get_ref<const std::string&>(), out); return;
    case json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case json::value_t::number_integer: write_integer(value.get<std::int64_t>(), out); return;
    case json::value_t::number_unsigned: write_integer(value.get<std::uint64_t>(), out); return;
    case json::value_t::null: out += "null"; return;
    case json::value_t::number_float:  // rare in a spec; nlohmann's format ("1.0", "1e+300") kept
    case json::value_t::binary:
    case json::value_t::discarded: out += value.dump(); return;
  }
}

}  // namespace

void append_json_string(std::string_view text, std::string& out) { write_string(text, out); }

std::string dump_json(const json& value, const json* raw_at, std::string_view raw) {
  std::string out;
  out.reserve(16384);
  write_value(value, out, Raw{raw_at, raw});
  return out;
}

}  // namespace hardened
