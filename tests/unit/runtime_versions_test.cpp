// Every flag of every subcommand of runc 1.1, 1.2, 1.3 and crun 1.8.1 (Debian 12) and 1.29, written
// here from their sources independently of src/cli/flag_tables.hpp, parsed in each form the runtime
// accepts: what hardened-runtime reads must be what the runtime reads.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "hardened/invocation.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

using test::words;

// A subcommand's flags as "name" (boolean) or "name=" (takes a value), "/x" for a one-letter alias:
// "bundle=/b detach/d".
struct Subcommand {
  std::string name;
  std::string flags;
};

struct Version {
  std::string name;
  bool crun;  // argp: no "-name" form, no "-x=value"
  std::string global;
  std::vector<Subcommand> subcommands;
};

void PrintTo(const Version& v, std::ostream* os) { *os << v.name; }

const std::string kRuncCheckpoint =
    "image-path= work-path= parent-path= leave-running tcp-established ext-unix-sk shell-job lazy-pages status-fd= "
    "page-server= file-locks pre-dump manage-cgroups-mode= empty-ns= auto-dedup";
const std::string kRuncRestore =
    "console-socket= image-path= work-path= tcp-established ext-unix-sk shell-job file-locks manage-cgroups-mode= bundle=/b "
    "detach/d pid-file= no-subreaper no-pivot empty-ns= auto-dedup lazy-pages lsm-profile= lsm-mount-context=";
const std::string kRuncUpdate =
    "resources=/r blkio-weight= cpu-period= cpu-quota= cpu-share= cpu-rt-period= cpu-rt-runtime= cpuset-cpus= cpuset-mems= "
    "kernel-memory= kernel-memory-tcp= memory= memory-reservation= memory-swap= pids-limit= l3-cache-schema= mem-bw-schema=";
const std::string kRuncExec =
    "console-socket= cwd= env=/e tty/t user=/u additional-gids=/g process=/p detach/d pid-file= process-label= apparmor= "
    "no-new-privs cap=/c preserve-fds= cgroup= ignore-paused";
const std::string kRuncGlobal = "debug log= log-format= root= criu= systemd-cgroup rootless=";
const std::vector<Subcommand> kRuncCommon{
    {"delete", "force/f"}, {"events", "interval= stats"},   {"kill", "all/a"},   {"list", "format=/f quiet/q"},
    {"ps", "format=/f"},   {"spec", "bundle=/b rootless"}, {"pause", ""},       {"resume", ""},
    {"start", ""},         {"state", ""},                  {"features", ""},
};

std::vector<Subcommand> runc(const std::string& pidfd, const std::string& update, const std::string& checkpoint) {
  std::vector<Subcommand> out{
      {"create", "bundle=/b console-socket= pid-file= no-pivot no-new-keyring preserve-fds=" + pidfd},
      {"run", "bundle=/b console-socket= detach/d keep pid-file= no-subreaper no-pivot no-new-keyring preserve-fds=" + pidfd},
      {"exec", kRuncExec + pidfd},
      {"update", kRuncUpdate + update},
      {"checkpoint", kRuncCheckpoint + checkpoint},
      {"restore", kRuncRestore},
  };
  out.insert(out.end(), kRuncCommon.begin(), kRuncCommon.end());
  return out;
}

const std::string kCrunUpdate =
    "resources=/r blkio-weight= cpu-period= cpu-quota= cpu-share= cpu-rt-period= cpu-rt-runtime= cpuset-cpus= cpuset-mems= "
    "kernel-memory= kernel-memory-tcp= memory= memory-reservation= memory-swap= pids-limit=";
const std::string kCrunExec =
    "console-socket= tty/t process=/p cwd= cgroup= detach/d user=/u env=/e cap=/c pid-file= preserve-fds= no-new-privs "
    "process-label= apparmor=";
