#include "hardened/capability_names.hpp"

#include <strings.h>

namespace hardened {
namespace {

struct CapabilityName {
  int number;
  std::string_view name;
};

constexpr CapabilityName kNames[] = {
#include "hardened/capability_names.inc"
};

}  // namespace

std::optional<int> capability_number(std::string_view bare_name) {
  for (const auto& [number, name] : kNames) {
    if (name.size() == bare_name.size() && ::strncasecmp(name.data(), bare_name.data(), name.size()) == 0) return number;
  }
  return std::nullopt;
}

const char* capability_name(int number) {
  for (const auto& entry : kNames) {
    if (entry.number == number) return entry.name.data();  // a literal: NUL-terminated
  }
  return nullptr;
}

}  // namespace hardened
