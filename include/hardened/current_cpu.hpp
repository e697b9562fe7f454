#pragma once
// A container's CPU period and quota as they are now: what `runc update` with only one of them must keep.
#include <cstdint>
#include <optional>

namespace hardened {

struct CurrentCpu {
  std::optional<std::int64_t> period;  // microseconds
  std::optional<std::int64_t> quota;   // microseconds; negative: unlimited
};

}  // namespace hardened