const std::string kCrunCheckpoint =
    "image-path= work-path= leave-running tcp-established ext-unix-sk shell-job file-locks parent-path= pre-dump manage-cgroups-mode=";
const std::string kCrunRestore =
    "bundle=/b image-path= work-path= tcp-established ext-unix-sk shell-job detach/d pid-file= console-socket= file-locks "
    "manage-cgroups-mode=";
const std::vector<Subcommand> kCrunCommon{
    {"delete", "force/f regex/r"}, {"kill", "all/a regex/r"}, {"list", "quiet/q format=/f"}, {"ps", "format=/f"},
    {"spec", "bundle=/b file=/f rootless"}, {"pause", ""}, {"resume", ""}, {"start", ""}, {"state", ""},
};

std::vector<Subcommand> crun(std::vector<Subcommand> own) {
  own.insert(own.end(), kCrunCommon.begin(), kCrunCommon.end());
  return own;
}

const std::string kCrunGlobal = "debug cgroup-manager= systemd-cgroup log= log-format= root= rootless= version/v";

const std::vector<Version> kVersions{
    {"runc 1.1", false, kRuncGlobal, runc("", "", "")},
    {"runc 1.2", false, kRuncGlobal, runc(" pidfd-socket=", " cpu-burst= cpu-idle=", "")},
    {"runc 1.3", false, kRuncGlobal, runc(" pidfd-socket=", " cpu-burst= cpu-idle=", " tcp-skip-in-flight link-remap")},
    {"crun 1.8.1", true, kCrunGlobal,
     crun({{"create", "bundle=/b config=/f console-socket= preserve-fds= no-pivot pid-file= no-subreaper no-new-keyring"},
      {"run", "bundle=/b config=/f detach/d console-socket= preserve-fds= pid-file= no-subreaper no-new-keyring no-pivot"},
      {"exec", kCrunExec},
      {"update", kCrunUpdate},
      {"checkpoint", kCrunCheckpoint},
      {"restore", kCrunRestore}})},
    {"crun 1.29", true, kCrunGlobal + " log-level=",
     crun({{"create", "bundle=/b config=/f console-socket= preserve-fds= no-pivot pid-file= no-subreaper no-new-keyring"},
      {"run", "bundle=/b config=/f detach/d console-socket= preserve-fds= pid-file= keep no-subreaper no-new-keyring no-pivot"},
      {"exec", kCrunExec},
      {"update", kCrunUpdate + " l3-cache-schema= mem-bw-schema="},
      {"checkpoint", kCrunCheckpoint + " network-lock"},
      {"restore", kCrunRestore + " tcp-close network-lock lsm-profile= lsm-mount-context="},
      {"features", ""},
      {"mounts", ""}})},
};

// The calls hardened-runtime rewrites, and crun's one-letter options there that take a value and whose
// word reaches crun as written (create/run's bundle and config): "-bundle" or "-b=x" would be read by
// crun as -b with "undle" or "=x", so hardened-runtime refuses those forms.
const std::map<std::string, std::string> kCrunLetters{{"create", "bf"}, {"run", "bf"}, {"exec", ""}, {"update", ""}};

struct Flag {
  std::string name;
  bool value;
  std::string alias;
};

std::vector<Flag> flags_of(const std::string& text) {
  std::vector<Flag> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) {
    Flag flag;
    const auto slash = word.find('/');
    if (slash != std::string::npos) {
      flag.alias = word.substr(slash + 1);
      word.resize(slash);
    }
    flag.value = word.ends_with('=');
    if (flag.value) word.pop_back();
    flag.name = word;
    out.push_back(flag);
  }
  return out;
}

bool rewritten(const std::string& sub) { return kCrunLetters.count(sub) != 0; }

