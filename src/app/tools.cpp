#include "hardened/tools.hpp"
#include "hardened/stage.hpp"
#include "hardened/early_path.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "hardened/bundle.hpp"
#include "hardened/docker_config.hpp"
#include "hardened/docker_seccomp.hpp"
#include "hardened/host_facts.hpp"
#include "hardened/host_config.hpp"
#include "hardened/invocation.hpp"
#include "hardened/json_file.hpp"
#include "hardened/loading.hpp"
#include "hardened/runc_locator.hpp"
#include "hardened/seccomp_compile.hpp"

namespace hardened {
namespace {

constexpr const char* kValidateHelp =
    "usage: hardened-runtime validate [--config FILE] [--profile PROFILE]\n"
    "Checks the host config and every profile in its profiles_dir: JSON, keys, capability and syscall\n"
    "names (libcap-ng, libseccomp), and that each seccomp filter compiles for this host. Prints one line\n"
    "per finding and exits non-zero when anything is wrong, so a broken policy is seen before a\n"
    "container needs it (the docker.service drop-in runs this before dockerd starts).\n";

constexpr const char* kExplainHelp =
    "usage: hardened-runtime explain (--bundle DIR | FILE) [--id ID] [--profile PROFILE] [--config FILE] [--json]\n"
    "Shows what hardened-runtime would do to a container, touching nothing: which profile it selects and\n"
    "why (host rules, the container's annotations, --profile as in the runtime's runtimeArgs, the\n"
    "default), the mode, each change and the rule that makes it, every refusal and warning.\n"
    "FILE is a config.json; --bundle DIR reads DIR/config.json. --id ID is the container's id as runc\n"
    "create would be given it: a hook argument hooks.allowed pins to \"<container-id>\" (Docker's\n"
    "libnetwork-setkey hook names its container) matches only that id, and nothing without --id.\n"
    "Exits 0 when the container would start, 1 when it would be refused or cannot be read.\n";

constexpr const char* kConfigureHelp =
    "usage: hardened-runtime configure containerd [--help]   (a CRI runtime handler for Kubernetes)\n"
    "       hardened-runtime configure podman [--help]       (a named runtime in containers.conf)\n"
    "       hardened-runtime configure docker [--default] [--name NAME] [--profile PROFILE] [--config FILE]\n"
    "                                         [--remove] [--config-file FILE]\n"
    "Registers hardened-runtime in dockerd's daemon.json (default /etc/docker/daemon.json), keeping every\n"
    "other key: \"runtimes\": {NAME: {\"path\": this binary, \"runtimeArgs\": [\"--profile\", PROFILE]}}.\n"
    "  --default      also make it dockerd's default-runtime\n"
    "  --name NAME    the runtime name for docker run --runtime=NAME (default: hardened)\n"
    "  --profile P    the profile this runtime name selects (default: the host config's)\n"
    "  --config FILE  the host config this runtime name uses (default: /etc/hardened-runtime/config.json)\n"
    "  --remove       take the registration out again\n"
    "  --lockdown     also close the --runtime=runc side door in both of Docker's layouts: DIR/docker.service.d\n"
    "                 and DIR/containerd.service.d get hardened-runtime-lockdown.conf (DIR: --systemd-dir,\n"
    "                 default /etc/systemd/system), putting the lockdown directory (--lockdown-dir, whose runc is\n"
    "                 hardened-runtime) first on the PATH of dockerd and of a separate containerd.service\n"
    "The old file is kept as FILE.bak; the new one is written atomically. Running it twice changes nothing.\n";

void out(const std::string& line) { std::fputs((line + "\n").c_str(), stdout); }


int validate(const std::vector<std::string>& argv, System& system) {
  std::optional<std::string> config_path, profile_name;
  for (std::size_t i = 2; i < argv.size(); ++i) {
    if (argv[i] == "--help" || argv[i] == "-h") return std::fputs(kValidateHelp, stdout), 0;
    if (auto v = tool_option(argv, i, "--config")) {
      config_path = v;
      continue;
    }
    if (auto p = tool_option(argv, i, "--profile")) {  // the runtime's --profile: it must exist too
      profile_name = p;
      continue;
    }
    std::fprintf(stderr, "hardened-runtime validate: unknown argument '%s'\n%s", argv[i].c_str(), kValidateHelp);
    return 2;
  }
  auto config = load_host_config_for(config_path, system.getenv(kConfigEnv));
  if (!config) {
    out("error: " + config.error().message);
    return 1;
  }
  int problems = 0;
  out("ok: host config " + config->source);
  if (auto runc = locate_runc(*config, system.getenv("PATH"))) {
    out("ok: runc " + *runc);
  } else {
    out("error: " + runc.error().message);
    ++problems;
  }
  std::vector<std::string> names;
  if (DIR* dir = ::opendir(config->profiles_dir.c_str())) {
    while (const dirent* entry = ::readdir(dir)) {
      const std::string file = entry->d_name;
      if (file.size() > 5 && file.ends_with(".json") && file.front() != '.') names.push_back(file.substr(0, file.size() - 5));
    }
    ::closedir(dir);
  } else {
    out("error: cannot read profiles_dir " + config->profiles_dir + ": " + std::strerror(errno));
    return 1;
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    auto profile = load_profile(*config, name);
    if (!profile) {
      out("error: " + profile.error().message);
      ++problems;
      continue;
    }
    // A Docker-format filter is compiled as resolved for the most a container can keep: the allow-list.
    const json filter = profile->seccomp_docker_format
                            ? resolve_docker_seccomp(profile->seccomp, profile->capabilities_allow, observe_host(json::object()).kernel)
                            : profile->seccomp;
    if (auto compiled = compile_seccomp(filter); !compiled) {
      out("error: profile '" + name + "': seccomp: " + compiled.error().message);
      ++problems;
    } else {
      out("ok: profile '" + name + "'" + (profile->mode ? " (mode " + std::string(mode_name(*profile->mode)) + ")" : ""));
      // Keys added in a later version (or left out on purpose) are not errors; the admin sees which.
      if (!profile->defaulted.empty()) {
        std::string keys;
        for (const auto& key : profile->defaulted) keys += (keys.empty() ? "" : ", ") + key;
        out("  keys from the built-in default profile: " + keys);
      }
    }
  }
  // Every profile the host config names must exist.
  std::vector<std::pair<std::string, std::string>> named{{config->default_profile, "the default profile"}};
  if (profile_name) named.emplace_back(*profile_name, "--profile");
  for (const auto& n : config->annotation_profiles) named.emplace_back(n, "annotation_profiles");
  for (std::size_t i = 0; i < config->rules.size(); ++i) named.emplace_back(config->rules[i].profile, "rules[" + std::to_string(i) + "]");
  for (const auto& [profile, where] : named) {
    if (std::find(names.begin(), names.end(), profile) == names.end()) {
      out("error: " + where + " names profile '" + profile + "', which is not in " + config->profiles_dir);
      ++problems;
    }
  }
  out(std::string("mode: ") + std::string(mode_name(config->mode)) + " (host-wide; a profile's own mode overrides it)");
  return problems == 0 ? 0 : 1;
}

int explain(const std::vector<std::string>& argv, System& system) {
  std::optional<std::string> config_path, profile_name, file;
  std::string container_id;
  bool as_json = false;
  for (std::size_t i = 2; i < argv.size(); ++i) {
    if (argv[i] == "--help" || argv[i] == "-h") return std::fputs(kExplainHelp, stdout), 0;
    if (argv[i] == "--json") {
      as_json = true;
    } else if (auto c = tool_option(argv, i, "--config")) {
      config_path = c;
    } else if (auto p = tool_option(argv, i, "--profile")) {
      profile_name = p;
    } else if (auto b = tool_option(argv, i, "--bundle")) {
      file = *b + "/config.json";
    } else if (auto id = tool_option(argv, i, "--id")) {
      container_id = *id;
    } else if (!argv[i].starts_with("-") && !file) {
      file = argv[i];
    } else {
      std::fprintf(stderr, "hardened-runtime explain: unknown argument '%s'\n%s", argv[i].c_str(), kExplainHelp);
      return 2;
    }
  }
  if (!file) return std::fputs(kExplainHelp, stderr), 2;
  auto config = load_host_config_for(config_path, system.getenv(kConfigEnv));
  if (!config) return std::fprintf(stderr, "hardened-runtime explain: %s\n", config.error().message.c_str()), 1;
  auto plan = plan_bundle(*file, *config, profile_name, container_id);
  if (!plan) return std::fprintf(stderr, "hardened-runtime explain: %s\n", plan.error().message.c_str()), 1;
  const Hardened& decision = plan->decision;
  const bool enforce = plan->mode == Mode::enforce;
  const bool refused = !decision.denials.empty();

  json report = json::object();
  report["file"] = *file;
  report["profile"] = plan->selection.profile;
  report["selected_by"] = plan->selection.why;
  report["mode"] = std::string(mode_name(plan->mode));
  report["would_start"] = !refused || !enforce;
  report["changes"] = json(decision.changes);
  report["denials"] = json(decision.denials);
  report["warnings"] = json(decision.warnings);
  report["relaxations"] = plan->relaxations;
  if (as_json) {
    out(report.dump(2));
  } else {
    out(*file + " under profile '" + plan->selection.profile + "' (chosen by " + plan->selection.why + "), mode " +
        std::string(mode_name(plan->mode)) + ":");
    if (!enforce) out("  audit mode: the container runs exactly as asked; in enforce mode:");
    const std::string indent = enforce ? "  " : "    ";
    out(indent + (refused ? "it would be refused:" : decision.changes.empty() ? "it is already hardened: nothing would change"
                                                                              : "it would start, with these changes:"));
    for (const auto& d : decision.denials) out(indent + "  " + d.message);
    if (refused && !decision.changes.empty()) out(indent + "and, were it not refused, these changes:");
    for (const auto& c : decision.changes) out(indent + "  " + c.rule + ": " + c.detail);
    for (const auto& r : plan->relaxations) out(indent + "relaxed: " + r);
    for (const auto& w : decision.warnings) out(indent + "warning: " + w.message);
  }
  return report["would_start"].get<bool>() ? 0 : 1;
}

int configure_docker(const std::vector<std::string>& argv) {
  DockerRegistration registration;
  std::string file = "/etc/docker/daemon.json";
  bool lockdown = false;
  std::string systemd_dir = "/etc/systemd/system";
  std::optional<std::string> lockdown_dir;
  for (std::size_t i = 3; i < argv.size(); ++i) {
    if (argv[i] == "--help" || argv[i] == "-h") return std::fputs(kConfigureHelp, stdout), 0;
    if (argv[i] == "--default") {
      registration.make_default = true;
    } else if (argv[i] == "--remove") {
      registration.remove = true;
    } else if (auto name = tool_option(argv, i, "--name")) {
      registration.name = *name;
    } else if (auto profile = tool_option(argv, i, "--profile")) {
      if (!is_valid_profile_name(*profile)) {
        std::fprintf(stderr, "hardened-runtime configure: '%s' is not a valid profile name\n", profile->c_str());
        return 2;
      }
      registration.profile = *profile;
    } else if (auto config = tool_option(argv, i, "--config")) {
      if (config->empty() || config->front() != '/') {
        std::fprintf(stderr, "hardened-runtime configure: --config needs an absolute path (dockerd runs the runtime from its own directory)\n");
        return 2;
      }
      registration.config = *config;
    } else if (auto path = tool_option(argv, i, "--config-file")) {
      file = *path;
    } else if (argv[i] == "--lockdown") {
      lockdown = true;
    } else if (auto dir = tool_option(argv, i, "--systemd-dir")) {
      systemd_dir = *dir;
    } else if (auto ldir = tool_option(argv, i, "--lockdown-dir")) {
      lockdown_dir = *ldir;
    } else {
      std::fprintf(stderr, "hardened-runtime configure: unknown argument '%s'\n%s", argv[i].c_str(), kConfigureHelp);
      return 2;
    }
  }
  char self[PATH_MAX];
  if (::realpath("/proc/self/exe", self) == nullptr) {
    std::fprintf(stderr, "hardened-runtime configure: cannot find this binary's path: %s\n", std::strerror(errno));
    return 1;
  }
  registration.binary = self;

  JsonFile current{json::object(), "", 0644, ::geteuid(), ::getegid()};
  struct stat st {};
  const bool exists = ::stat(file.c_str(), &st) == 0;
  if (exists) {
    auto read = read_json_file(file);
    if (!read) {
      std::fprintf(stderr, "hardened-runtime configure: %s; the file was left as it is\n", read.error().message.c_str());
      return 1;
    }
    current = std::move(*read);
  }
  auto updated = apply_docker_registration(current.document, registration);
  if (!updated) {
    std::fprintf(stderr, "hardened-runtime configure: %s: %s; the file was left as it is\n", file.c_str(), updated.error().message.c_str());
    return 1;
  }
  if (lockdown) {
    // Both layouts: dockerd's own containerd inherits dockerd's PATH; Debian's separate
    // containerd.service (dockerd --containerd=/run/containerd/containerd.sock) has its own.
    auto done = apply_lockdown("", lockdown_dir.value_or(default_lockdown_dir(registration.binary)), registration.binary,
                               {systemd_dir + "/docker.service.d", systemd_dir + "/containerd.service.d"}, registration.remove);
    if (!done) {
      std::fprintf(stderr, "hardened-runtime configure: %s\n", done.error().message.c_str());
      return 1;
    }
    if (*done) out("apply the lockdown: systemctl daemon-reload && systemctl restart containerd docker   (PATH is fixed when they start)");
  }
  if (exists && *updated == current.document) {
    out(file + " already says so; nothing changed");
    return 0;
  }
  if (exists) {
    if (auto ok = replace_file_atomically(file + ".bak", current.text, current); !ok) {
      std::fprintf(stderr, "hardened-runtime configure: cannot keep a backup: %s\n", ok.error().message.c_str());
      return 1;
    }
  }
  if (auto ok = replace_file_atomically(file, updated->dump(2) + "\n", current); !ok) {
    std::fprintf(stderr, "hardened-runtime configure: %s\n", ok.error().message.c_str());
    return 1;
  }
  out((registration.remove ? "removed runtime '" : "registered runtime '") + registration.name + "' in " + file +
      (exists ? " (previous version: " + file + ".bak)" : ""));
  out("apply it without restarting dockerd: kill -HUP $(pidof dockerd)   (or: systemctl reload docker)");
  out("dockerd reloads \"runtimes\" and \"default-runtime\" on SIGHUP; running containers keep their runtime");
  return 0;
}

}  // namespace

std::optional<std::string> tool_option(const std::vector<std::string>& argv, std::size_t& i, const std::string& flag) {
  if (argv[i] == flag && i + 1 < argv.size()) return argv[++i];
  if (argv[i].starts_with(flag + "=")) return argv[i].substr(flag.size() + 1);
  return std::nullopt;
}

HARDENED_EARLY_PATH bool is_tool_name(std::string_view first_word) {
  return first_word == "validate" || first_word == "explain" || first_word == "configure" || first_word == "audit" ||
         first_word == "manual" || first_word == "unstage";
}

namespace {

// Where the tool's name is: after any global flags (`hardened-runtime --config F validate`, as a
// wrapper that always passes --config writes it); argv.size() when it is not a tool command.
std::size_t tool_index(const std::vector<std::string>& argv) {
  const std::vector<std::string_view> words(argv.begin(), argv.end());
  const GlobalFlags globals = read_global_flags(words);
  if (globals.stop != GlobalFlags::Stop::none || globals.end != globals.subcommand_index) return argv.size();
  return globals.subcommand_index < argv.size() && is_tool_name(argv[globals.subcommand_index]) ? globals.subcommand_index : argv.size();
}

}  // namespace

bool is_tool_command(const std::vector<std::string>& argv) { return tool_index(argv) < argv.size(); }

std::vector<std::string> tool_words(const std::vector<std::string>& argv) {
  const std::size_t at = tool_index(argv);
  if (at >= argv.size() || at == 1) return argv;
  // The global flags go after the tool's own words (after "docker" for configure), where it reads them.
  const std::size_t keep = argv[at] == "configure" && at + 1 < argv.size() ? at + 2 : at + 1;
  std::vector<std::string> out{argv.front()};
  out.insert(out.end(), argv.begin() + static_cast<std::ptrdiff_t>(at), argv.begin() + static_cast<std::ptrdiff_t>(keep));
  out.insert(out.end(), argv.begin() + 1, argv.begin() + static_cast<std::ptrdiff_t>(at));
  out.insert(out.end(), argv.begin() + static_cast<std::ptrdiff_t>(keep), argv.end());
  return out;
}

namespace {

int run_tool_checked(const std::vector<std::string>& original, System& system) {
  const std::vector<std::string> argv = tool_words(original);
  if (argv[1] == "validate") return validate(argv, system);
  if (argv[1] == "explain") return explain(argv, system);
  if (argv[1] == "audit") return audit_containers(argv, system);
  if (argv[1] == "manual") return print_manual(system);
  if (argv[1] == kUnstageTool) {
    // The createRuntime hook of a staged container (stage.hpp): only a stage directory is ever touched.
    if (argv.size() != 3 || argv[2].find("/stages/") == std::string::npos || argv[2].find("/../") != std::string::npos) return 2;
    unstage(argv[2]);
    return 0;
  }
  if (argv.size() > 2 && argv[2] == "docker") return configure_docker(argv);
  if (argv.size() > 2 && argv[2] == "containerd") return configure_containerd(argv);
  if (argv.size() > 2 && argv[2] == "podman") return configure_podman(argv);
  std::fputs(kConfigureHelp, stderr);
  return 2;
}

}  // namespace

int run_tool(const std::vector<std::string>& original, System& system) {
  // As at the runtime's boundary: an exception from a library or a check is an error with a message,
  // never an abort (explain once died on a namespace type that was a number).
  try {
    return run_tool_checked(original, system);
  } catch (const std::exception& e) {
    system.print_error(std::string("hardened-runtime: unexpected error: ") + e.what());
    return 1;
  }
}

}  // namespace hardened
