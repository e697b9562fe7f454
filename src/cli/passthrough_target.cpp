#include "hardened/passthrough_target.hpp"

#include <array>

#include "hardened/early_path.hpp"

namespace hardened {
namespace {

struct Grammar {
  std::string_view subcommand;
  std::array<std::string_view, 2> value_flags;  // the flags whose value is the next word ("" unused)
};

// Only the subcommands that name one container; checkpoint and the rest go by the host config alone.
constexpr std::array<Grammar, 8> kGrammars{{
    {"delete", {}},
    {"kill", {}},
    {"state", {}},
    {"start", {}},
    {"pause", {}},
    {"resume", {}},
    {"ps", {"--format", "-f"}},
    {"events", {"--interval", ""}},
}};

}  // namespace

HARDENED_EARLY_PATH std::string_view passthrough_container(std::span<const std::string_view> argv, std::size_t subcommand_index) {
  if (subcommand_index >= argv.size()) return {};
  const Grammar* grammar = nullptr;
  for (const Grammar& g : kGrammars) {
    if (g.subcommand == argv[subcommand_index]) grammar = &g;
  }
  if (grammar == nullptr) return {};
  bool flags_end = false;
  for (std::size_t i = subcommand_index + 1; i < argv.size(); ++i) {
    const std::string_view word = argv[i];
    if (flags_end || word.empty() || word.front() != '-' || word == "-") return word;
    if (word == "--") {
      flags_end = true;
      continue;
    }
    // crun's --regex/-r names every container matching it, not one: no single record applies.
    if (word == "--regex" || word == "-r" || word.starts_with("--regex=")) return {};
    for (std::string_view flag : grammar->value_flags) {
      if (!flag.empty() && word == flag) ++i;  // its value is the next word
    }
  }
  return {};
}

}  // namespace hardened