// The forms of one flag as the runtime accepts them, each with whether hardened-runtime must refuse it
// as ambiguous between runc and crun.
std::vector<std::pair<std::vector<std::string>, bool>> forms(const Flag& flag, const std::string& sub, bool crun) {
  const std::string letters = rewritten(sub) ? kCrunLetters.at(sub) : "";
  const auto ambiguous = [&](const std::string& word) {  // "-name" or "-x=v" starting with one of crun's letters
    return word.size() > 2 && word[1] != '-' && letters.find(word[1]) != std::string::npos;
  };
  std::vector<std::vector<std::string>> all;
  if (flag.value) {
    all.push_back({"--" + flag.name + "=V"});
    all.push_back({"--" + flag.name, "V"});
    if (!crun) all.push_back({"-" + flag.name, "V"});
    if (!crun) all.push_back({"-" + flag.name + "=V"});
    if (!flag.alias.empty()) all.push_back({"-" + flag.alias, "V"});
    if (!flag.alias.empty() && !crun) all.push_back({"-" + flag.alias + "=V"});
  } else {
    all.push_back({"--" + flag.name});
    all.push_back({"--" + flag.name + "=true"});  // runc's boolean form; crun's --tty[=VALUE]
    if (!crun) all.push_back({"-" + flag.name});
    if (!flag.alias.empty()) all.push_back({"-" + flag.alias});
  }
  std::vector<std::pair<std::vector<std::string>, bool>> out;
  for (auto& words : all) {
    if (crun && !flag.value && words[0].find('=') != std::string::npos && flag.name != "tty") continue;  // argp: no "=" on a switch
    out.emplace_back(words, ambiguous(words[0]));
  }
  return out;
}

class RuntimeVersions : public ::testing::TestWithParam<Version> {};

