#pragma once
// Typed reads of JSON fields that fail with the field's path in the message, so a bad spec or profile
// is reported as "process.user.uid must be an unsigned integer", never as a nlohmann exception.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "hardened/error.hpp"

namespace hardened {

// nlohmann::json (keys in a std::map): every member survives a rewrite, in sorted order. ordered_json
// would keep the original order but costs ~80 us more per parsed document, twice per create.
using json = nlohmann::json;

// Member `key` of `object` if present and not null, else nullptr. `object` must be an object.
const json* member(const json& object, std::string_view key);
json* member(json& object, std::string_view key);

Result<bool> as_bool(const json& value, std::string_view path);
Result<std::string> as_string(const json& value, std::string_view path);
Result<std::uint32_t> as_uint32(const json& value, std::string_view path);
// Any JSON integer; unsigned values beyond int64 are reported as INT64_MAX ("more than any ceiling").
Result<std::int64_t> as_int64_saturating(const json& value, std::string_view path);
Result<double> as_number(const json& value, std::string_view path);
Result<std::vector<std::string>> as_string_list(const json& value, std::string_view path);
Result<const json*> as_object(const json& value, std::string_view path);

// Fails naming every key of `object` not in `allowed` (a typo in a policy must not silently disable a rule).
Result<void> only_keys(const json& object, std::initializer_list<std::string_view> allowed, std::string_view path);

std::string join_path(std::string_view parent, std::string_view key);

// JSON text -> json, as nlohmann::json::parse reads it but faster (src/config/json_parse.cpp). Never
// throws: the error names `what` and keeps the byte offset; nesting beyond 64 levels is refused.
Result<json> parse_json(std::string_view text, std::string_view what);

// A value kept as its JSON text instead of a document (a node of nlohmann's binary kind, which no JSON
// text parses to): a create does not build, walk and write back the ~400 nodes of a seccomp filter it
// does not read (seccomp_memo.hpp). dump_json writes the text as it stands; expand_raw_json parses it.
json raw_json(std::string_view text);
bool is_raw_json(const json& value);
std::string_view raw_json_text(const json& value);
Result<void> expand_raw_json(json& value, std::string_view what);

// parse_json, except that an object found under the keys `raw_at` (e.g. {"linux", "seccomp"}) is kept
// as raw_json. Its text is checked as JSON (grammar, UTF-8, depth) like the rest.
Result<json> parse_json(std::string_view text, std::string_view what, const std::vector<std::string_view>& raw_at);

// json -> compact text, exactly value.dump() but faster (src/config/json_write.cpp): keys in sorted
// order (the document's std::map), as config.json is written back. Text that is not UTF-8 throws.
std::string dump_json(const json& value);

// Strict UTF-8 (RFC 3629), as nlohmann's parser and writer require.
bool valid_utf8(const char* text, std::size_t size);

}  // namespace hardened
