#include "hardened/invocation.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "helpers.hpp"

namespace hardened {
namespace {

using test::words;

struct Case {
  std::string argv;
  Command command;
  std::string subcommand;
  std::string bundle;
  std::string container;
  std::optional<std::string> log;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.argv; }

class InvocationTable : public ::testing::TestWithParam<Case> {};

TEST_P(InvocationTable, ParsesLikeRunc) {
  const Case& c = GetParam();
  auto inv = parse_invocation(words(c.argv));
  ASSERT_TRUE(inv) << inv.error().message;
  EXPECT_EQ(inv->command, c.command);
  EXPECT_EQ(inv->subcommand, c.subcommand);
  EXPECT_EQ(inv->bundle(), c.bundle);
  EXPECT_EQ(inv->container_id(), c.container);
  EXPECT_EQ(inv->log_path, c.log);
  EXPECT_EQ(inv->argv, words(c.argv)) << "runc must receive argv unchanged";
}

INSTANTIATE_TEST_SUITE_P(
    Forms, InvocationTable,
    ::testing::Values(
        Case{"create --bundle /b id", Command::create, "create", "/b", "id", std::nullopt},
        Case{"create --bundle=/b id", Command::create, "create", "/b", "id", std::nullopt},
        Case{"create -b /b id", Command::create, "create", "/b", "id", std::nullopt},
        Case{"create id", Command::create, "create", "", "id", std::nullopt},
        Case{"run -detach -b /b id", Command::run, "run", "/b", "id", std::nullopt},  // crun: -d -e... (an error), never another bundle
        Case{"create id --bundle /late", Command::create, "create", "/late", "id", std::nullopt},
        Case{"--root /r --log /l.json --log-format json create --bundle /b --pid-file /p id", Command::create, "create", "/b", "id", "/l.json"},
        Case{"--root=/r --log=/l.json --log-format=json run -b /b -d id", Command::run, "run", "/b", "id", "/l.json"},
        Case{"-root /r -log /l create --console-socket /s -b /b id", Command::create, "create", "/b", "id", "/l"},
        Case{"--debug --systemd-cgroup --rootless false --criu /c create -b /b id", Command::create, "create", "/b", "id", std::nullopt},
        Case{"--debug=true create --no-pivot --no-new-keyring --preserve-fds 2 -b /b id", Command::create, "create", "/b", "id", std::nullopt},
        // a global flag's value that looks like a subcommand is not the subcommand
        Case{"--root create --log exec state id", Command::passthrough, "state", "", "id", "exec"},
        Case{"--root /r delete --force id", Command::passthrough, "delete", "", "id", std::nullopt},
        Case{"state id", Command::passthrough, "state", "", "id", std::nullopt},
        Case{"ps --format json id", Command::passthrough, "ps", "", "id", std::nullopt},
        Case{"delete --unknown-flag x id", Command::passthrough, "delete", "", "", std::nullopt},  // reading stops; argv unchanged
        Case{"create --help", Command::passthrough, "create", "", "", std::nullopt},
        Case{"create --help=true -b /b id", Command::passthrough, "create", "", "", std::nullopt},
        // urfave/cli reads a boolean's value: runc does these calls, so they are judged
        Case{"create --help=false -b /b id", Command::create, "create", "/b", "id", std::nullopt},
        Case{"run -d -b /b id -h=0", Command::run, "run", "/b", "id", std::nullopt},
        Case{"exec --help=False -u 0 id sh", Command::exec, "exec", "", "id", std::nullopt},
        Case{"update -help=f --pids-limit 100000 id", Command::update, "update", "", "id", std::nullopt},
        // the last use of a flag wins
        Case{"create --help --help=false -b /b id", Command::create, "create", "/b", "id", std::nullopt},
        Case{"create -b /b id -h=true -h=F", Command::create, "create", "/b", "id", std::nullopt},
        Case{"exec --help=1 --help=0 -u 0 id sh", Command::exec, "exec", "", "id", std::nullopt},
        Case{"create --help=false --help -b /b id", Command::passthrough, "create", "", "", std::nullopt},
        Case{"restore --help --help=false --image-path /i -b /b id", Command::restore, "restore", "/b", "id", std::nullopt},
        Case{"restore --help", Command::passthrough, "restore", "", "", std::nullopt},
        // a help word that is a flag's value is no help: runc restores
        Case{"restore --pid-file -h --image-path /i -b /b id", Command::restore, "restore", "/b", "id", std::nullopt},
        Case{"restore --image-path --help -b /b id", Command::restore, "restore", "/b", "id", std::nullopt},
        Case{"--version", Command::passthrough, "", "", "", std::nullopt},
        Case{"", Command::passthrough, "", "", "", std::nullopt},
        Case{"exec --user 0 id sh -c 'x'", Command::exec, "exec", "", "id", std::nullopt},
        Case{"exec -p /p.json --detach id", Command::exec, "exec", "", "id", std::nullopt},
        Case{"update --resources - id", Command::update, "update", "", "id", std::nullopt},
        Case{"update id --memory 4g", Command::update, "update", "", "id", std::nullopt},
        Case{"restore --image-path /i -b /b id", Command::restore, "restore", "/b", "id", std::nullopt}));

TEST(Invocation, OurOwnOptionsAreRemovedBeforeRunc) {
  auto inv = parse_invocation(words("--config /etc/x.json --root /r --profile=web create -b /b id"));
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->config_path, "/etc/x.json");
  EXPECT_EQ(inv->profile, "web");
  EXPECT_EQ(inv->argv, words("--root /r create -b /b id"));
  EXPECT_EQ(inv->argv[inv->subcommand_index], "create");
}

TEST(Invocation, ALinkNamedHardenedRuntimeProfileSelectsIt) {  // containerd's BinaryName takes no arguments
  std::vector<std::string> argv{"/usr/local/bin/hardened-runtime-strict", "--root", "/r", "create", "-b", "/b", "id"};
  auto inv = parse_invocation(argv);
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->profile, "strict");
  EXPECT_EQ(inv->argv, argv);  // runc sees the same words
  argv.insert(argv.begin() + 1, "--profile=web");
  EXPECT_EQ(parse_invocation(argv)->profile, "web");  // an explicit --profile wins
  EXPECT_EQ(profile_of_link_name("/usr/local/bin/hardened-runtime"), std::nullopt);
  EXPECT_EQ(profile_of_link_name("hardened-runtime-"), std::nullopt);
  EXPECT_EQ(profile_of_link_name("runc"), std::nullopt);
  EXPECT_EQ(profile_of_link_name("hardened-runtime-web"), "web");
}

