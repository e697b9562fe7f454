// hardened-runtime: a drop-in for runc that hardens every container it creates.
#include "hardened/runtime.hpp"
#include "hardened/tools.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  if (hardened::is_tool_command(args)) return hardened::run_tool(args, hardened::real_system());
  return hardened::run_runtime(args, hardened::real_system());
}
