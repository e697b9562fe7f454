// json -> compact text: the one writer of the spec, the audit trail and the runtime log. Byte for byte
// what nlohmann's dump() writes (tests/unit/json_write_test.cpp compares them on every fixture); dump()
// spends about 40 instructions a byte through its output adapter, and every create writes the whole spec
// back. This copies runs of plain characters at once. The A/B that keeps it is in docs/performance.md.
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

// The text being written, with room kept ahead: the string is sized a little past what is written (its
// capacity grows by doubling as usual) and written through a pointer, then cut to length at the end. A
// create writes some 300 strings and as many punctuation marks; std::string's append and push_back are
// out-of-line calls that checked capacity each time, half of the writer's instructions. The slack is
// small because resize zeroes it, touching pages that may never be written.
class Output {
 public:
  // `slack`: how far past what is asked to size the string (a whole document: 1 KiB; one string: none).
  Output(std::string& text, std::size_t slack) : text_(text), used_(text.size()), slack_(slack) {}
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output() { text_.resize(used_); }

  // Room for n more bytes; the pointer is valid until the next call.
  char* room(std::size_t n) {
    if (text_.size() - used_ < n) text_.resize(used_ + n + slack_);
    return text_.data() + used_;
  }
  void wrote(std::size_t n) { used_ += n; }
  void put(char c) {
    *room(1) = c;
    ++used_;
  }
  void put(std::string_view s) {
    std::memcpy(room(s.size()), s.data(), s.size());
    used_ += s.size();
  }
  std::size_t size() const { return used_; }
  void cut(std::size_t size) { used_ = size; }

 private:
  std::string& text_;
  std::size_t used_;
  std::size_t slack_;
};

// Whether a string is written as it stands between quotes: nothing to escape, all ASCII.
bool plain(std::string_view s) {
  std::size_t i = 0;
  for (std::uint64_t word; i + 8 <= s.size(); i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if (needs_look(word)) return false;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) return false;
  }
  return true;
}

void write_escaped(std::string_view s, Output& out) {
  const std::size_t start = out.size();
  out.put('"');
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
    out.put(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out.put("\\\""); break;
      case '\\': out.put("\\\\"); break;
      case '\b': out.put("\\b"); break;
      case '\f': out.put("\\f"); break;
      case '\n': out.put("\\n"); break;
      case '\r': out.put("\\r"); break;
      case '\t': out.put("\\t"); break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.put(std::string_view(escape, sizeof escape));
      }
    }
  }
  out.put(s.substr(run));
  out.put('"');
  if (!ascii && !valid_utf8(s.data(), s.size())) {
    out.cut(start);
    out.put(json(std::string(s)).dump());  // nlohmann's own verdict on text that is not UTF-8: it throws
  }
}

void write_string(std::string_view s, Output& out) {
  if (!plain(s)) return write_escaped(s, out);
  char* at = out.room(s.size() + 2);
  at[0] = '"';
  std::memcpy(at + 1, s.data(), s.size());
  at[s.size() + 1] = '"';
  out.wrote(s.size() + 2);
}

template <typename Integer>
void write_integer(Integer value, Output& out) {
  char* at = out.room(24);
  out.wrote(static_cast<std::size_t>(std::to_chars(at, at + 24, value).ptr - at));
}

void write_value(const json& value, Output& out) {
  switch (value.type()) {
    case json::value_t::object: {
      out.put('{');
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
        if (!first) out.put(',');
        first = false;
        write_string(key, out);
        out.put(':');
        write_value(member, out);
      }
      out.put('}');
      return;
    }
    case json::value_t::array: {
      out.put('[');
      bool first = true;
      for (const auto& item : value.get_ref<const json::array_t&>()) {
        if (!first) out.put(',');
        first = false;
        write_value(item, out);
      }
      out.put(']');
      return;
    }
    case json::value_t::string: write_string(value.get_ref<const std::string&>(), out); return;
    case json::value_t::boolean: out.put(value.get<bool>() ? "true" : "false"); return;
    case json::value_t::number_integer: write_integer(value.get<std::int64_t>(), out); return;
    case json::value_t::number_unsigned: write_integer(value.get<std::uint64_t>(), out); return;
    case json::value_t::null: out.put("null"); return;
    case json::value_t::binary:
      if (is_raw_json(value)) return out.put(raw_json_text(value));
      [[fallthrough]];
    case json::value_t::number_float:  // rare in a spec; nlohmann's format ("1.0", "1e+300") kept
    case json::value_t::discarded: out.put(value.dump()); return;
  }
}

}  // namespace

std::string dump_json(const json& value) {
  std::string text;
  {
    text.reserve(16384);  // a create's config.json, without touching its pages
    Output out(text, 1024);
    write_value(value, out);
  }
  return text;
}

}  // namespace hardened
