#include "hardened/runtime.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "hardened/argv_rewrite.hpp"
#include "hardened/audit_log.hpp"
#include "hardened/bundle.hpp"
#include "hardened/container_state.hpp"
#include "hardened/continuation.hpp"
#include "hardened/creation_record.hpp"
#include "hardened/flag_policy.hpp"
#include "hardened/harden.hpp"
#include "hardened/host_identities.hpp"
#include "hardened/invocation.hpp"
#include "hardened/json_file.hpp"
#include "hardened/loading.hpp"
#include "hardened/passthrough_target.hpp"
#include "hardened/runc_field_names.hpp"
#include "hardened/runc_locator.hpp"
#include "hardened/runtime_log.hpp"
#include "hardened/stage.hpp"

namespace hardened {
namespace {

// What one rewritten call decided. In enforce mode `apply` makes it so (writes the hardened file or
// stdin) and runc gets `argv`; in audit mode nothing is applied, runc gets `audit_argv` (the original
// argv, unless what it named could only be read once) and `keep` puts back anything read on the way
// (the resources on stdin).
struct Outcome {
  std::vector<std::string> argv;
  Changes changes;
  Findings denials;
  Findings warnings;
  std::optional<std::vector<std::string>> audit_argv;
  std::function<Result<void>()> apply = [] { return Result<void>(); };
  std::function<Result<void>()> keep = [] { return Result<void>(); };
};

// The policy context of one call: the selected profile (with any relaxations) and the mode.
struct Policy {
  Selection selection;
  Profile profile;
  std::vector<std::string> relaxations;
  Mode mode = Mode::enforce;
};

// This program's own path, for the hook runc runs (hooks need an absolute path).
std::string own_program() {
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string("/usr/local/bin/hardened-runtime");
}

Result<void> write_back(const std::string& path, const JsonFile& file, const std::string& text) {
  if (text == file.text) return {};  // already hardened: leave the file alone
  return replace_file_atomically(path, text, file);
}

// create/run: plan_bundle reads, parses, selects, loads the profile, observes the host and decides;
// `apply` writes the hardened config.json.
Result<Outcome> create(const Invocation& inv, const HostConfig& config, Policy& policy) {
  const std::string bundle = inv.bundle().empty() ? "." : inv.bundle();
  auto plan = plan_bundle(bundle + "/config.json", config, inv.profile, inv.container_id());
  if (!plan) return tl::unexpected(plan.error());
  policy.selection = plan->selection;
  policy.relaxations = plan->relaxations;
  policy.mode = plan->mode;
  Outcome out{inv.argv, std::move(plan->decision.changes), std::move(plan->decision.denials), std::move(plan->decision.warnings), std::nullopt};
  const Findings flags = refuse_runtime_flags(inv);
  out.denials.insert(out.denials.end(), flags.begin(), flags.end());
  // The plan lives as long as the outcome: its documents are never freed, only left behind by the exec
  // of runc (freeing them cost a create ~0.3 M instructions).
  auto shared = std::make_shared<BundlePlan>(std::move(*plan));
  out.apply = [shared, bundle, state_dir = config.state_dir, id = inv.container_id()]() -> Result<void> {
    // What runc mounts is what was checked: the sources are staged (stage.hpp) just before the write.
    if (!state_dir.empty() && shared->sources) {
      if (auto ok = stage_sources(shared->decision.document, *shared->sources, bundle, state_dir, id, own_program()); !ok) return ok;
    }
    auto written = write_back(shared->path, shared->original, hardened_text(*shared));
    if (!written && !state_dir.empty()) unstage(stage_dir(state_dir, id));
    return written;
  };
  return out;
}

// The container an existing-container call names: exec's and update's id, or a pass-through's
// (passthrough_target.hpp); "" for create/run (a new one) and for calls that name none.
std::string existing_container(const Invocation& inv) {
  if (inv.command == Command::exec || inv.command == Command::update) return inv.container_id();
  if (inv.command != Command::passthrough || inv.subcommand.empty()) return "";
  const std::vector<std::string_view> words(inv.argv.begin(), inv.argv.end());
  return std::string(passthrough_container(words, inv.subcommand_index));
}

// runc's `delete <id>`: what create left for the container goes first, the bind sources it staged and
// its creation record (read by now). runc's delete fails only for a container still running without
// --force, which no engine asks for; a later call on it then finds no record, and `audit` says so.
void remove_what_create_left(const Invocation& inv, const std::string& state_dir, const std::string& id) {
  if (inv.subcommand != "delete" || state_dir.empty() || id.empty()) return;
  if (id.find('/') == std::string::npos && id != ".." && id != ".") unstage(stage_dir(state_dir, id));
  remove_creation_record(state_dir, id);
}

// A file runc would read once more after us: a pipe, a FIFO or /dev/stdin can be read only once.
bool readable_twice(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The container a call names, under its --root, or without one under runc's or crun's default root.
std::optional<ContainerState> named_container(const Invocation& inv) {
  if (inv.root_dir) return read_container_state(*inv.root_dir, inv.container_id());
  for (const char* root : {kDefaultRuncRoot, "/run/crun"}) {
    if (auto state = read_container_state(root, inv.container_id())) return state;
  }
  return std::nullopt;
}

// Whether a process object names its own AppArmor profile or SELinux label (then the container's are read).
bool names_labels(const json& process) {
  for (const char* key : {"apparmorProfile", "selinuxLabel"}) {
    const json* value = process.is_object() ? member(process, key) : nullptr;
    if (value != nullptr && !(value->is_string() && value->get_ref<const std::string&>().empty()) && !value->is_null()) return true;
  }
  return false;
}

// exec --process FILE: FILE may be anything readable (a pipe, a FIFO, /dev/stdin, <(...)); runc
// gets the hardened copy through System::pass_file and the caller's FILE is never written.
Result<Outcome> exec(const Invocation& inv, const Policy& policy, System& system) {
  const Profile& profile = policy.profile;
  const bool enforce = policy.mode == Mode::enforce;
  Outcome out;
  std::optional<std::string> process_path;
  // The host's accounts, read once and only when an id needs judging (identity.hpp).
  std::optional<HostIdentities> host_accounts;
  auto host = [&]() -> Result<const HostIdentities*> {
    if (!host_accounts) {
      auto read = read_host_identities();
      if (!read) return tl::unexpected(read.error());
      host_accounts = std::move(*read);
    }
    return &*host_accounts;
  };
  const HostIdentities none;
  if (const FlagUse* process = inv.flag("process"); process != nullptr && process->value) {
    const std::string& path = *process->value;
    const bool again = readable_twice(path);
    auto text = read_text_file(path);
    if (!text) return tl::unexpected(text.error());
    auto document = parse_json(*text, "process " + path);
    if (!document) return tl::unexpected(document.error());
    if (auto named = canonical_field_names(*document, RuncDocument::process, "process " + path); !named) return tl::unexpected(named.error());
    auto accounts = user_needs_host_accounts(*document, profile) ? host() : Result<const HostIdentities*>(&none);
    if (!accounts) return tl::unexpected(accounts.error());
    ContainerLabels container;
    if (names_labels(*document)) {
      if (auto state = named_container(inv)) container = state->labels;  // not found: none, so any label is refused
    }
    auto hardened = harden_process(std::move(*document), profile, **accounts, container);
    if (!hardened) return fail("process " + path + ": " + hardened.error().message);
    out.changes = std::move(hardened->changes);
    out.denials = std::move(hardened->denials);
    if (enforce) {
      auto passed = system.pass_file(dump_json(hardened->document));
      if (!passed) return tl::unexpected(passed.error());
      process_path = *passed;
    } else if (!again) {
      // Audit: runc reads what the caller wrote, which we have consumed.
      auto passed = system.pass_file(*text);
      if (!passed) return tl::unexpected(passed.error());
      std::vector<std::string> argv;
      for (std::size_t i = 0; i < inv.argv.size(); ++i) {
        auto use = std::find_if(inv.flags.begin(), inv.flags.end(), [&](const FlagUse& f) { return f.index == i; });
        if (use == inv.flags.end() || use->name != "process") {
          argv.push_back(inv.argv[i]);
          continue;
        }
        argv.push_back("--process=" + *passed);
        i += use->span - 1;
      }
      out.audit_argv = std::move(argv);
    }
  }
  const bool ids_in_flags = inv.flag("user") != nullptr || inv.flag("additional-gids") != nullptr;
  auto accounts = ids_in_flags ? host() : Result<const HostIdentities*>(&none);
  if (!accounts) return tl::unexpected(accounts.error());
  auto rewritten = rewrite_exec_flags(inv, profile, **accounts, process_path);
  if (!rewritten) return tl::unexpected(rewritten.error());
  out.changes.insert(out.changes.end(), rewritten->changes.begin(), rewritten->changes.end());
  out.denials.insert(out.denials.end(), rewritten->denials.begin(), rewritten->denials.end());
  const Findings flags = refuse_runtime_flags(inv);
  out.denials.insert(out.denials.end(), flags.begin(), flags.end());
  out.argv = std::move(rewritten->argv);
  return out;
}

// The container's CPU period and quota now, when the update names one of them.
CurrentCpu current_cpu(const Invocation& inv, const json* resources) {
  const json* cpu = resources != nullptr && resources->is_object() ? member(*resources, "cpu") : nullptr;
  const bool named = inv.flag("cpu-period") != nullptr || inv.flag("cpu-quota") != nullptr ||
                     (cpu != nullptr && cpu->is_object() && (member(*cpu, "period") != nullptr || member(*cpu, "quota") != nullptr));
  if (!named) return {};
  const auto state = named_container(inv);
  return state ? read_current_cpu(*state) : CurrentCpu{};
}

Result<Outcome> update(const Invocation& inv, const Profile& profile, System& system) {
  const FlagUse* resources = inv.flag("resources");
  if (resources == nullptr || !resources->value) {
    auto rewritten = rewrite_update_flags(inv, profile, current_cpu(inv, nullptr));
    if (!rewritten) return tl::unexpected(rewritten.error());
    Outcome out;
    out.argv = std::move(rewritten->argv);
    out.changes = std::move(rewritten->changes);
    return out;
  }
  const std::string& source = *resources->value;
  auto text = source == "-" ? system.read_stdin() : read_text_file(source);
  if (!text) return tl::unexpected(text.error());
  const std::string what = source == "-" ? "the resources on standard input" : source;
  // What cannot be decided is refused, or in audit mode passed to runc as it is: then runc must find
  // on its stdin what the caller wrote there.
  auto undecided = [&](const Error& error) -> Result<Outcome> {
    if (source == "-") (void)system.replace_stdin(*text);
    return tl::unexpected(error);
  };
  auto document = parse_json(*text, what);
  if (!document) return undecided(document.error());
  if (auto named = canonical_field_names(*document, RuncDocument::resources, what); !named) return undecided(named.error());
  const CurrentCpu current = current_cpu(inv, &*document);
  auto clamped = clamp_update_resources(std::move(*document), profile, current);
  if (!clamped) return undecided(clamped.error());
  // runc reads the clamped copy from stdin; the caller's file is not ours to change.
  std::vector<std::string> argv = inv.argv;
  argv[resources->index] = "--resources=-";
  if (resources->span == 2) argv.erase(argv.begin() + static_cast<std::ptrdiff_t>(resources->index + 1));
  Outcome out;
  out.argv = std::move(argv);
  out.changes = std::move(clamped->changes);
  out.denials = std::move(clamped->denials);
  out.apply = [&system, text = dump_json(clamped->document)] { return system.replace_stdin(text); };
  if (source == "-") out.keep = [&system, original = *text] { return system.replace_stdin(original); };
  return out;
}

// The audit trail's line for one decision.
json audit_record(const Invocation& inv, const Policy& policy, const Outcome& outcome) {
  const bool enforce = policy.mode == Mode::enforce;
  const bool refused = !outcome.denials.empty();
  json record{{"event", command_name(inv.command)},
              {"container", inv.container_id()},
              {"profile", policy.selection.profile},
              {"selected_by", policy.selection.why},
              {"mode", mode_name(policy.mode)},
              {"decision", !enforce ? (refused ? "audit: would refuse" : "audit: would harden") : refused ? "refused" : "hardened"},
              {"changes", outcome.changes},
              {"denials", outcome.denials},
              {"warnings", outcome.warnings}};
  if (!policy.relaxations.empty()) record["relaxations"] = policy.relaxations;
  return record;
}

// exec and update name a container: the profile is the one create applied (its creation record), or
// for a container without one, the one its annotations select; relaxations come from the annotations.
Result<Policy> policy_for_container(const Invocation& inv, const HostConfig& config, const std::optional<CreationRecord>& record) {
  const auto state = named_container(inv);
  const std::optional<json> annotations = state ? std::optional<json>(state->annotations) : std::nullopt;
  Policy policy;
  if (record) {
    policy.selection = {record->profile, "the profile create applied (" + record->selected_by + ")", {}};
  } else {
    policy.selection = select_profile(config, inv.profile, annotations ? &*annotations : nullptr);
  }
  Findings ignored;  // a bad annotation was refused at create; the ceilings it may move are the same
  auto effective = load_effective_profile(config, policy.selection.profile, annotations ? &*annotations : nullptr, ignored);
  if (!effective) return tl::unexpected(effective.error());
  policy.profile = std::move(effective->profile);
  policy.relaxations = std::move(effective->relaxations);
  policy.mode = effective->mode;
  return policy;
}

// "create container <id>", "run runc state": what could not be done, for the first words of an error.
std::string what_of(const Invocation& inv) {
  const std::string id = inv.container_id();
  std::string verb;
  switch (inv.command) {
    case Command::create: verb = "create container"; break;
    case Command::run: verb = "run container"; break;
    case Command::exec: verb = "exec in container"; break;
    case Command::update: verb = "update container"; break;
    case Command::restore: verb = "restore container"; break;
    case Command::mounts: return "change the mounts of a running container";  // crun mounts add|remove <id> <file>
    case Command::passthrough: return "run runc" + (inv.subcommand.empty() ? "" : " " + inv.subcommand);
  }
  return id.empty() ? verb : verb + " " + id;
}

class Reporter {
 public:
  Reporter(System& system, LogTarget target) : system_(system), target_(std::move(target)) {}

  // Fail closed: the message goes to stderr and, as runc would write it, to runc's --log file.
  int refuse(const std::string& what, const std::string& message) {
    std::string text = "hardened-runtime: cannot " + what + ": " + message;
    // podman reads "No such file or directory" in a runtime's error as "command not found" (exit 127)
    // and hides the reason: say it in other words.
    static constexpr std::string_view kEnoent = "No such file or directory";
    for (std::size_t at; (at = text.find(kEnoent)) != std::string::npos;) text.replace(at, kEnoent.size(), "it does not exist");
    system_.print_error(text);
    if (target_.path && !append_runtime_log(*target_.path, target_.format, text)) {
      system_.print_error("hardened-runtime: cannot append to the runtime log " + *target_.path);
    }
    return 1;
  }

 private:
  System& system_;
  LogTarget target_;
};

// The steps after the decision: a refusal stops here (audit line, message); otherwise write the
// hardened file (enforce) or put back what was read (audit), record the creation, log, exec runc.
int carry_out(const Invocation& inv, const HostConfig& config, const std::string& runc, const Policy& policy, Outcome& outcome,
              System& system, Reporter& reporter) {
  const std::string what = what_of(inv);
  const std::string chosen = "profile '" + policy.selection.profile + "', chosen by " + policy.selection.why;
  const bool enforce = policy.mode == Mode::enforce;
  auto log = [&] {
    if (auto ok = write_audit_line(config.log_file, audit_record(inv, policy, outcome)); !ok) {
      system.print_error("hardened-runtime: warning: " + ok.error().message);
    }
  };
  if (enforce && !outcome.denials.empty()) {
    log();
    return reporter.refuse(what, refusal_message(outcome.denials) + " (" + chosen + ")");
  }
  if (auto ok = enforce ? outcome.apply() : outcome.keep(); !ok) return reporter.refuse(what, ok.error().message + " (" + chosen + ")");
  if (inv.command == Command::create || inv.command == Command::run) {
    const CreationRecord creation{policy.selection.profile, policy.selection.why, std::string(mode_name(policy.mode)), runc,
                                  inv.root_dir.value_or(""), config.source == HostConfig{}.source ? "" : config.source};
    if (auto ok = write_creation_record(config.state_dir, inv.container_id(), creation); !ok) {
      system.print_error("hardened-runtime: warning: " + ok.error().message);
    }
  }
  log();
  // The container process's stdio: no host file or device goes to runc as it is (stdio_guard.hpp).
  if (enforce && (inv.command == Command::create || inv.command == Command::run || inv.command == Command::exec)) {
    if (auto ok = system.guard_stdio(config.state_dir); !ok) return reporter.refuse(what, ok.error().message + "; nothing was started");
  }
  return reporter.refuse(what, system.exec(runc, enforce ? outcome.argv : outcome.audit_argv.value_or(inv.argv)).message);
}

// The mode of a call hardened-runtime could not decide (argv it cannot read, a bundle it cannot parse):
// that of the profile --profile or the host's default names, or the host's. Audit mode passes such a
// call to runc unchanged: it changes nothing, whatever happens here, and runc gives its own error.
Mode undecided_mode(const HostConfig& config, const std::optional<std::string>& profile_option) {
  const Selection selection = select_profile(config, profile_option, nullptr);
  Findings ignored;
  auto effective = load_effective_profile(config, selection.profile, nullptr, ignored);
  return effective ? effective->mode : config.mode;
}

// runc's argv when hardened-runtime reads no more than the global flags: ours left out, runc's own
// path as argv[0] (so its usage errors name runc).
std::vector<std::string> plain_runc_argv(const std::vector<std::string>& argv, const std::string& runc) {
  std::vector<std::string> out{runc};
  const std::vector<std::string_view> words(argv.begin(), argv.end());
  const GlobalFlags globals = read_global_flags(words);
  std::size_t next = 1;
  for (std::size_t k = 0; k < globals.count; ++k) {
    const GlobalFlag& flag = globals.flags[k];
    if (!is_own_option(flag)) continue;
    while (next < flag.index) out.push_back(argv[next++]);
    next = flag.index + flag.span;
  }
  while (next < argv.size()) out.push_back(argv[next++]);
  return out;
}

// A call in audit mode that could not be decided: one line on the audit trail, then runc as asked.
int pass_undecided(const std::vector<std::string>& argv, const HostConfig& config, const std::string& runc, const std::string& what,
                   const std::string& why, System& system, Reporter& reporter) {
  const json record{{"event", what}, {"mode", "audit"}, {"decision", "audit: could not decide"}, {"reason", why}};
  if (auto ok = write_audit_line(config.log_file, record); !ok) system.print_error("hardened-runtime: warning: " + ok.error().message);
  return reporter.refuse(what, system.exec(runc, plain_runc_argv(argv, runc)).message);
}

// Why restore and crun's mounts are refused whole in enforce mode.
std::string refusal_of_whole_call(Command command) {
  if (command == Command::mounts) {
    return "crun mounts add/remove changes the mounts of a running container from a file, past every mount rule of the profile "
           "(the deny lists, the masked paths); put the mount in the container's spec and create it afresh";
  }
  return "restore is refused: a checkpoint image brings back the process with the credentials, "
         "capabilities and seccomp state it was saved with, which the profile cannot change; "
         "start the container afresh with docker run, or restore it with plain runc if you trust the image";
}

// argv -> host config -> runc -> (pass through | decide -> carry out).
int run_checked(const std::vector<std::string>& argv, System& system) {
  auto inv = parse_invocation(argv);
  if (!inv) {
    // In audit mode even a command line we cannot read goes to runc, which says what is wrong with it.
    Reporter reporter(system, find_log_target(argv));
    const std::vector<std::string_view> words(argv.begin(), argv.end());
    const GlobalFlags globals = read_global_flags(words);
    std::optional<std::string> config_option, profile_option;
    for (std::size_t k = 0; globals.stop == GlobalFlags::Stop::none && k < globals.count; ++k) {
      const GlobalFlag& flag = globals.flags[k];
      if (flag.name == "config" && flag.value) config_option = std::string(*flag.value);
      if (flag.name == "profile" && flag.value) profile_option = std::string(*flag.value);
    }
    if (globals.stop == GlobalFlags::Stop::none) {
      auto config = load_host_config_for(config_option, system.getenv(kConfigEnv));
      auto runc = config ? locate_runc(*config, system.getenv("PATH")) : Result<std::string>(fail(""));
      if (config && runc && undecided_mode(*config, profile_option) == Mode::audit) {
        return pass_undecided(argv, *config, *runc, "parse the command line", inv.error().message, system, reporter);
      }
    }
    return reporter.refuse("parse the command line", inv.error().message);
  }
  Reporter reporter(system, LogTarget{inv->log_path, inv->log_format});
  const std::string what = what_of(*inv);

  auto config = load_host_config_for(inv->config_path, system.getenv(kConfigEnv));
  if (!config) return reporter.refuse(what, config.error().message);
  // A call on an existing container continues with what created it (continuation.hpp).
  const std::string id = existing_container(*inv);
  const std::string state_dir = config->state_dir;  // where the record is, whichever host config comes next
  const std::optional<CreationRecord> record = id.empty() ? std::nullopt : read_creation_record(state_dir, id);
  std::vector<std::string> raw_argv = argv;  // for a call passed on undecided
  std::optional<std::string> recorded_runtime;
  if (record) {
    const char* env_config = system.getenv(kConfigEnv);
    const CallNames names{inv->config_path.has_value() || (env_config != nullptr && *env_config != '\0'), inv->root_dir.has_value(),
                          inv->command == Command::exec || inv->command == Command::update};
    const Continuation next = continuation_of(*record, names, config->source);
    if (next.config) {
      config = load_host_config_for(*next.config, nullptr);
      if (!config) return reporter.refuse(what, config.error().message + " (the host config container " + id + " was created with)");
    }
    if (next.root) {
      add_root(*inv, *next.root);
      raw_argv = with_root(std::move(raw_argv), *next.root);
    }
    recorded_runtime = next.runtime;
  }
  auto runc = recorded_runtime ? locate_recorded_runtime(*recorded_runtime, config->state_dir, id) : locate_runc(*config, system.getenv("PATH"));
  if (!runc) return reporter.refuse(what, runc.error().message);
  inv->argv.front() = *runc;  // runc's help and usage errors then name runc, as when it is called directly

  if (inv->command == Command::passthrough) remove_what_create_left(*inv, state_dir, id);
  if (inv->command == Command::passthrough) return reporter.refuse(what, system.exec(*runc, inv->argv).message);
  if (inv->command == Command::restore || inv->command == Command::mounts) {
    if (undecided_mode(*config, inv->profile) == Mode::audit) {
      return pass_undecided(raw_argv, *config, *runc, what, inv->subcommand + " would be refused in enforce mode", system, reporter);
    }
    return reporter.refuse(what, refusal_of_whole_call(inv->command));
  }

  Policy policy;
  Result<Outcome> outcome = fail("");
  bool policy_known = false;
  if (inv->command == Command::create || inv->command == Command::run) {
    outcome = create(*inv, *config, policy);
    policy_known = outcome.has_value();
  } else if (auto found = policy_for_container(*inv, *config, record)) {
    policy = std::move(*found);
    policy_known = true;
    outcome = inv->command == Command::exec ? exec(*inv, policy, system) : update(*inv, policy.profile, system);
  } else {
    outcome = tl::unexpected(found.error());
  }
  if (!outcome && (policy_known ? policy.mode : undecided_mode(*config, inv->profile)) == Mode::audit) {
    return pass_undecided(raw_argv, *config, *runc, what, outcome.error().message, system, reporter);
  }
  if (!outcome) {
    const std::string chosen = "profile '" + policy.selection.profile + "', chosen by " + policy.selection.why;
    return reporter.refuse(what, outcome.error().message + " (" + (policy.selection.profile.empty() ? "host config " + config->source : chosen) + ")");
  }
  return carry_out(*inv, *config, *runc, policy, *outcome, system, reporter);
}

}  // namespace

int run_runtime(const std::vector<std::string>& argv, System& system) {
  // Fail closed on the unexpected too: an exception from a library or a rule (all of theirs derive from
  // std::exception) is a refusal with a message in runc's log, never an abort that leaves the client
  // with "exit status 134" and no reason. Nothing was written: the files are replaced last, atomically.
  try {
    return run_checked(argv, system);
  } catch (const std::exception& e) {
    std::string what = "run runc";
    if (auto inv = parse_invocation(argv)) what = what_of(*inv);
    return Reporter(system, find_log_target(argv)).refuse(what, std::string("unexpected error: ") + e.what() + "; nothing was started");
  }
}

}  // namespace hardened
