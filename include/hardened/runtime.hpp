#pragma once
// The pipeline: argv -> invocation -> (load spec -> harden -> write back) -> exec runc.
#include <string>
#include <vector>

#include "hardened/system.hpp"

namespace hardened {

// Returns the exit status when runc could not be exec'd (on success it never returns).
int run_runtime(const std::vector<std::string>& argv, System& system);

}  // namespace hardened
