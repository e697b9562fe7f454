#include "hardened/runtime.hpp"

#include "hardened/argv_rewrite.hpp"
#include "hardened/audit_log.hpp"
#include "hardened/bundle.hpp"
#include "hardened/harden.hpp"
#include "hardened/invocation.hpp"
#include "hardened/json_file.hpp"
#include "hardened/loading.hpp"
#include "hardened/runc_locator.hpp"
#include "hardened/runtime_log.hpp"

namespace hardened {
namespace {

// What one rewritten call sends to runc, and what the audit line says about it.
struct Outcome {
  std::vector<std::string> argv;
  Changes changes;
};

json changes_json(const Changes& changes) {
  json out = json::array();
  for (const auto& c : changes) out.push_back(json{{"rule", c.rule}, {"change", c.detail}});
  return out;
}

Result<void> write_back(const std::string& path, const JsonFile& file, const json& document) {
  const std::string text = document.dump();
  if (text == file.text) return {};  // already hardened: leave the file alone
  return replace_file_atomically(path, text, file);
}

Result<Outcome> create(const Invocation& inv, const Profile& profile) {
  const std::string bundle = inv.bundle().empty() ? "." : inv.bundle();
  auto plan = plan_bundle(bundle + "/config.json", profile);
  if (!plan) return tl::unexpected(plan.error());
  if (auto ok = write_back(plan->path, plan->original, plan->hardened.document); !ok) return tl::unexpected(ok.error());
  return Outcome{inv.argv, std::move(plan->hardened.changes)};
}

Result<Outcome> exec(const Invocation& inv, const Profile& profile) {
  Changes changes;
  if (const FlagUse* process = inv.flag("process"); process != nullptr && process->value) {
    auto file = read_json_file(*process->value);
    if (!file) return tl::unexpected(file.error());
    auto hardened = harden_process(std::move(file->document), profile);
    if (!hardened) return fail("process " + *process->value + ": " + hardened.error().message);
    if (auto ok = write_back(*process->value, *file, hardened->document); !ok) return tl::unexpected(ok.error());
    changes = std::move(hardened->changes);
  }
  auto rewritten = rewrite_exec_flags(inv, profile);
  if (!rewritten) return tl::unexpected(rewritten.error());
  changes.insert(changes.end(), rewritten->changes.begin(), rewritten->changes.end());
  return Outcome{std::move(rewritten->argv), std::move(changes)};
}

Result<Outcome> update(const Invocation& inv, const Profile& profile, System& system) {
  const FlagUse* resources = inv.flag("resources");
  if (resources == nullptr || !resources->value) {
    auto rewritten = rewrite_update_flags(inv, profile);
    if (!rewritten) return tl::unexpected(rewritten.error());
    return Outcome{std::move(rewritten->argv), std::move(rewritten->changes)};
  }
  const std::string& source = *resources->value;
  auto text = source == "-" ? system.read_stdin() : read_text_file(source);
  if (!text) return tl::unexpected(text.error());
  auto document = parse_json(*text, source == "-" ? "the resources on standard input" : source);
  if (!document) return tl::unexpected(document.error());
  auto clamped = clamp_update_resources(std::move(*document), profile);
  if (!clamped) return tl::unexpected(clamped.error());
  // runc reads the clamped copy from stdin; the caller's file is not ours to change.
  if (auto ok = system.replace_stdin(clamped->document.dump()); !ok) return tl::unexpected(ok.error());
  std::vector<std::string> argv = inv.argv;
  argv[resources->index] = "--resources=-";
  if (resources->span == 2) argv.erase(argv.begin() + static_cast<std::ptrdiff_t>(resources->index + 1));
  return Outcome{std::move(argv), std::move(clamped->changes)};
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
    case Command::passthrough: return "run runc" + (inv.subcommand.empty() ? "" : " " + inv.subcommand);
  }
  return id.empty() ? verb : verb + " " + id;
}

class Reporter {
 public:
  Reporter(System& system, LogTarget target) : system_(system), target_(std::move(target)) {}

  // Fail closed: the message goes to stderr and, as runc would write it, to runc's --log file.
  int refuse(const std::string& what, const std::string& message) {
    const std::string text = "hardened-runtime: cannot " + what + ": " + message;
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

}  // namespace

int run_runtime(const std::vector<std::string>& argv, System& system) {
  auto inv = parse_invocation(argv);
  if (!inv) return Reporter(system, find_log_target(argv)).refuse("parse the command line", inv.error().message);
  Reporter reporter(system, LogTarget{inv->log_path, inv->log_format});
  const std::string what = what_of(*inv);

  auto config = load_host_config_for(inv->config_path, system.getenv(kConfigEnv));
  if (!config) return reporter.refuse(what, config.error().message);
  auto runc = locate_runc(*config, system.getenv("PATH"));
  if (!runc) return reporter.refuse(what, runc.error().message);

  if (inv->command == Command::passthrough) return reporter.refuse(what, system.exec(*runc, inv->argv).message);
  if (inv->command == Command::restore) {
    return reporter.refuse(what, "restore is refused: a checkpoint image brings back the process with the credentials, "
                                 "capabilities and seccomp state it was saved with, which the profile cannot change; "
                                 "start the container afresh with docker run, or restore it with plain runc if you trust the image");
  }

  const std::string profile_name = inv->profile.value_or(config->default_profile);
  auto profile = load_profile(*config, profile_name);
  if (!profile) return reporter.refuse(what, profile.error().message);

  Result<Outcome> outcome = inv->command == Command::exec     ? exec(*inv, *profile)
                            : inv->command == Command::update ? update(*inv, *profile, system)
                                                              : create(*inv, *profile);
  if (!outcome) {
    return reporter.refuse(what, outcome.error().message + " (profile '" + profile_name + "', " + config->source + ")");
  }

  json record = json::object();
  record["event"] = std::string(command_name(inv->command));
  record["container"] = inv->container_id();
  record["profile"] = profile_name;
  record["changes"] = changes_json(outcome->changes);
  if (auto ok = write_audit_line(config->log_file, std::move(record)); !ok) {
    system.print_error("hardened-runtime: warning: " + ok.error().message);
  }
  return reporter.refuse(what, system.exec(*runc, outcome->argv).message);
}

}  // namespace hardened
