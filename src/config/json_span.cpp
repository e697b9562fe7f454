#include "hardened/json_span.hpp"

namespace hardened {
namespace {

// A cursor over the text; every step stops (returns false) on anything it does not expect.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::size_t at() const { return pos_; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t')) ++pos_;
  }
  bool take(char c) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  bool peek(char c) {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == c;
  }

  // A string at the cursor: its raw content (between the quotes) and whether it holds an escape.
  bool string(std::string_view& raw, bool& escaped) {
    if (!take('"')) return false;
    const std::size_t start = pos_;
    escaped = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        raw = text_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        escaped = true;
        ++pos_;  // the escaped character, whatever it is, cannot end the string
      }
      ++pos_;
    }
    return false;
  }

  // Any value at the cursor, skipped by its brackets; strings are stepped over whole so that brackets
  // and quotes inside them do not count. The parser checks the grammar of what is skipped here.
  bool skip_value() {
    skip_space();
    int depth = 0;
    do {
      if (pos_ >= text_.size()) return false;
      const char c = text_[pos_];
      if (c == '"') {
        std::string_view raw;
        bool escaped = false;
        if (!string(raw, escaped)) return false;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') --depth;
      if (depth < 0 || (depth == 0 && (c == ',' || c == ':'))) return false;
      ++pos_;
      if (depth == 0) {  // a scalar runs to the next delimiter
        if (c == '}' || c == ']') break;
        while (pos_ < text_.size() && std::string_view(",}] \n\r\t").find(text_[pos_]) == std::string_view::npos) ++pos_;
        break;
      }
    } while (depth > 0);
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Within the object at the cursor: the span of the member `key`, with the cursor left after the object.
std::optional<TextSpan> member_span(Scanner& s, std::string_view key) {
  if (!s.take('{')) return std::nullopt;
  std::optional<TextSpan> found;
  if (s.take('}')) return std::nullopt;
  do {
    std::string_view name;
    bool escaped = false;
    if (!s.string(name, escaped) || escaped || !s.take(':')) return std::nullopt;
    s.skip_space();
    const std::size_t begin = s.at();
    if (!s.skip_value()) return std::nullopt;
    if (name == key) {
      if (found) return std::nullopt;  // twice in one object
      found = TextSpan{begin, s.at()};
    }
  } while (s.take(','));
  if (!s.take('}')) return std::nullopt;
  return found;
}

}  // namespace

std::optional<TextSpan> find_member_span(std::string_view text, std::initializer_list<std::string_view> path) {
  std::size_t offset = 0;
  std::optional<TextSpan> span;
  for (std::string_view key : path) {
    Scanner s(text.substr(offset, span ? span->end - offset : std::string_view::npos));
    auto inner = member_span(s, key);
    if (!inner) return std::nullopt;
    span = TextSpan{offset + inner->begin, offset + inner->end};
    offset = span->begin;
  }
  return span;
}

}  // namespace hardened
