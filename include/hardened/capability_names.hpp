#pragma once
// Capability names and numbers, as libcap-ng spells them (lower case, no CAP_ prefix: "net_bind_service").
// The table is libcap-ng's own, written at build time (tools/capability_names_gen.c says why).
#include <optional>
#include <string_view>

namespace hardened {

// libcap-ng's capng_name_to_capability: the name compared without regard to case.
std::optional<int> capability_number(std::string_view bare_name);
// libcap-ng's capng_capability_to_name, or nullptr for a number it has no name for.
const char* capability_name(int number);

}  // namespace hardened
