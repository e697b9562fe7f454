#include "hardened/json_fields.hpp"

#include <algorithm>
#include <limits>

namespace hardened {

const json* member(const json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

json* member(json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string join_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : std::string(parent) + "." + std::string(key);
}

Result<bool> as_bool(const json& value, std::string_view path) {
  if (!value.is_boolean()) return fail(std::string(path) + " must be true or false");
  return value.get<bool>();
}

Result<std::string> as_string(const json& value, std::string_view path) {
  if (!value.is_string()) return fail(std::string(path) + " must be a string");
  return value.get<std::string>();
}

Result<std::uint32_t> as_uint32(const json& value, std::string_view path) {
  if (!value.is_number_integer() || (value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0) ||
      (value.is_number_unsigned() && value.get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max())) {
    return fail(std::string(path) + " must be an integer from 0 to 4294967295");
  }
  return static_cast<std::uint32_t>(value.get<std::uint64_t>());
}

Result<std::int64_t> as_int64_saturating(const json& value, std::string_view path) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    return v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ? std::numeric_limits<std::int64_t>::max()
                                                                                    : static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return fail(std::string(path) + " must be an integer");
}

Result<double> as_number(const json& value, std::string_view path) {
  if (!value.is_number()) return fail(std::string(path) + " must be a number");
  return value.get<double>();
}

Result<std::vector<std::string>> as_string_list(const json& value, std::string_view path) {
  if (!value.is_array()) return fail(std::string(path) + " must be a list of strings");
  std::vector<std::string> out;
  out.reserve(value.size());
  for (const auto& item : value) {
    if (!item.is_string()) return fail(std::string(path) + " must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<const json*> as_object(const json& value, std::string_view path) {
  if (!value.is_object()) return fail(std::string(path) + " must be an object");
  return &value;
}

Result<void> only_keys(const json& object, std::initializer_list<std::string_view> allowed, std::string_view path) {
  for (const auto& [key, _] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return fail("unknown key '" + join_path(path, key) + "' (a misspelt key would silently leave a rule out)");
    }
  }
  return {};
}

namespace {

// Deepest nesting of arrays and objects in `text`, strings skipped. Copying a json value recurses, so
// absurd nesting is refused before it can exhaust the stack.
std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

constexpr std::size_t kMaxDepth = 64;  // an OCI spec nests about 6 deep

}  // namespace

Result<json> parse_json(std::string_view text, std::string_view what) {
  if (nesting_depth(text) > kMaxDepth) {
    return fail(std::string(what) + " nests deeper than " + std::to_string(kMaxDepth) + " levels; no OCI document does");
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    return fail(std::string(what) + " is not valid JSON (byte " + std::to_string(e.byte) + ")");
  } catch (const json::exception& e) {  // a number beyond a double ("1e400"), found by fuzzing
    return fail(std::string(what) + " cannot be read: " + e.what());
  }
}

}  // namespace hardened
