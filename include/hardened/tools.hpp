#pragma once
// hardened-runtime's own commands, for administrators (runc has none of these names):
//   hardened-runtime validate [--config FILE]
//   hardened-runtime explain (--bundle DIR | FILE) [--profile P] [--config FILE] [--json]
//   hardened-runtime configure docker [--default] [--name NAME] [--profile P] [--remove] [--config-file FILE]
// They print to stdout, unlike the runc paths.
#include <string>
#include <vector>

#include "hardened/system.hpp"

namespace hardened {

bool is_tool_command(const std::vector<std::string>& argv);
int run_tool(const std::vector<std::string>& argv, System& system);

}  // namespace hardened
