#pragma once
// The command lines of runc 1.1, 1.2 and 1.3 and of crun (Debian 12's 1.8.1 through 1.29), as data.
// Read from their sources (runc: main.go and <subcommand>.go, urfave/cli flags; crun: src/crun.c and
// src/<subcommand>.c, argp options) and written here as our own tables; docs/runtime-versions.md has
// the same facts for people. Each line says which runtimes know the flag, from which version when not
// from the oldest one covered, and whether it takes a value.
//
// How the two parsers read a word, and what we accept:
// - runc (urfave/cli v1): "--name" or "-name", a value as "=value" or as the next word; a one-letter
//   alias the same way ("-b /b", "-b=/b", "--b /b").
// - crun (glibc argp): "--name" with "=value" or the next word; a short option "-b /b" or "-b/b", and
//   short options clustered ("-dt"); unambiguous prefixes of long names ("--bund").
// We read the forms both understand alike. "-b/b", clusters and prefixes are unknown words (refused on
// a call we rewrite); "-bundle" and "-b=/b" mean --bundle to runc but -b with "undle" or "=/b" to crun,
// so on create and run they are refused as ambiguous (invocation.cpp).
#include <array>
#include <cstddef>
#include <string_view>

namespace hardened::flags {

enum Runtime : unsigned char { runc = 1, crun = 2, both = runc | crun };

struct FlagSpec {
  std::string_view name;     // canonical long name
  std::string_view letters;  // one-letter aliases, "" if none
  bool takes_value;
  unsigned char runtimes;    // Runtime bits: who knows it (crun's letters make "-name" ambiguous)
};

constexpr bool kValue = true;
constexpr bool kBool = false;

// Before the subcommand. Help and version are urfave/cli's and argp's own.
constexpr std::array kGlobal{
    FlagSpec{"debug", "", kBool, both},            // runc 1.1+, crun
    FlagSpec{"log", "", kValue, both},             // runc 1.1+, crun
    FlagSpec{"log-format", "", kValue, both},      // runc 1.1+, crun
    FlagSpec{"root", "", kValue, both},            // runc 1.1+, crun
    FlagSpec{"criu", "", kValue, runc},            // runc 1.1+ (hidden and ignored from 1.3)
    FlagSpec{"systemd-cgroup", "", kBool, both},   // runc 1.1+, crun
    FlagSpec{"rootless", "", kValue, both},        // runc 1.1+ (true|false|auto); crun ignores it (1.8 takes it as --root)
    FlagSpec{"cgroup-manager", "", kValue, crun},  // crun: systemd|cgroupfs|disabled ("disabled" is refused on create/run)
    FlagSpec{"log-level", "", kValue, crun},       // crun 1.17+
    FlagSpec{"help", "h", kBool, runc},            // runc 1.1+ (urfave/cli)
    FlagSpec{"help", "?", kBool, crun},            // crun (argp)
    FlagSpec{"usage", "", kBool, crun},            // crun (argp)
    FlagSpec{"version", "v", kBool, both},         // runc 1.1+, crun
    FlagSpec{"version", "V", kBool, crun},         // crun
    // our own: removed before the runtime sees argv
    FlagSpec{"config", "", kValue, both},
    FlagSpec{"profile", "", kValue, both},
};

// Every subcommand's table ends with these: help prints and does nothing else.
constexpr std::array kHelp{
    FlagSpec{"help", "h", kBool, runc},  // runc 1.1+ (urfave/cli)
    FlagSpec{"help", "?", kBool, crun},  // crun (argp)
    FlagSpec{"usage", "", kBool, crun},  // crun (argp)
};

template <std::size_t N>
constexpr std::array<FlagSpec, N + kHelp.size()> with_help(const std::array<FlagSpec, N>& own) {
  std::array<FlagSpec, N + kHelp.size()> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = own[i];
  for (std::size_t i = 0; i < kHelp.size(); ++i) out[N + i] = kHelp[i];
  return out;
}

constexpr auto kCreate = with_help(std::array{
    FlagSpec{"bundle", "b", kValue, both},          // runc 1.1+, crun
    FlagSpec{"console-socket", "", kValue, both},   // runc 1.1+, crun
    FlagSpec{"pid-file", "", kValue, both},         // runc 1.1+, crun
    FlagSpec{"no-pivot", "", kBool, both},          // runc 1.1+, crun
    FlagSpec{"no-new-keyring", "", kBool, both},    // runc 1.1+, crun
    FlagSpec{"preserve-fds", "", kValue, both},     // runc 1.1+, crun
    FlagSpec{"pidfd-socket", "", kValue, runc},     // runc 1.2+
    FlagSpec{"config", "f", kValue, crun},          // crun: the spec's file name (only the bundle's config.json passes)
    FlagSpec{"no-subreaper", "", kBool, crun},      // crun (ignored)
});

constexpr auto kRun = with_help(std::array{
    FlagSpec{"bundle", "b", kValue, both},          // runc 1.1+, crun
    FlagSpec{"console-socket", "", kValue, both},   // runc 1.1+, crun
    FlagSpec{"detach", "d", kBool, both},           // runc 1.1+, crun
    FlagSpec{"keep", "", kBool, both},              // runc 1.1+, crun 1.15+
    FlagSpec{"pid-file", "", kValue, both},         // runc 1.1+, crun
    FlagSpec{"no-subreaper", "", kBool, both},      // runc 1.1+, crun (ignored)
    FlagSpec{"no-pivot", "", kBool, both},          // runc 1.1+, crun
    FlagSpec{"no-new-keyring", "", kBool, both},    // runc 1.1+, crun
    FlagSpec{"preserve-fds", "", kValue, both},     // runc 1.1+, crun
    FlagSpec{"pidfd-socket", "", kValue, runc},     // runc 1.2+
    FlagSpec{"config", "f", kValue, crun},          // crun: as on create
});

constexpr auto kExec = with_help(std::array{
    FlagSpec{"console-socket", "", kValue, both},   // runc 1.1+, crun
    FlagSpec{"pidfd-socket", "", kValue, runc},     // runc 1.2+
    FlagSpec{"cwd", "", kValue, both},              // runc 1.1+, crun
    FlagSpec{"env", "e", kValue, both},             // runc 1.1+, crun (repeatable)
    FlagSpec{"tty", "t", kBool, both},              // runc 1.1+; crun takes an optional "=value", never the next word
    FlagSpec{"user", "u", kValue, both},            // runc 1.1+, crun: uid[:gid], judged (argv_rewrite.cpp)
    FlagSpec{"additional-gids", "g", kValue, runc}, // runc 1.1+ (repeatable): judged
    FlagSpec{"process", "p", kValue, both},         // runc 1.1+, crun: the process.json, hardened
    FlagSpec{"detach", "d", kBool, both},           // runc 1.1+, crun
    FlagSpec{"pid-file", "", kValue, both},         // runc 1.1+, crun
    FlagSpec{"process-label", "", kValue, both},    // runc 1.1+, crun: refused (flag_policy.cpp)
    FlagSpec{"apparmor", "", kValue, both},         // runc 1.1+, crun: refused (flag_policy.cpp)
    FlagSpec{"no-new-privs", "", kBool, both},      // runc 1.1+, crun: forced on by the profile
    FlagSpec{"cap", "c", kValue, both},             // runc 1.1+, crun (repeatable): the allow-list
    FlagSpec{"preserve-fds", "", kValue, both},     // runc 1.1+, crun
    FlagSpec{"cgroup", "", kValue, both},           // runc 1.1+, crun: a sub-cgroup; ".." is refused (flag_policy.cpp)
    FlagSpec{"ignore-paused", "", kBool, runc},     // runc 1.1+
});

constexpr auto kUpdate = with_help(std::array{
    FlagSpec{"resources", "r", kValue, both},       // runc 1.1+, crun: JSON, clamped
    FlagSpec{"blkio-weight", "", kValue, both},     // runc 1.1+, crun
    FlagSpec{"cpu-period", "", kValue, both},       // runc 1.1+, crun: clamped with the quota
    FlagSpec{"cpu-quota", "", kValue, both},        // runc 1.1+, crun: clamped
    FlagSpec{"cpu-burst", "", kValue, runc},        // runc 1.2+: clamped to 0
    FlagSpec{"cpu-share", "", kValue, both},        // runc 1.1+, crun
    FlagSpec{"cpu-rt-period", "", kValue, both},    // runc 1.1+, crun
    FlagSpec{"cpu-rt-runtime", "", kValue, both},   // runc 1.1+, crun
    FlagSpec{"cpuset-cpus", "", kValue, both},      // runc 1.1+, crun
    FlagSpec{"cpuset-mems", "", kValue, both},      // runc 1.1+, crun
    FlagSpec{"kernel-memory", "", kValue, both},    // runc 1.1+ (hidden; ignored from 1.2), crun
    FlagSpec{"kernel-memory-tcp", "", kValue, both},// runc 1.1+ (hidden; ignored from 1.2), crun
    FlagSpec{"memory", "", kValue, both},           // runc 1.1+, crun: clamped
    FlagSpec{"cpu-idle", "", kValue, runc},         // runc 1.2+
    FlagSpec{"memory-reservation", "", kValue, both}, // runc 1.1+, crun
    FlagSpec{"memory-swap", "", kValue, both},      // runc 1.1+, crun: clamped
    FlagSpec{"pids-limit", "", kValue, both},       // runc 1.1+, crun: clamped
    FlagSpec{"l3-cache-schema", "", kValue, both},  // runc 1.1+, crun 1.10+
    FlagSpec{"mem-bw-schema", "", kValue, both},    // runc 1.1+, crun 1.10+
});

// The calls passed through (or refused whole): read only to find the container id; an unknown flag
// there ends the reading and the call still goes to the runtime as it is.
constexpr auto kCheckpoint = with_help(std::array{
    FlagSpec{"image-path", "", kValue, both},          // runc 1.1+, crun
    FlagSpec{"work-path", "", kValue, both},           // runc 1.1+, crun
    FlagSpec{"parent-path", "", kValue, both},         // runc 1.1+, crun
    FlagSpec{"leave-running", "", kBool, both},        // runc 1.1+, crun
    FlagSpec{"tcp-established", "", kBool, both},      // runc 1.1+, crun
    FlagSpec{"tcp-skip-in-flight", "", kBool, runc},   // runc 1.3+
    FlagSpec{"link-remap", "", kBool, runc},           // runc 1.3+
    FlagSpec{"ext-unix-sk", "", kBool, both},          // runc 1.1+, crun
    FlagSpec{"shell-job", "", kBool, both},            // runc 1.1+, crun
    FlagSpec{"lazy-pages", "", kBool, runc},           // runc 1.1+
    FlagSpec{"status-fd", "", kValue, runc},           // runc 1.1+
    FlagSpec{"page-server", "", kValue, runc},         // runc 1.1+
    FlagSpec{"file-locks", "", kBool, both},           // runc 1.1+, crun
    FlagSpec{"pre-dump", "", kBool, both},             // runc 1.1+, crun
    FlagSpec{"manage-cgroups-mode", "", kValue, both}, // runc 1.1+, crun
    FlagSpec{"empty-ns", "", kValue, runc},            // runc 1.1+ (repeatable)
    FlagSpec{"auto-dedup", "", kBool, runc},           // runc 1.1+
    FlagSpec{"network-lock", "", kBool, crun},         // crun 1.20+
});

constexpr auto kRestore = with_help(std::array{
    FlagSpec{"console-socket", "", kValue, both},      // runc 1.1+, crun
    FlagSpec{"image-path", "", kValue, both},          // runc 1.1+, crun
    FlagSpec{"work-path", "", kValue, both},           // runc 1.1+, crun
    FlagSpec{"tcp-established", "", kBool, both},      // runc 1.1+, crun
    FlagSpec{"tcp-close", "", kBool, crun},            // crun 1.23+
    FlagSpec{"ext-unix-sk", "", kBool, both},          // runc 1.1+, crun
    FlagSpec{"shell-job", "", kBool, both},            // runc 1.1+, crun
    FlagSpec{"file-locks", "", kBool, both},           // runc 1.1+, crun
    FlagSpec{"manage-cgroups-mode", "", kValue, both}, // runc 1.1+, crun
    FlagSpec{"bundle", "b", kValue, both},             // runc 1.1+, crun
    FlagSpec{"detach", "d", kBool, both},              // runc 1.1+, crun
    FlagSpec{"pid-file", "", kValue, both},            // runc 1.1+, crun
    FlagSpec{"no-subreaper", "", kBool, runc},         // runc 1.1+
    FlagSpec{"no-pivot", "", kBool, runc},             // runc 1.1+
    FlagSpec{"empty-ns", "", kValue, runc},            // runc 1.1+ (repeatable)
    FlagSpec{"auto-dedup", "", kBool, runc},           // runc 1.1+
    FlagSpec{"lazy-pages", "", kBool, runc},           // runc 1.1+
    FlagSpec{"lsm-profile", "", kValue, both},         // runc 1.1+, crun 1.20+
    FlagSpec{"lsm-mount-context", "", kValue, both},   // runc 1.1+, crun 1.20+
    FlagSpec{"network-lock", "", kBool, crun},         // crun 1.20+
});

constexpr auto kDelete = with_help(std::array{
    FlagSpec{"force", "f", kBool, both},  // runc 1.1+, crun
    FlagSpec{"regex", "r", kBool, crun},  // crun: the id is a regular expression
});

constexpr auto kEvents = with_help(std::array{
    FlagSpec{"interval", "", kValue, runc},  // runc 1.1+ (crun has no events)
    FlagSpec{"stats", "", kBool, runc},      // runc 1.1+
});

constexpr auto kKill = with_help(std::array{
    FlagSpec{"all", "a", kBool, both},    // runc 1.1+ (hidden and ignored from 1.2), crun
    FlagSpec{"regex", "r", kBool, crun},  // crun
});

constexpr auto kList = with_help(std::array{
    FlagSpec{"format", "f", kValue, both},  // runc 1.1+, crun
    FlagSpec{"quiet", "q", kBool, both},    // runc 1.1+, crun
});

constexpr auto kPs = with_help(std::array{
    FlagSpec{"format", "f", kValue, both},  // runc 1.1+, crun
});

constexpr auto kSpec = with_help(std::array{
    FlagSpec{"bundle", "b", kValue, both},  // runc 1.1+, crun
    FlagSpec{"rootless", "", kBool, both},  // runc 1.1+, crun
    FlagSpec{"file", "f", kValue, crun},    // crun
});

// pause, resume, start, state, features (runc 1.1+, crun 1.8.6+) and crun's mounts (1.22+) have no
// flags but help; runc's init is its own re-exec, never called by a client.
constexpr auto kHelpOnly = kHelp;

}  // namespace hardened::flags
