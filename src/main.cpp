// hardened-runtime: a drop-in for runc that hardens every container it creates.
#include "hardened/runtime.hpp"

int main(int argc, char** argv) {
  return hardened::run_runtime(std::vector<std::string>(argv, argv + argc), hardened::real_system());
}
