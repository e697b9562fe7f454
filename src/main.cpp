// hardened-runtime: a drop-in for runc that hardens every container it creates.
#include <unistd.h>

#include <cstring>

#include "hardened/fast_path.hpp"
#include "hardened/early_path.hpp"
#include "hardened/host_config.hpp"
#include "hardened/runtime.hpp"
#include "hardened/tools.hpp"

namespace {

HARDENED_EARLY_PATH const char* env_of(char** envp, const char* name) {
  const std::size_t n = std::strlen(name);
  for (char** e = envp; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
  }
  return nullptr;
}

// Pass-through calls (start, state, kill, delete, ...) are most of runc's calls: exec runc before the
// C++ runtime's static initialisers run (priority 101 comes first), without the JSON library. glibc
// passes argc, argv and envp to constructors. When this returns, main() handles the call.
HARDENED_EARLY_PATH __attribute__((constructor(101))) void pass_through_early(int argc, char** argv, char** envp) {
  hardened::FastPassThrough plan;
  if (!hardened::plan_fast_passthrough(argc, argv, env_of(envp, hardened::kConfigEnv), env_of(envp, "PATH"), plan)) return;
  ::execve(plan.runc.data(), plan.argv.data(), envp);
  // execve failed: main() tries again and reports the error.
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  if (hardened::is_tool_command(args)) return hardened::run_tool(args, hardened::real_system());
  return hardened::run_runtime(args, hardened::real_system());
}
