#pragma once
// runc's command line as data: global flags, the subcommand and its flags, our own options removed.
#include <cstddef>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hardened/error.hpp"

namespace hardened {

// create, run, exec and update are rewritten; restore and crun's mounts are refused whole in enforce
// mode; every other call passes through.
enum class Command { passthrough, create, run, exec, update, restore, mounts };

// One subcommand flag as it stood in argv: argv[index] is the flag, and when the value came as the
// next word, argv[index + 1] is the value (span == 2).
struct FlagUse {
  std::string name;                  // canonical long name, e.g. "bundle" for -b
  std::optional<std::string> value;  // nullopt for a boolean flag given without '='
  std::size_t index = 0;
  std::size_t span = 1;
};

struct Invocation {
  std::vector<std::string> argv;  // what runc receives: argv[0] kept, our own options removed
  Command command = Command::passthrough;
  std::string subcommand;         // as written; empty when there is none (runc --version)
  std::size_t subcommand_index = 0;

  // runc's global flags that we need ourselves
  std::optional<std::string> log_path;
  std::optional<std::string> root_dir;  // --root: runc's state directory
  std::string log_format = "text";
  std::optional<std::string> cgroup_manager;  // crun's --cgroup-manager

  // our own global options
  std::optional<std::string> config_path;
  std::optional<std::string> profile;

  // flags and positional words of the subcommand; for a call passed through, empty when a word we do
  // not know stopped the reading
  std::vector<FlagUse> flags;
  std::vector<std::size_t> positionals;  // indices into argv

  [[nodiscard]] const FlagUse* flag(std::string_view name) const;
  [[nodiscard]] std::string container_id() const;  // first positional, "" if none
  [[nodiscard]] std::string bundle() const;        // -b/--bundle, "" meaning the current directory
};

// One global flag (runc's or our own) as it stood in argv.
struct GlobalFlag {
  std::string_view name;  // canonical long name: "log", "config", ...
  std::optional<std::string_view> value;
  std::size_t index = 0;
  std::size_t span = 1;
};

// The global flags at the front of argv and where the subcommand is, read without allocating: the early
// pass-through path (fast_path.hpp) runs on this alone, parse_invocation builds on it.
struct GlobalFlags {
  static constexpr std::size_t kMax = 32;
  enum class Stop { none, unknown_flag, missing_value, too_many };
  std::array<GlobalFlag, kMax> flags{};
  std::size_t count = 0;
  std::size_t end = 1;               // the first word after them: "--", the subcommand, or argv's end
  std::size_t subcommand_index = 1;  // after a "--" if there is one; argv.size() when there is none
  Stop stop = Stop::none;            // not none: argv[end] is where reading stopped
};
GlobalFlags read_global_flags(std::span<const std::string_view> argv);

// --config and --profile are ours: removed before runc sees argv.
bool is_own_option(const GlobalFlag& flag);

Command command_of(std::string_view subcommand);

// The profile a link name selects: ".../hardened-runtime-web" -> "web" (what BinaryName, which takes no
// arguments, can say); any other name -> none. --profile, when given, wins.
std::optional<std::string> profile_of_link_name(std::string_view argv0);

// Never reads anything but argv; unknown flags of a rewritten subcommand are refused because we
// could not tell whether they take a value (and so which word is the bundle or the container), and so
// on create and run are the one-dash forms runc and crun read differently ("-bundle"). The flags
// known are those of runc 1.1–1.3 and crun 1.8–1.29 (src/cli/flag_tables.hpp).
Result<Invocation> parse_invocation(const std::vector<std::string>& argv);

[[nodiscard]] std::string_view command_name(Command command);

// runc's --log and --log-format, read from the global flags alone: where to report an error even
// when the rest of argv could not be parsed.
struct LogTarget {
  std::optional<std::string> path;
  std::string format = "text";
};
LogTarget find_log_target(const std::vector<std::string>& argv);

}  // namespace hardened