TEST(Invocation, ExecStopsReadingFlagsAtTheContainerId) {
  auto inv = parse_invocation(words("exec -u 1000 id sh --user 0 --cap CAP_SYS_ADMIN"));
  ASSERT_TRUE(inv);
  ASSERT_NE(inv->flag("user"), nullptr);
  EXPECT_EQ(*inv->flag("user")->value, "1000");
  EXPECT_EQ(inv->flag("cap"), nullptr) << "flags after the command belong to the command";
}

TEST(Invocation, DoubleDashEndsFlags) {
  auto inv = parse_invocation(words("create -- --bundle"));
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->bundle(), "");
  EXPECT_EQ(inv->container_id(), "--bundle");
}

TEST(Invocation, RefusesWhatItCannotParseSafely) {
  for (const char* line : {"--unknown-global create id", "create --new-flag -b /b id", "create -b", "--log"}) {
    auto inv = parse_invocation(words(line));
    EXPECT_FALSE(inv) << line;
  }
}

TEST(Invocation, LogTargetIsFoundEvenWhenTheRestFails) {
  const auto argv = words("--log /l.json --log-format=json create --bogus id");
  EXPECT_FALSE(parse_invocation(argv));
  const LogTarget target = find_log_target(argv);
  EXPECT_EQ(target.path, "/l.json");
  EXPECT_EQ(target.format, "json");
}

// Every line of the argv dockerd 20.10's shim really passed.
TEST(Invocation, DockerShimArgv) {
  std::istringstream lines(test::slurp(std::filesystem::path(test::kFixturesDir) / "argv.txt"));
  int parsed = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() == '#') continue;
    for (auto [from, to] : {std::pair<std::string, std::string>{"$TASKDIR", "/run/task/x"}, {"$ID", "cid"}}) {
      for (auto at = line.find(from); at != std::string::npos; at = line.find(from)) line.replace(at, from.size(), to);
    }
    auto inv = parse_invocation(words(line));
    ASSERT_TRUE(inv) << line << ": " << inv.error().message;
    EXPECT_EQ(inv->argv, words(line));
    EXPECT_EQ(inv->log_format, "json");
    ASSERT_TRUE(inv->log_path);
    if (inv->subcommand == "create") {
      EXPECT_EQ(inv->command, Command::create);
      EXPECT_EQ(inv->bundle(), "/run/task/x");
      EXPECT_EQ(inv->container_id(), "cid");
    } else if (inv->subcommand == "exec") {
      EXPECT_EQ(inv->command, Command::exec);
      EXPECT_EQ(*inv->flag("process")->value, "/tmp/runc-process176634729");
      EXPECT_EQ(inv->container_id(), "cid");
    } else if (inv->subcommand == "update") {
      EXPECT_EQ(inv->command, Command::update);
      EXPECT_EQ(*inv->flag("resources")->value, "-");
    } else {
      EXPECT_EQ(inv->command, Command::passthrough) << line;
    }
    ++parsed;
  }
  EXPECT_EQ(parsed, 10);
}

}  // namespace
}  // namespace hardened