TEST_P(RuntimeVersions, EverySubcommandFlagParsesInEveryForm) {
  const Version& version = GetParam();
  int checked = 0;
  for (const Subcommand& sub : version.subcommands) {
    for (const Flag& flag : flags_of(sub.flags)) {
      for (const auto& [flag_words, ambiguous] : forms(flag, sub.name, version.crun)) {
        std::vector<std::string> argv{"hardened-runtime", sub.name};
        argv.insert(argv.end(), flag_words.begin(), flag_words.end());
        argv.push_back("cid");
        const std::string line = sub.name + " " + flag_words[0] + (flag_words.size() > 1 ? " V" : "") + " cid";
        auto inv = parse_invocation(argv);
        if (ambiguous) {
          ASSERT_FALSE(inv) << version.name << ": " << line;
          EXPECT_NE(inv.error().message.find("ambiguous flag '" + flag_words[0] + "'"), std::string::npos) << inv.error().message;
          continue;
        }
        ASSERT_TRUE(inv) << version.name << ": " << line << ": " << inv.error().message;
        EXPECT_EQ(inv->argv, argv) << line;
        EXPECT_EQ(inv->container_id(), "cid") << version.name << ": " << line << " (the value was read as a flag's, or not)";
        const FlagUse* use = inv->flag(flag.name);
        ASSERT_NE(use, nullptr) << version.name << ": " << line;
        if (flag.value) {
          EXPECT_EQ(use->value, "V") << line;
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100);
}

TEST_P(RuntimeVersions, EveryGlobalFlagParsesInEveryForm) {
  const Version& version = GetParam();
  for (const Flag& flag : flags_of(version.global)) {
    for (const auto& [flag_words, ambiguous] : forms(flag, "state", version.crun)) {
      std::vector<std::string> argv{"hardened-runtime"};
      argv.insert(argv.end(), flag_words.begin(), flag_words.end());
      argv.insert(argv.end(), {"state", "cid"});
      auto inv = parse_invocation(argv);
      ASSERT_TRUE(inv) << version.name << ": " << flag_words[0] << ": " << inv.error().message;
      EXPECT_EQ(inv->subcommand, "state") << flag_words[0];
      EXPECT_EQ(inv->container_id(), "cid") << flag_words[0];
      EXPECT_EQ(inv->argv, argv);
    }
  }
}

TEST_P(RuntimeVersions, HelpOfEverySubcommandIsAPassThrough) {
  for (const Subcommand& sub : GetParam().subcommands) {
    for (const char* help : {"--help", "-h", "-help", "-?", "--usage"}) {
      auto inv = parse_invocation(words(sub.name + " " + help));
      ASSERT_TRUE(inv) << sub.name << " " << help;
      EXPECT_EQ(inv->command, Command::passthrough) << sub.name << " " << help;
    }
  }
}

TEST_P(RuntimeVersions, AnUnknownFlagPassesThroughExceptOnCreateRunExecUpdate) {
  for (const Subcommand& sub : GetParam().subcommands) {
    const auto argv = words(sub.name + " --frobnicate x cid");
    auto inv = parse_invocation(argv);
    if (rewritten(sub.name)) {
      ASSERT_FALSE(inv) << sub.name;
      const std::string& message = inv.error().message;
      EXPECT_NE(message.find("unknown " + sub.name + " flag '--frobnicate'"), std::string::npos) << message;
      EXPECT_NE(message.find("runc 1.1–1.3 and crun"), std::string::npos) << message;
      continue;
    }
    ASSERT_TRUE(inv) << sub.name << ": " << inv.error().message;
    EXPECT_EQ(inv->argv, argv) << "passed through unchanged";
    EXPECT_NE(inv->command, Command::create);
    EXPECT_NE(inv->command, Command::exec);
  }
}

INSTANTIATE_TEST_SUITE_P(RuncAndCrun, RuntimeVersions, ::testing::ValuesIn(kVersions),
                         [](const ::testing::TestParamInfo<Version>& param) {
                           std::string name = param.param.name;
                           for (char& c : name) {
                             if (c == ' ' || c == '.') c = '_';
                           }
                           return name;
                         });

TEST(RuntimeVersions, AnUnknownSubcommandAndItsFlagsPassThrough) {
  const auto argv = words("--root /r frobnicate --whatever -x cid");
  auto inv = parse_invocation(argv);
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->command, Command::passthrough);
  EXPECT_EQ(inv->argv, argv);
}

TEST(RuntimeVersions, CrunsMountsIsRefusedWholeUnlessItIsHelp) {
  EXPECT_EQ(parse_invocation(words("mounts add cid /m.json"))->command, Command::mounts);
  EXPECT_EQ(parse_invocation(words("restore -b /b cid"))->command, Command::restore);
  EXPECT_EQ(parse_invocation(words("mounts --help"))->command, Command::passthrough);
}

TEST(RuntimeVersions, CrunsGlobalCgroupManagerIsKept) {
  auto inv = parse_invocation(words("--cgroup-manager=disabled create -b /b cid"));
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->cgroup_manager, "disabled");
}

TEST(RuntimeVersions, AmbiguousOneDashFormsAreRefusedWhereTheyNameTheBundleOrTheSpec) {
  for (const char* line : {"create -bundle /b cid", "create -b=/b cid", "run -bundle=/b cid", "run -f=x cid", "create -f=x cid"}) {
    auto inv = parse_invocation(words(line));
    ASSERT_FALSE(inv) << line;
    EXPECT_NE(inv.error().message.find("ambiguous flag"), std::string::npos) << inv.error().message;
  }
  auto inv = parse_invocation(words("create -bundle /b cid"));
  EXPECT_NE(inv.error().message.find("write --bundle"), std::string::npos) << inv.error().message;
  // runc's own one-dash forms whose first letter crun does not use on that subcommand
  for (const char* line : {"create -pid-file /p -b /b cid", "run -detach cid", "exec -g=5 -additional-gids 6 cid sh", "exec -process /p cid sh",
                           "update -memory 1g cid", "update -r=/r cid", "spec -bundle /b", "delete -force cid"}) {
    EXPECT_TRUE(parse_invocation(words(line))) << line;
  }
}

}  // namespace
}  // namespace hardened
