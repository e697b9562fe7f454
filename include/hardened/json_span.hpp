#pragma once
// Where one member's value stands in a JSON text, found without parsing the rest. A create reads and
// writes the container's seccomp filter, most of its text; when the filter's meet with the profile's is
// already known (seccomp_memo.hpp) it never becomes a document, nor does the profile, whose parents'
// names (`extends`) are found this way too.
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "hardened/json_fields.hpp"

namespace hardened {

struct TextSpan {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the value's last byte
  std::string_view of(std::string_view text) const { return text.substr(begin, end - begin); }
};

// The span of the value at `path` (object keys from the top) when a light scan can tell it: nullopt
// when the path is not there, a key on the way before it is escaped (it might be the same key), or the
// text is not well formed where it was scanned. Keys after it are not looked at (parse_json_around).
std::optional<TextSpan> find_member_span(std::string_view text, std::initializer_list<std::string_view> path);

// False when no member named `key` (unescaped, as find_member_span looks for it) can be in `text`: the
// quoted name occurs nowhere. memmem tells a profile without "extends" several times faster than a
// scan of every member.
bool may_hold_member(std::string_view text, std::string_view key);

// parse_json of `text` with the value at `hole` replaced by an empty object; error offsets are those of
// `text`. With the span's own parse put back in its place, this is parse_json(text). A key that appears
// twice in an object (a parser keeps the last: maybe not the value at `hole`) makes it parse the whole
// text instead, with `hole` reset to nullopt.
Result<json> parse_json_around(std::string_view text, std::optional<TextSpan>& hole, std::string_view what);

// parse_json of the value at `span` alone; error offsets are those of `text`.
Result<json> parse_json_span(std::string_view text, TextSpan span, std::string_view what);

}  // namespace hardened
