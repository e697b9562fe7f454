#include "hardened/invocation.hpp"
#include "hardened/early_path.hpp"
#include "flag_tables.hpp"

#include <algorithm>
#include <array>
#include <span>

namespace hardened {
namespace {

using flags::FlagSpec;

struct FlagTable {
  const FlagSpec* begin;
  const FlagSpec* end;
};

template <std::size_t N>
HARDENED_EARLY_PATH FlagTable table(const std::array<FlagSpec, N>& flags) {
  return {flags.data(), flags.data() + N};
}

// "--log=x" -> {"log", "x"}; "-b" -> {"b", nullopt}. Only called on words that start with '-'.
struct SplitFlag {
  std::string_view name;
  std::optional<std::string_view> inline_value;
};

HARDENED_EARLY_PATH SplitFlag split_flag(std::string_view word) {
  word.remove_prefix(word.starts_with("--") ? 2 : 1);
  if (auto eq = word.find('='); eq != std::string_view::npos) return {word.substr(0, eq), word.substr(eq + 1)};
  return {word, std::nullopt};
}

HARDENED_EARLY_PATH const FlagSpec* find_flag(FlagTable flags, std::string_view name) {
  auto it = std::find_if(flags.begin, flags.end, [&](const FlagSpec& f) {
    return f.name == name || (name.size() == 1 && f.letters.find(name.front()) != std::string_view::npos);
  });
  return it == flags.end ? nullptr : it;
}

HARDENED_EARLY_PATH bool is_flag_word(std::string_view word) { return word.size() > 1 && word.front() == '-'; }

// One flag word (and the next word when the value comes there), matched against a table without
// allocating. spec == nullptr: unknown; missing_value: it takes a value and argv ends.
struct FlagMatch {
  const FlagSpec* spec = nullptr;
  std::optional<std::string_view> value;
  std::size_t span = 1;
  bool missing_value = false;
};

HARDENED_EARLY_PATH FlagMatch match_flag(FlagTable flags, std::string_view word, const std::string_view* next) {
  const SplitFlag split = split_flag(word);
  FlagMatch match{find_flag(flags, split.name), split.inline_value, 1, false};
  if (match.spec == nullptr || split.inline_value || !match.spec->takes_value) return match;
  if (next == nullptr) {
    match.missing_value = true;
  } else {
    match.value = *next;
    match.span = 2;
  }
  return match;
}

// The runtimes and versions whose flags the tables hold (flag_tables.hpp), for the messages.
constexpr std::string_view kKnownVersions = "runc 1.1–1.3 and crun 1.8–1.29";

Error flag_error(std::string_view word, std::string_view where, bool unknown) {
  if (unknown) {
    return {"unknown " + std::string(where) + " flag '" + std::string(word) +
            "': hardened-runtime cannot tell whether it takes a value, so it will not guess; it knows the flags of " +
            std::string(kKnownVersions) + "; a newer runtime's new flag needs a newer hardened-runtime"};
  }
  return {std::string(where) + " flag '" + std::string(word) + "' needs a value"};
}

// "-bundle" and "-b=/b" are --bundle to runc (urfave/cli) but -b with the value "undle" or "=/b" to
// crun (argp). On create and run the bundle and crun's --config go to the runtime as written, so such
// a word could have us harden one bundle while crun reads another: it is refused. (exec's --process
// and update's --resources are replaced by the hardened copy; a word crun misreads elsewhere is an
// error of crun's, not another meaning.)
std::optional<Error> ambiguous_form(std::string_view word, FlagTable flags) {
  if (word.size() <= 2 || word.starts_with("--")) return std::nullopt;
  const char letter = word[1];
  const bool crun_value_letter = std::any_of(flags.begin, flags.end, [&](const FlagSpec& f) {
    return f.takes_value && (f.runtimes & flags::crun) != 0 && f.letters.find(letter) != std::string_view::npos;
  });
  if (!crun_value_letter) return std::nullopt;
  const SplitFlag split = split_flag(word);
  const FlagSpec* spec = find_flag(flags, split.name);
  const std::string long_form = spec != nullptr ? "--" + std::string(spec->name) + (split.inline_value ? "=" + std::string(*split.inline_value) : "")
                                                : "the flag's long form with two dashes";
  return Error{"ambiguous flag '" + std::string(word) + "': runc reads a word with one dash as a long flag, crun as -" + letter +
               " followed by its value; write " + long_form};
}

// Reads one subcommand flag at argv[i]. `strict`: a call we rewrite, where an unknown word is an
// error, and on create and run an ambiguous one too.
Result<FlagUse> read_flag(const std::vector<std::string>& argv, std::size_t i, FlagTable flags, Command command, std::string_view where,
                          bool strict) {
  if (strict && (command == Command::create || command == Command::run)) {
    if (auto ambiguous = ambiguous_form(argv[i], flags)) return tl::unexpected(*ambiguous);
  }
  const std::string_view next = i + 1 < argv.size() ? std::string_view(argv[i + 1]) : std::string_view();
  const FlagMatch match = match_flag(flags, argv[i], i + 1 < argv.size() ? &next : nullptr);
  if (match.spec == nullptr || match.missing_value) return tl::unexpected(flag_error(argv[i], where, match.spec == nullptr));
  FlagUse use{std::string(match.spec->name), std::nullopt, i, match.span};
  if (match.value) use.value = std::string(*match.value);
  return use;
}

std::vector<std::string_view> views_of(const std::vector<std::string>& argv) { return {argv.begin(), argv.end()}; }

// Every subcommand of runc 1.1–1.3 and crun with its flags; init (runc's own re-exec) and any other
// word have none we know.
std::optional<FlagTable> flags_of(std::string_view subcommand) {
  struct Entry {
    std::string_view name;
    FlagTable flags;
  };
  const std::array entries{
      Entry{"create", table(flags::kCreate)},       Entry{"run", table(flags::kRun)},
      Entry{"exec", table(flags::kExec)},           Entry{"update", table(flags::kUpdate)},
      Entry{"checkpoint", table(flags::kCheckpoint)}, Entry{"restore", table(flags::kRestore)},
      Entry{"delete", table(flags::kDelete)},       Entry{"events", table(flags::kEvents)},
      Entry{"kill", table(flags::kKill)},           Entry{"list", table(flags::kList)},
      Entry{"ps", table(flags::kPs)},               Entry{"spec", table(flags::kSpec)},
      Entry{"pause", table(flags::kHelpOnly)},      Entry{"resume", table(flags::kHelpOnly)},
      Entry{"start", table(flags::kHelpOnly)},      Entry{"state", table(flags::kHelpOnly)},
      Entry{"features", table(flags::kHelpOnly)},   Entry{"mounts", table(flags::kHelpOnly)},
  };
  for (const Entry& entry : entries) {
    if (entry.name == subcommand) return entry.flags;
  }
  return std::nullopt;
}

bool rewritten(Command command) {
  return command == Command::create || command == Command::run || command == Command::exec || command == Command::update;
}

// Whether the call asks for help, as urfave/cli reads it: the last use of the help flag wins (runc reads
// "--help --help=false" as no help), and a value is Go's strconv.ParseBool's (on: none, or 1, t, T,
// TRUE, true, True). runc does a call that asks for no help, so it must not become a pass-through.
bool asks_for_help(const Invocation& inv) {
  bool on = false;
  for (const FlagUse& use : inv.flags) {
    if (use.name != "help" && use.name != "usage") continue;
    const std::string v = use.value.value_or("true");
    on = v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "true" || v == "True";
  }
  return on;
}

}  // namespace

const FlagUse* Invocation::flag(std::string_view name) const {
  // The last use wins, as in urfave/cli.
  auto it = std::find_if(flags.rbegin(), flags.rend(), [&](const FlagUse& f) { return f.name == name; });
  return it == flags.rend() ? nullptr : &*it;
}

std::string Invocation::container_id() const { return positionals.empty() ? std::string() : argv[positionals.front()]; }

std::string Invocation::bundle() const {
  const FlagUse* use = flag("bundle");
  return use != nullptr && use->value ? *use->value : std::string();
}

std::string_view command_name(Command command) {
  switch (command) {
    case Command::create: return "create";
    case Command::run: return "run";
    case Command::exec: return "exec";
    case Command::update: return "update";
    case Command::restore: return "restore";
    case Command::mounts: return "mounts";
    case Command::passthrough: return "pass-through";
  }
  return "pass-through";
}

HARDENED_EARLY_PATH GlobalFlags read_global_flags(std::span<const std::string_view> argv) {
  GlobalFlags out;
  std::size_t& i = out.end;
  for (i = 1; i < argv.size() && is_flag_word(argv[i]) && argv[i] != "--";) {
    const FlagMatch match = match_flag(table(flags::kGlobal), argv[i], i + 1 < argv.size() ? &argv[i + 1] : nullptr);
    if (match.spec == nullptr || match.missing_value || out.count == GlobalFlags::kMax) {
      out.stop = match.spec == nullptr ? GlobalFlags::Stop::unknown_flag
                 : match.missing_value ? GlobalFlags::Stop::missing_value
                                       : GlobalFlags::Stop::too_many;
      return out;
    }
    out.flags[out.count++] = GlobalFlag{match.spec->name, match.value, i, match.span};
    i += match.span;
  }
  out.subcommand_index = i < argv.size() && argv[i] == "--" ? i + 1 : i;
  return out;
}

HARDENED_EARLY_PATH Command command_of(std::string_view subcommand) {
  if (subcommand == "create") return Command::create;
  if (subcommand == "run") return Command::run;
  if (subcommand == "exec") return Command::exec;
  if (subcommand == "update") return Command::update;
  if (subcommand == "restore") return Command::restore;
  if (subcommand == "mounts") return Command::mounts;
  return Command::passthrough;
}

HARDENED_EARLY_PATH bool is_own_option(const GlobalFlag& flag) { return flag.name == "config" || flag.name == "profile"; }

// containerd's BinaryName and CRI-O's runtime_path take no arguments: a link named
// hardened-runtime-<profile> to the binary selects <profile>, as --profile would.
std::optional<std::string> profile_of_link_name(std::string_view argv0) {
  constexpr std::string_view prefix = "hardened-runtime-";
  const std::size_t slash = argv0.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
  if (!name.starts_with(prefix) || name.size() == prefix.size()) return std::nullopt;
  return std::string(name.substr(prefix.size()));
}

LogTarget find_log_target(const std::vector<std::string>& argv) {
  LogTarget target;
  const auto words = views_of(argv);
  const GlobalFlags globals = read_global_flags(words);
  for (std::size_t k = 0; k < globals.count; ++k) {
    const GlobalFlag& flag = globals.flags[k];
    if (flag.name == "log" && flag.value) target.path = std::string(*flag.value);
    if (flag.name == "log-format" && flag.value) target.format = std::string(*flag.value);
  }
  return target;
}

Result<Invocation> parse_invocation(const std::vector<std::string>& in) {
  Invocation inv;
  if (in.empty()) return inv;
  inv.argv.push_back(in.front());

  // Global flags: everything up to the first word that is not a flag is ours or runc's.
  const auto words = views_of(in);
  const GlobalFlags globals = read_global_flags(words);
  if (globals.stop == GlobalFlags::Stop::too_many) {
    return fail("more than " + std::to_string(GlobalFlags::kMax) + " global flags; runc's own are fewer than ten");
  }
  if (globals.stop != GlobalFlags::Stop::none) {
    return tl::unexpected(flag_error(in[globals.end], "global", globals.stop == GlobalFlags::Stop::unknown_flag));
  }
  for (std::size_t k = 0; k < globals.count; ++k) {
    const GlobalFlag& flag = globals.flags[k];
    const std::optional<std::string> value = flag.value ? std::optional<std::string>(*flag.value) : std::nullopt;
    if (flag.name == "config") inv.config_path = value;
    if (flag.name == "profile") inv.profile = value;
    if (flag.name == "log") inv.log_path = value;
    if (flag.name == "root") inv.root_dir = value;
    if (flag.name == "log-format" && value) inv.log_format = *value;
    if (flag.name == "cgroup-manager") inv.cgroup_manager = value;
    if (!is_own_option(flag)) {
      inv.argv.insert(inv.argv.end(), in.begin() + static_cast<std::ptrdiff_t>(flag.index),
                      in.begin() + static_cast<std::ptrdiff_t>(flag.index + flag.span));
    }
  }
  if (!inv.profile) inv.profile = profile_of_link_name(in.front());
  std::size_t i = globals.end;
  if (i < globals.subcommand_index) inv.argv.push_back(in[i++]);  // "--"
  const std::size_t offset = inv.argv.size() - i;  // our own options removed shift later words left
  inv.argv.insert(inv.argv.end(), in.begin() + static_cast<std::ptrdiff_t>(i), in.end());
  if (i >= in.size()) return inv;  // no subcommand: runc prints its help or version

  inv.subcommand = in[i];
  inv.subcommand_index = i + offset;
  inv.command = command_of(inv.subcommand);
  const auto flags = flags_of(inv.subcommand);
  if (!flags) return inv;

  // A call we rewrite must be read whole: an unknown flag is an error. Any other call goes to the
  // runtime as it is whatever we make of it, so reading stops quietly at a word we do not know.
  const bool strict = rewritten(inv.command);
  // create/run/update let flags follow the container id (urfave/cli reorders them); exec stops at
  // the container id because what follows is the command to run inside, and so do the calls passed
  // through (ps's own options follow the id).
  const bool flags_anywhere = strict && inv.command != Command::exec;
  bool only_positionals = false;
  for (std::size_t j = inv.subcommand_index + 1; j < inv.argv.size();) {
    const std::string& word = inv.argv[j];
    if (only_positionals || !is_flag_word(word)) {
      inv.positionals.push_back(j);
      if (!flags_anywhere) only_positionals = true;
      ++j;
      continue;
    }
    if (word == "--") {
      only_positionals = true;
      ++j;
      continue;
    }
    auto use = read_flag(inv.argv, j, *flags, inv.command, inv.subcommand, strict);
    if (!use && strict) return tl::unexpected(use.error());
    if (!use) {
      inv.flags.clear();
      inv.positionals.clear();
      return inv;
    }
    j += use->span;
    inv.flags.push_back(std::move(*use));
  }
  // "runc create --help" prints help and creates nothing: nothing to harden. restore and crun's mounts
  // are refused whole in enforce mode, but their help too does nothing else. The flags are read as the
  // runtime reads them: "restore --pid-file -h" names a pid file and restores.
  const bool refused_whole = inv.command == Command::restore || inv.command == Command::mounts;
  if ((strict || refused_whole) && asks_for_help(inv)) {
    inv.command = Command::passthrough;
    inv.flags.clear();
    inv.positionals.clear();
  }
  return inv;
}

}  // namespace hardened
