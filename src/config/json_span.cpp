#include "hardened/json_span.hpp"

#include <string.h>

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hardened {
namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// A cursor over the text; every step stops (returns false) on anything it does not expect. It checks
// only what it needs to find its way; parse_json_around checks the grammar of the rest.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : p_(text.data()), begin_(text.data()), end_(text.data() + text.size()) {}

  std::size_t at() const { return static_cast<std::size_t>(p_ - begin_); }
  void skip_space() {
    while (p_ < end_ && is_space(*p_)) ++p_;
  }
  bool take(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // A string at the cursor: its raw content (between the quotes) and whether it holds an escape.
  bool string(std::string_view& raw, bool& escaped) {
    if (!take('"')) return false;
    const char* start = p_;
    escaped = false;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\') {
        escaped = true;
        ++p_;  // the escaped character, whatever it is, cannot end the string
      }
      ++p_;
    }
    if (p_ >= end_) return false;
    raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }

  // Any value at the cursor, stepped over.
  bool skip_value() {
    skip_space();
    if (p_ == end_) return false;
    if (*p_ == '"') {
      std::string_view raw;
      bool escaped = false;
      return string(raw, escaped);
    }
    if (*p_ == '{' || *p_ == '[') return skip_container();
    if (*p_ == '}' || *p_ == ']' || *p_ == ',' || *p_ == ':') return false;
    while (p_ < end_ && !is_space(*p_) && *p_ != ',' && *p_ != '}' && *p_ != ']') ++p_;  // a scalar
    return true;
  }

 private:
  // An object or list at the cursor, by its brackets, those inside strings not counted. 16 bytes at a
  // time where they hold no backslash: which bytes are inside a string follows from the quotes alone
  // (a running XOR of the quote bits). Blocks with a backslash, and the end of the text, go byte by byte.
  bool skip_container() {
    int depth = 0;
    bool in_string = false;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), open_brace = _mm_set1_epi8('{'),
                  open_bracket = _mm_set1_epi8('['), close_brace = _mm_set1_epi8('}'), close_bracket = _mm_set1_epi8(']');
    while (end_ - p_ >= 16) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      auto mask = [&](__m128i a, __m128i b) { return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(block, a), _mm_cmpeq_epi8(block, b)))); };
      const unsigned quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, quote)));
      if (_mm_movemask_epi8(_mm_cmpeq_epi8(block, backslash)) != 0) {
        if (!bytes(16, depth, in_string)) return depth == 0;
        continue;
      }
      // Bit i set: byte i is inside a string (an opening quote counts as inside, a closing one not).
      unsigned inside = quotes;
      inside ^= inside << 1;
      inside ^= inside << 2;
      inside ^= inside << 4;
      inside ^= inside << 8;
      if (in_string) inside = ~inside;
      inside &= 0xFFFF;
      const unsigned opens = mask(open_brace, open_bracket) & ~inside;
      // The brackets outside strings, in order (a few a block): the one that brings the depth to 0 ends it.
      for (unsigned brackets = opens | (mask(close_brace, close_bracket) & ~inside); brackets != 0; brackets &= brackets - 1) {
        const int i = __builtin_ctz(brackets);
        depth += (opens >> i & 1U) != 0 ? 1 : -1;
        if (depth == 0) {
          p_ += i + 1;
          return true;
        }
      }
      in_string = (__builtin_popcount(quotes) % 2 == 1) != in_string;
      p_ += 16;
    }
#endif
    bytes(end_ - p_, depth, in_string);
    return depth == 0 && !in_string;
  }

  // Up to n bytes one at a time; false when the container closed (the cursor after it) or at an error.
  bool bytes(std::ptrdiff_t n, int& depth, bool& in_string) {
    for (const char* stop = p_ + n; p_ < stop; ++p_) {
      const char c = *p_;
      if (in_string) {
        if (c == '\\') {
          if (++p_ == end_) return false;
          if (p_ == stop) {  // the escaped byte starts the next block: step over it there
            ++p_;
            return true;
          }
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') in_string = true;
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) {
          ++p_;
          return false;
        }
      }
    }
    return true;
  }

  const char* p_;
  const char* begin_;
  const char* end_;
};

// In the object at the cursor, up to the first member named `key`: the cursor is left at its value.
// Members after it are not looked at: a second one (which a parser would take instead) is caught by
// parse_json_around.
bool find_member(Scanner& s, std::string_view key) {
  if (!s.take('{')) return false;
  do {
    std::string_view name;
    bool escaped = false;
    if (!s.string(name, escaped) || escaped || !s.take(':')) return false;
    if (name == key) {
      s.skip_space();
      return true;
    }
    if (!s.skip_value()) return false;
  } while (s.take(','));
  return false;
}

}  // namespace

bool may_hold_member(std::string_view text, std::string_view key) {
  char quoted[64];
  if (key.size() + 2 > sizeof quoted) return true;  // no such keys here; the scan decides
  quoted[0] = '"';
  std::memcpy(quoted + 1, key.data(), key.size());
  quoted[key.size() + 1] = '"';
  return ::memmem(text.data(), text.size(), quoted, key.size() + 2) != nullptr;
}

std::optional<TextSpan> find_member_span(std::string_view text, std::initializer_list<std::string_view> path) {
  Scanner s(text);
  for (std::string_view key : path) {
    if (!find_member(s, key)) return std::nullopt;
  }
  const std::size_t begin = s.at();
  if (!s.skip_value()) return std::nullopt;
  return TextSpan{begin, s.at()};
}

}  // namespace hardened
