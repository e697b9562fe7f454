// `hardened-runtime manual`: the reference page, in plain text. The man page hardened-runtime(8) is
// made from this output at build time (cmake/manual-to-man.sh), and each tool's part is printed by
// that tool's own --help, so the manual, the man page and --help cannot drift apart.
#include <cstdio>

#include "hardened/tools.hpp"

namespace hardened {
namespace {

constexpr const char* kHead =
    "NAME\n"
    "hardened-runtime - a drop-in for runc that hardens every container before runc starts it\n"
    "\n"
    "SYNOPSIS\n"
    "hardened-runtime [runc's global options] COMMAND [runc's options for COMMAND] [arguments]\n"
    "hardened-runtime validate | explain | audit | configure | manual [options]\n"
    "\n"
    "DESCRIPTION\n"
    "A container engine (dockerd, containerd, podman) runs hardened-runtime where it would run runc, with\n"
    "runc's own command line. For create and run it reads the bundle's config.json, applies the host's\n"
    "policy profile and replaces the file atomically before it execs the real runc: capabilities dropped,\n"
    "no_new_privs, a read-only root with noexec,nosuid,nodev writable mounts, a non-root identity, pids,\n"
    "memory and CPU ceilings, a seccomp filter and masked paths. What it cannot make safe (privileged,\n"
    "the host's namespaces, the engine's sockets, sensitive host paths) it refuses: exit status 1, the\n"
    "reason on stderr and, as one JSON line, in the file of runc's --log flag, which the engine shows to\n"
    "its user. exec and update are clamped the same way. Every other runc command and flag is passed to\n"
    "runc untouched, with runc's own path as argv[0].\n"
    "\n"
    "The commands below are hardened-runtime's own, for administrators; runc has none of these names.\n"
    "\n"
    "FILES\n"
    "/etc/hardened-runtime/config.json      the host config (every key optional): runtime, profiles_dir,\n"
    "                                       default_profile, log_file, mode, state_dir, rules\n"
    "/etc/hardened-runtime/profiles/*.json  the profiles: default, strict, web and the administrator's own\n"
    "/var/log/hardened-runtime.log          the audit trail, one JSON line per decision\n"
    "/run/hardened-runtime                  the creation records exec and update consult\n"
    "/run/hardened-runtime/seccomp          met seccomp filters, each under the exact texts it was met\n"
    "                                       from (root's, 0700; anything else there is ignored);\n"
    "                                       at most 256, the oldest removed first\n"
    "\n"
    "ENVIRONMENT\n"
    "HARDENED_RUNTIME_CONFIG  the host config to use when no --config is given\n"
    "\n"
    "EXIT STATUS\n"
    "runc's own for the commands passed to it; 1 when a container is refused or the policy cannot be\n"
    "loaded or applied; for the administrators' commands, as each one says below.\n"
    "\n"
    "COMMANDS\n";

constexpr const char* kTail =
    "\n"
    "SEE ALSO\n"
    "runc(8), dockerd(8), profiles.md in /usr/share/doc/hardened-runtime (the profiles' reference)\n";

}  // namespace

int print_manual(System& system) {
  std::fputs(kHead, stdout);
  const char* const tools[][3] = {{"validate"}, {"explain"}, {"audit"}, {"configure", "docker"}, {"configure", "containerd"},
                                  {"configure", "podman"}};
  for (const auto& tool : tools) {
    std::vector<std::string> argv{"hardened-runtime"};
    for (const char* word : tool) {
      if (word != nullptr) argv.emplace_back(word);
    }
    argv.emplace_back("--help");
    std::fputs("\n", stdout);
    run_tool(argv, system);
  }
  std::fputs(kTail, stdout);
  return 0;
}

}  // namespace hardened
