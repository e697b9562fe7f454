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

}  // namespace hardened
