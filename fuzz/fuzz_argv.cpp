// runc's command line: words separated by NUL bytes. Parsing never crashes, and the rewrite of exec
// and update flags never hands runc a flag that loosens the profile.
#include <cstdint>
#include <string>
#include <vector>

#include "common.hpp"
#include "hardened/argv_rewrite.hpp"
#include "hardened/invocation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hardened;
  std::vector<std::string> argv{"hardened-runtime"};
  std::string word;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      argv.push_back(word);
      word.clear();
    } else {
      word.push_back(static_cast<char>(data[i]));
    }
  }
  argv.push_back(word);
  auto inv = parse_invocation(argv);
  if (!inv) return 0;
  fuzz::require(inv->argv.size() <= argv.size());
  if (inv->command == Command::exec) {
    if (auto out = rewrite_exec_flags(*inv, fuzz::default_profile())) {
      // What runc will read as exec's flags (words after the container id are the process's own).
      auto rewritten = parse_invocation(out->argv);
      fuzz::require(rewritten.has_value());
      for (const FlagUse& flag : rewritten->flags) {
        fuzz::require(flag.name != "cap");  // the default profile allows no capability
        if (flag.name == "user") fuzz::require(!flag.value || !flag.value->starts_with("0"));
      }
    }
  } else if (inv->command == Command::update) {
    (void)rewrite_update_flags(*inv, fuzz::default_profile());
  }
  return 0;
}
