// The orchestration: load, change, write, exec, in that order, stopping at the first failure.
#include "hardened/runtime.hpp"

#include "hardened/host_config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <stdexcept>

#include "hardened/audit_log.hpp"

#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

struct Executed {};  // thrown by the fake exec: like the real one, it does not return

class FakeSystem final : public System {
 public:
  Error exec(const std::string& path, const std::vector<std::string>& argv) override {
    exec_path = path;
    exec_argv = argv;
    throw Executed{};
  }
  Result<std::string> read_stdin() override {
    if (stdin_throws) throw std::length_error("basic_string::_M_create");  // what a library might throw midway
    return stdin_text;
  }
  Result<void> replace_stdin(const std::string& text) override {
    replaced_stdin = text;
    return {};
  }
  Result<void> guard_stdio(const std::string& state_dir) override {
    guarded_stdio = state_dir;
    return {};
  }
  Result<std::string> pass_file(const std::string& text) override {
    passed_files.push_back(text);
    return "/proc/self/fd/" + std::to_string(90 + passed_files.size());
  }
  const char* getenv(const char* name) override {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  }
  void print_error(const std::string& line) override { stderr_lines.push_back(line); }

  std::map<std::string, std::string> env{{"PATH", "/nonexistent"}};
  std::string stdin_text;
  bool stdin_throws = false;
  std::optional<std::string> replaced_stdin;
  std::optional<std::string> guarded_stdio;  // the state_dir guard_stdio was called with
  std::vector<std::string> passed_files;
  std::optional<std::string> exec_path;
  std::vector<std::string> exec_argv;
  std::vector<std::string> stderr_lines;
};

class Runtime : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(bundle());
    test::write_create_fixture("default", config_json());
    ::chmod(config_json().c_str(), 0600);
    write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()}});
  }

  fs::path bundle() const { return dir_.path() / "bundle"; }
  fs::path config_json() const { return bundle() / "config.json"; }
  fs::path host_config() const { return dir_.path() / "hardened.json"; }
  fs::path audit_log() const { return dir_.path() / "audit.log"; }
  fs::path runc_log() const { return dir_.path() / "log.json"; }

  // Every host config of these tests keeps its creation records in the test's directory.
  void write_host_config(json config) const {
    if (!config.contains("state_dir")) config["state_dir"] = (dir_.path() / "state").string();
    std::ofstream(host_config()) << config.dump();
  }

  std::vector<std::string> argv(std::initializer_list<std::string> words) const {
    std::vector<std::string> out{"hardened-runtime", "--config", host_config().string(), "--root", "/run/r", "--log",
                                 runc_log().string(), "--log-format", "json"};
    out.insert(out.end(), words);
    return out;
  }
  std::vector<std::string> runc_argv(std::initializer_list<std::string> words) const {
    auto out = argv(words);
    out.erase(out.begin() + 1, out.begin() + 3);  // --config is ours
    out.front() = "/bin/true";                     // runc gets its own path as argv[0]
    return out;
  }

  // Runs and returns the exit status, or -1 when runc was exec'd.
  int run(const std::vector<std::string>& args) {
    try {
      return run_runtime(args, system_);
    } catch (const Executed&) {
      return -1;
    }
  }

  std::vector<json> runc_log_lines() const {
    std::vector<json> lines;
    std::ifstream in(runc_log());
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }

  void expect_refused(int status, const std::string& text) {
    EXPECT_EQ(status, 1);
    EXPECT_FALSE(system_.exec_path) << "runc must not run";
    const auto lines = runc_log_lines();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0]["level"], "error");
    EXPECT_TRUE(lines[0].contains("time"));
    const std::string msg = lines[0]["msg"];
    EXPECT_NE(msg.find(text), std::string::npos) << msg;
    ASSERT_EQ(system_.stderr_lines.size(), 1u);
    EXPECT_EQ(system_.stderr_lines[0], msg) << "stderr and the log say the same";
  }

  test::TempDir dir_;
  FakeSystem system_;
};

TEST_F(Runtime, PassThroughExecsRuncWithArgvUnchangedAndTouchesNothing) {
  const std::string before = test::slurp(config_json());
  EXPECT_EQ(run(argv({"state", "cid"})), -1);
  EXPECT_EQ(system_.exec_path, "/bin/true");
  EXPECT_EQ(system_.exec_argv, runc_argv({"state", "cid"}));
  EXPECT_TRUE(system_.stderr_lines.empty());
  EXPECT_FALSE(fs::exists(runc_log()));
  EXPECT_FALSE(fs::exists(audit_log()));
  EXPECT_EQ(test::slurp(config_json()), before);
}

// urfave/cli reads --help=false as no help, and runc creates: the call is hardened like any other.
TEST_F(Runtime, HelpTurnedOffIsNoHelp) {
  EXPECT_EQ(run(argv({"create", "--help=false", "--bundle", bundle().string(), "cid"})), -1);
  EXPECT_EQ(test::load(config_json())["process"]["user"]["uid"], 1001);
  EXPECT_EQ(system_.exec_argv, runc_argv({"create", "--help=false", "--bundle", bundle().string(), "cid"}));
  const json record = json::parse(test::slurp(audit_log()));
  EXPECT_EQ(record["decision"], "hardened");
}

TEST_F(Runtime, CreateHardensTheBundleThenExecsRunc) {
  EXPECT_EQ(run(argv({"create", "--bundle", bundle().string(), "cid"})), -1);
  EXPECT_EQ(system_.exec_argv, runc_argv({"create", "--bundle", bundle().string(), "cid"}));
  const json spec = test::load(config_json());
  EXPECT_EQ(spec["process"]["user"]["uid"], 1001);
  EXPECT_EQ(spec["root"]["readonly"], true);
  struct stat st {};
  ASSERT_EQ(::stat(config_json().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u) << "same mode as before";
  const json audit = json::parse(test::slurp(audit_log()));
  EXPECT_EQ(audit["container"], "cid");
  EXPECT_EQ(audit["profile"], "default");
  EXPECT_FALSE(audit["changes"].empty());
  EXPECT_FALSE(fs::exists(runc_log()));
}

// The container process's stdio is guarded (stdio_guard.hpp) at create, not on a pass-through call.
TEST_F(Runtime, CreateGuardsTheStdioItHandsToRuncAPassThroughDoesNot) {
  EXPECT_EQ(run(argv({"state", "cid"})), -1);
  EXPECT_FALSE(system_.guarded_stdio);
  EXPECT_EQ(run(argv({"create", "--bundle", bundle().string(), "cid"})), -1);
  EXPECT_EQ(system_.guarded_stdio, (dir_.path() / "state").string());
}

TEST_F(Runtime, RunUsesTheCurrentDirectoryWhenNoBundleIsGiven) {
  const fs::path cwd = fs::current_path();
  fs::current_path(bundle());
  EXPECT_EQ(run(argv({"run", "-d", "cid"})), -1);
  fs::current_path(cwd);
  EXPECT_EQ(test::load(config_json())["process"]["noNewPrivileges"], true);
}

TEST_F(Runtime, MissingConfigJsonFailsClosed) {
  fs::remove(config_json());
  expect_refused(run(argv({"create", "-b", bundle().string(), "cid"})), "cannot create container cid: cannot open");
  EXPECT_EQ(system_.stderr_lines[0].find("No such file or directory"), std::string::npos) << "podman shows that as 'command not found'";
  EXPECT_NE(system_.stderr_lines[0].find("it does not exist"), std::string::npos) << system_.stderr_lines[0];
}

TEST_F(Runtime, ARefusalWritesNothingAndExecsNothing) {
  fs::remove(config_json());
  fs::copy_file(fs::path(test::kFixturesDir) / "create" / "privileged.json", config_json());
  const std::string before = test::slurp(config_json());
  expect_refused(run(argv({"create", "--bundle=" + bundle().string(), "cid"})), "deny.privileged");
  EXPECT_EQ(test::slurp(config_json()), before);
  const json record = json::parse(test::slurp(audit_log()));  // the refusal is on the audit trail
  EXPECT_EQ(record["decision"], "refused");
  EXPECT_EQ(record["denials"][0]["rule"], "deny.privileged");
}

TEST_F(Runtime, ABindOfASymlinkToTheDockerSocketIsRefused) {
  // The edge resolves bind sources, so a link named innocently cannot smuggle in a denied path.
  const fs::path link = dir_.path() / "innocent";
  fs::create_symlink("/run", link);  // /run holds the Docker and containerd sockets
  json spec = test::load(config_json());
  spec["mounts"].push_back({{"destination", "/data"}, {"type", "bind"}, {"source", link.string()}, {"options", {"rbind"}}});
  std::ofstream(config_json()) << spec.dump();
  expect_refused(run(argv({"create", "-b", bundle().string(), "cid"})), "(a symlink to /run)");
}

TEST_F(Runtime, AnUnreadableProfileFailsClosed) {
  const std::string before = test::slurp(config_json());
  expect_refused(run(argv({"--profile", "nosuch", "create", "-b", bundle().string(), "cid"})), "cannot load profile 'nosuch'");
  EXPECT_EQ(test::slurp(config_json()), before);
}

TEST_F(Runtime, ABrokenProfileFailsClosed) {
  const fs::path profiles = dir_.path() / "profiles";
  fs::create_directories(profiles);
  std::ofstream(profiles / "default.json") << R"({"capabilities": )";
  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", profiles.string()}});
  const std::string before = test::slurp(config_json());
  expect_refused(run(argv({"create", "-b", bundle().string(), "cid"})), "is not valid JSON");
  EXPECT_EQ(test::slurp(config_json()), before);
}

TEST_F(Runtime, RuncNotFoundFailsClosed) {
  write_host_config(json{{"runtime", "/nonexistent/runc"}, {"profiles_dir", test::kProfilesDir}});
  expect_refused(run(argv({"create", "-b", bundle().string(), "cid"})), "/nonexistent/runc");
}

TEST_F(Runtime, NeverExecsItself) {
  write_host_config(json{{"runtime", fs::read_symlink("/proc/self/exe").string()}, {"profiles_dir", test::kProfilesDir}});
  expect_refused(run(argv({"state", "cid"})), "cannot run runc state: the runtime");
  EXPECT_NE(system_.stderr_lines[0].find("is hardened-runtime itself"), std::string::npos);
}

TEST_F(Runtime, ABrokenHostConfigFailsClosed) {
  std::ofstream(host_config()) << R"({"runtime": "/bin/true", "defualt_profile": "x"})";
  expect_refused(run(argv({"create", "-b", bundle().string(), "cid"})), "defualt_profile");
}

TEST_F(Runtime, HostConfigFromTheEnvironment) {
  system_.env[kConfigEnv] = host_config().string();
  auto args = argv({"state", "cid"});
  args.erase(args.begin() + 1, args.begin() + 3);
  EXPECT_EQ(run(args), -1);
  EXPECT_EQ(system_.exec_path, "/bin/true");
}

TEST_F(Runtime, ExecHandsRuncAHardenedCopyAndLeavesTheCallersFileAlone) {
  const fs::path process = dir_.path() / "process.json";
  fs::copy_file(fs::path(test::kFixturesDir) / "exec" / "privileged.json", process);
  const std::string before = test::slurp(process);
  EXPECT_EQ(run(argv({"exec", "--process", process.string(), "--detach", "cid"})), -1);
  EXPECT_EQ(test::slurp(process), before) << "the caller's file is not ours to change";
  ASSERT_EQ(system_.passed_files.size(), 1u);
  const json p = json::parse(system_.passed_files[0]);
  EXPECT_EQ(p["user"]["uid"], 1001);
  EXPECT_EQ(p["noNewPrivileges"], true);
  EXPECT_EQ(p["capabilities"]["bounding"], json::array());
  EXPECT_EQ(system_.exec_argv, runc_argv({"exec", "--no-new-privs", "--process=/proc/self/fd/91", "--detach", "cid"}));
}

// The container's own AppArmor profile is read from runc's state under --root: the same passes, another
// is refused with the rule's words in runc's log.
TEST_F(Runtime, ExecNamingAnotherAppArmorProfileThanTheContainersIsRefused) {
  const fs::path root = dir_.path() / "runc-root";
  fs::create_directories(root / "cid");
  std::ofstream(root / "cid" / "state.json") << R"({"init_process_pid": 1, "config": {"apparmor_profile": "docker-default", "labels": []}})";
  const fs::path process = dir_.path() / "process.json";
  auto exec_with = [&](const std::string& apparmor) {
    json p = json::parse(test::slurp(fs::path(test::kFixturesDir) / "exec" / "default.json"));
    p["apparmorProfile"] = apparmor;
    std::ofstream(process, std::ios::trunc) << p.dump();
    auto args = argv({"exec", "--process", process.string(), "cid"});
    args[4] = root.string();  // --root
    return run(args);
  };
  EXPECT_EQ(exec_with("docker-default"), -1);
  system_.exec_path.reset();
  expect_refused(exec_with("unconfined"), "refused by rule exec_labels: the exec's process.apparmorProfile 'unconfined'");
}

// A pipe (`exec -p <(...)`, `-p /dev/stdin` fed by a pipe) can be read only once: the hardened copy in
// enforce mode, the caller's own text in audit mode.
TEST_F(Runtime, ExecReadsAProcessFromAPipe) {
  const std::string text = test::slurp(fs::path(test::kFixturesDir) / "exec" / "privileged.json");
  auto through_pipe = [&] {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    EXPECT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fds[1]);
    return fds[0];
  };
  const int enforce_fd = through_pipe();
  const std::string enforce_path = "/proc/self/fd/" + std::to_string(enforce_fd);
  EXPECT_EQ(run(argv({"exec", "-p", enforce_path, "cid"})), -1);
  ::close(enforce_fd);
  ASSERT_EQ(system_.passed_files.size(), 1u);
  EXPECT_EQ(json::parse(system_.passed_files[0])["user"]["uid"], 1001);
  EXPECT_EQ(system_.exec_argv, runc_argv({"exec", "--no-new-privs", "--process=/proc/self/fd/91", "cid"}));

  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()}, {"mode", "audit"}});
  const int audit_fd = through_pipe();
  const std::string audit_path = "/proc/self/fd/" + std::to_string(audit_fd);
  EXPECT_EQ(run(argv({"exec", "-p", audit_path, "-t", "cid"})), -1);
  ::close(audit_fd);
  ASSERT_EQ(system_.passed_files.size(), 2u);
  EXPECT_EQ(system_.passed_files[1], text) << "audit mode: runc reads exactly what the caller wrote";
  EXPECT_EQ(system_.exec_argv, runc_argv({"exec", "--process=/proc/self/fd/92", "-t", "cid"}));
}

TEST_F(Runtime, AuditModeGivesRuncTheCallersOwnProcessFile) {
  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()}, {"mode", "audit"}});
  const fs::path process = dir_.path() / "process.json";
  fs::copy_file(fs::path(test::kFixturesDir) / "exec" / "privileged.json", process);
  EXPECT_EQ(run(argv({"exec", "--process", process.string(), "cid"})), -1);
  EXPECT_TRUE(system_.passed_files.empty());
  EXPECT_EQ(system_.exec_argv, runc_argv({"exec", "--process", process.string(), "cid"}));
}

TEST_F(Runtime, RuncGetsItsOwnPathAsArgv0) {
  for (auto words : {std::initializer_list<std::string>{"state", "cid"}, {"create", "-b", bundle().string(), "cid"}, {"exec", "cid", "sh"},
                     {"update", "--pids-limit", "10", "cid"}, {"checkpoint", "--help"}}) {
    system_.exec_argv.clear();
    EXPECT_EQ(run(argv(words)), -1) << *words.begin();
    ASSERT_FALSE(system_.exec_argv.empty());
    EXPECT_EQ(system_.exec_argv.front(), "/bin/true") << *words.begin();
  }
}

// runc update with only --cpu-period or only --cpu-quota: the other stays the container's own, and the
// pair never goes past the ceiling (the default profile allows 1 CPU).
TEST_F(Runtime, UpdateWithOnlyAPeriodOrAQuotaKeepsTheOtherOne) {
  const fs::path root = dir_.path() / "runc-root";
  const fs::path cgroup = dir_.path() / "cgroup-cpu";
  fs::create_directories(root / "cid");
  fs::create_directories(cgroup);
  std::ofstream(root / "cid" / "state.json") << json{{"init_process_pid", 1}, {"cgroup_paths", {{"cpu", cgroup.string()}}}}.dump();
  std::ofstream(cgroup / "cpu.cfs_period_us") << "100000\n";
  std::ofstream(cgroup / "cpu.cfs_quota_us") << "50000\n";  // half a CPU
  auto update = [&](std::initializer_list<std::string> flags) {
    std::vector<std::string> args{"hardened-runtime", "--config", host_config().string(), "--root", root.string(), "update"};
    args.insert(args.end(), flags);
    args.push_back("cid");
    EXPECT_EQ(run(args), -1);
    return std::vector<std::string>(system_.exec_argv.begin() + 3, system_.exec_argv.end());
  };
  EXPECT_EQ(update({"--cpu-period", "200000"}), (std::vector<std::string>{"update", "--cpu-period=200000", "--cpu-quota=50000", "cid"}))
      << "the quota stays half of the old period: a quarter CPU, not the ceiling";
  EXPECT_EQ(update({"--cpu-quota=80000"}), (std::vector<std::string>{"update", "--cpu-period=100000", "--cpu-quota=80000", "cid"}));
  EXPECT_EQ(update({"--cpu-period", "20000"}), (std::vector<std::string>{"update", "--cpu-period=20000", "--cpu-quota=20000", "cid"}))
      << "the old quota under a shorter period would be 2.5 CPUs: met with the 1-CPU ceiling";
  std::ofstream(cgroup / "cpu.cfs_period_us") << "250000\n";
  EXPECT_EQ(update({"--cpu-quota", "-1"}), (std::vector<std::string>{"update", "--cpu-period=250000", "--cpu-quota=250000", "cid"}))
      << "unlimited becomes the ceiling under the container's own period";
  system_.stdin_text = R"({"cpu": {"period": 200000}})";
  EXPECT_EQ(update({"-r", "-"}), (std::vector<std::string>{"update", "--resources=-", "cid"}));
  EXPECT_EQ(json::parse(*system_.replaced_stdin)["cpu"], (json{{"period", 200000}, {"quota", 50000}}));
}

TEST_F(Runtime, UpdateFromStdinIsClampedBeforeRuncReadsIt) {
  system_.stdin_text = test::slurp(fs::path(test::kFixturesDir) / "update" / "docker-update.json");
  EXPECT_EQ(run(argv({"update", "--resources", "-", "cid"})), -1);
  ASSERT_TRUE(system_.replaced_stdin);
  const json clamped = json::parse(*system_.replaced_stdin);
  EXPECT_EQ(clamped["memory"]["limit"], 536870912);
  EXPECT_EQ(clamped["pids"]["limit"], 100);
  EXPECT_EQ(system_.exec_argv, runc_argv({"update", "--resources=-", "cid"}));
}

TEST_F(Runtime, UpdateFromAFileLeavesTheFileAlone) {
  const fs::path resources = dir_.path() / "r.json";
  std::ofstream(resources) << R"({"pids":{"limit":100000}})";
  EXPECT_EQ(run(argv({"update", "-r=" + resources.string(), "cid"})), -1);
  EXPECT_EQ(json::parse(*system_.replaced_stdin)["pids"]["limit"], 100);
  EXPECT_EQ(test::slurp(resources), R"({"pids":{"limit":100000}})");
  EXPECT_EQ(system_.exec_argv, runc_argv({"update", "--resources=-", "cid"}));
}

// Go's decoder reads "proce\u017fs", "u\u017fer" and "Pids" as process, user and pids (runc_field_names.hpp):
// beside the field's own name create and exec refuse them, before anything is decided, and config.json
// is left as it was; alone, as runc's own tests write update payloads, the key is the field and judged.
TEST_F(Runtime, KeysRuncReadsAsAnotherFieldAreJudgedAsThatField) {
  json spec = test::load(config_json());
  spec["proce\u017fs"] = spec["process"];
  std::ofstream(config_json()) << spec.dump();
  const std::string before = test::slurp(config_json());
  expect_refused(run(argv({"create", "--bundle", bundle().string(), "cid"})), "has the keys 'process' and 'proce\u017fs', which runc reads as one field");
  EXPECT_EQ(test::slurp(config_json()), before);

  fs::remove(runc_log());
  system_.stderr_lines.clear();
  const fs::path process = dir_.path() / "process.json";
  json p = test::fixture("exec", "default");
  p["u\u017fer"] = json{{"uid", 0}, {"gid", 0}};
  std::ofstream(process) << p.dump();
  expect_refused(run(argv({"exec", "--process", process.string(), "cid"})), "has the keys 'user' and 'u\u017fer'");

  system_.stdin_text = R"({"Pids":{"Limit":100000}})";
  EXPECT_EQ(run(argv({"update", "--resources", "-", "cid"})), -1);
  EXPECT_EQ(json::parse(*system_.replaced_stdin), (json{{"pids", {{"limit", 100}}}}));
}

// In audit mode an update that cannot be decided goes to runc as it is, with what the caller wrote on
// its stdin.
TEST_F(Runtime, AnUndecidedUpdateInAuditModeGivesRuncTheCallersStdin) {
  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()}, {"mode", "audit"}});
  system_.stdin_text = R"({"pids": {"limit": 5}, "PIDS": {"limit": 6}})";
  EXPECT_EQ(run(argv({"update", "--resources", "-", "cid"})), -1);
  ASSERT_TRUE(system_.replaced_stdin);
  EXPECT_EQ(*system_.replaced_stdin, system_.stdin_text);
}

TEST_F(Runtime, UpdateWithBadJsonFailsClosed) {
  system_.stdin_text = "{";
  expect_refused(run(argv({"update", "--resources", "-", "cid"})), "the resources on standard input is not valid JSON");
}

// The catch-all at the command boundary: an exception in the middle of a call is a refusal with the
// reason on stderr and in runc's log, and nothing was applied or exec'd.
TEST_F(Runtime, AnUnexpectedExceptionIsARefusalNotAnAbort) {
  system_.stdin_throws = true;
  expect_refused(run(argv({"update", "--resources", "-", "cid"})), "unexpected error: basic_string::_M_create");
  EXPECT_FALSE(system_.replaced_stdin);
  EXPECT_NE(runc_log_lines()[0]["msg"].get<std::string>().find("cannot update container cid"), std::string::npos);
}

TEST_F(Runtime, RestoreIsRefused) {
  expect_refused(run(argv({"restore", "--image-path", "/i", "-b", bundle().string(), "cid"})), "restore is refused");
}

TEST_F(Runtime, Runc12sPidfdSocketIsKnown) {
  EXPECT_EQ(run(argv({"create", "--pidfd-socket", "/s", "-b", bundle().string(), "cid"})), -1);
  EXPECT_EQ(system_.exec_argv, runc_argv({"create", "--pidfd-socket", "/s", "-b", bundle().string(), "cid"}));
}

// runc 1.2+ and crun flags that would loosen the profile (flag_policy.cpp, argv_rewrite.cpp), end to end.
TEST_F(Runtime, CrunsConfigFlagNamingAnotherFileIsRefusedAndTheBundleLeftAlone) {
  const std::string before = test::slurp(config_json());
  expect_refused(run(argv({"create", "--config", "/tmp/other.json", "-b", bundle().string(), "cid"})), "refused by rule runtime_flags");
  EXPECT_EQ(test::slurp(config_json()), before);
  EXPECT_EQ(json::parse(test::slurp(audit_log()))["denials"][0]["rule"], "runtime_flags");
}

TEST_F(Runtime, CrunsConfigFlagNamingTheBundlesOwnFilePasses) {
  EXPECT_EQ(run(argv({"create", "-f", "config.json", "-b", bundle().string(), "cid"})), -1);
  EXPECT_EQ(system_.exec_argv, runc_argv({"create", "-f", "config.json", "-b", bundle().string(), "cid"}));
  EXPECT_EQ(test::load(config_json())["process"]["user"]["uid"], 1001);
}

TEST_F(Runtime, CrunWithoutACgroupIsRefused) {
  std::vector<std::string> args = argv({"--cgroup-manager=disabled", "run", "-d", "-b", bundle().string(), "cid"});
  expect_refused(run(args), "--cgroup-manager=disabled");
}

TEST_F(Runtime, ExecWithAnotherLsmConfinementOrAnOuterCgroupIsRefused) {
  expect_refused(run(argv({"exec", "--apparmor", "unconfined", "cid", "sh"})), "exec --apparmor unconfined");
  fs::remove(runc_log());
  system_.stderr_lines.clear();
  expect_refused(run(argv({"exec", "--cgroup", "../../", "cid", "sh"})), "outside the container's own");
}

TEST_F(Runtime, UpdateCpuBurstBecomesZero) {  // runc 1.2+: burst would let the container past its quota
  EXPECT_EQ(run(argv({"update", "--cpu-burst", "500000", "cid"})), -1);
  EXPECT_EQ(system_.exec_argv, runc_argv({"update", "--cpu-burst=0", "cid"}));
  system_.stdin_text = R"({"cpu": {"burst": 500000}})";
  EXPECT_EQ(run(argv({"update", "-r", "-", "cid"})), -1);
  EXPECT_EQ(json::parse(*system_.replaced_stdin)["cpu"]["burst"], 0);
}

TEST_F(Runtime, CrunsMountsIsRefusedInEnforceModeAndPassedInAudit) {
  expect_refused(run(argv({"mounts", "add", "cid", "/tmp/mounts.json"})), "cannot change the mounts of a running container: crun mounts");
  EXPECT_EQ(run(argv({"mounts", "--help"})), -1);
  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()}, {"mode", "audit"}});
  EXPECT_EQ(run(argv({"mounts", "add", "cid", "/tmp/mounts.json"})), -1);
  EXPECT_EQ(system_.exec_argv, runc_argv({"mounts", "add", "cid", "/tmp/mounts.json"}));
}

TEST_F(Runtime, AnAmbiguousOneDashFlagIsRefusedOnCreate) {
  expect_refused(run(argv({"create", "-bundle", bundle().string(), "cid"})), "ambiguous flag '-bundle'");
}

TEST_F(Runtime, AnUnknownFlagOnACallNotRewrittenPassesThrough) {
  EXPECT_EQ(run(argv({"checkpoint", "--frobnicate", "x", "cid"})), -1);
  EXPECT_EQ(system_.exec_argv, runc_argv({"checkpoint", "--frobnicate", "x", "cid"}));
}

TEST_F(Runtime, AnUnknownFlagOnCreateNamesTheFlagAndTheVersionsKnown) {
  expect_refused(run(argv({"exec", "--frobnicate", "cid", "sh"})), "unknown exec flag '--frobnicate'");
  EXPECT_NE(system_.stderr_lines[0].find("runc 1.1–1.3 and crun"), std::string::npos);
}

TEST_F(Runtime, RestoreHelpIsAPassThroughEvenInEnforceMode) {
  EXPECT_EQ(run(argv({"restore", "-h"})), -1);
  EXPECT_EQ(system_.exec_argv, runc_argv({"restore", "-h"}));
  EXPECT_EQ(run(argv({"restore", "--help"})), -1);
}

TEST_F(Runtime, AuditModePassesEveryCallThrough) {
  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()}, {"mode", "audit"}});
  fs::remove(config_json());
  std::ofstream(config_json()) << "{ not json";
  auto passes = [&](std::initializer_list<std::string> words) {
    system_.exec_argv.clear();
    EXPECT_EQ(run(argv(words)), -1) << *words.begin();
    EXPECT_EQ(system_.exec_argv, runc_argv(words)) << *words.begin();
  };
  passes({"restore", "--image-path", "/i", "-b", bundle().string(), "cid"});
  passes({"create", "-b", bundle().string(), "cid"});
  passes({"exec", "-p", "/nonexistent/process.json", "cid"});
  passes({"update", "--memory", "lots", "cid"});
  EXPECT_TRUE(system_.stderr_lines.empty());
  EXPECT_FALSE(fs::exists(runc_log())) << "runc writes its own errors";
  std::ifstream in(audit_log());
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines) EXPECT_EQ(json::parse(line)["decision"], "audit: could not decide");
  EXPECT_EQ(lines, 4);
}

TEST_F(Runtime, AnUnparsableCommandLineIsStillReportedToTheLog) {
  expect_refused(run(argv({"create", "--frobnicate", "cid"})), "--frobnicate");
}

TEST_F(Runtime, AuditModeRunsTheOriginalSpecAndLogsWhatItWouldHaveDone) {
  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()}, {"mode", "audit"}});
  fs::remove(config_json());
  fs::copy_file(fs::path(test::kFixturesDir) / "create" / "pid-host.json", config_json());
  const std::string before = test::slurp(config_json());
  EXPECT_EQ(run(argv({"create", "--bundle", bundle().string(), "cid"})), -1) << "not refused: audit mode";
  EXPECT_EQ(test::slurp(config_json()), before) << "byte-identical";
  EXPECT_EQ(system_.exec_argv, runc_argv({"create", "--bundle", bundle().string(), "cid"}));
  const json record = json::parse(test::slurp(audit_log()));
  EXPECT_EQ(record["mode"], "audit");
  EXPECT_EQ(record["decision"], "audit: would refuse");
  EXPECT_EQ(record["denials"][0]["rule"], "deny.host_namespaces");
  EXPECT_FALSE(record["changes"].empty());
  EXPECT_FALSE(fs::exists(runc_log()));
}

TEST_F(Runtime, AuditModeGivesRuncTheUpdateItWasSent) {
  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()}, {"mode", "audit"}});
  system_.stdin_text = R"({"pids":{"limit":100000}})";
  EXPECT_EQ(run(argv({"update", "--resources", "-", "cid"})), -1);
  EXPECT_EQ(system_.replaced_stdin, system_.stdin_text) << "what was read is put back for runc";
  EXPECT_EQ(system_.exec_argv, runc_argv({"update", "--resources", "-", "cid"}));
  EXPECT_EQ(json::parse(test::slurp(audit_log()))["decision"], "audit: would harden");
}

TEST_F(Runtime, AProfileCanSetItsOwnMode) {
  const fs::path profiles = dir_.path() / "profiles";
  fs::create_directories(profiles);
  fs::copy_file(fs::path(test::kProfilesDir) / "default.json", profiles / "default.json");
  std::ofstream(profiles / "trial.json") << R"({"extends": "default", "mode": "audit"})";
  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", profiles.string()}, {"log_file", audit_log().string()}});
  const std::string before = test::slurp(config_json());
  EXPECT_EQ(run(argv({"--profile", "trial", "create", "--bundle", bundle().string(), "cid"})), -1);
  EXPECT_EQ(test::slurp(config_json()), before);
  EXPECT_EQ(run(argv({"create", "--bundle", bundle().string(), "cid"})), -1);
  EXPECT_NE(test::slurp(config_json()), before) << "the host's enforce mode for the default profile";
}

TEST_F(Runtime, TheAuditTrailSaysWhichProfileAndWhy) {
  json spec = test::load(config_json());
  spec["annotations"] = {{"org.hardened-runtime.profile", "web"}};
  std::ofstream(config_json()) << spec.dump();
  write_host_config(json{{"runtime", "/bin/true"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()},
                         {"annotation_profiles", {"web"}}});
  EXPECT_EQ(run(argv({"create", "--bundle", bundle().string(), "cid"})), -1);
  const json record = json::parse(test::slurp(audit_log()));
  EXPECT_EQ(record["profile"], "web");
  EXPECT_EQ(record["selected_by"], "annotation org.hardened-runtime.profile");
  EXPECT_EQ(record["decision"], "hardened");
}

// podman's own calls and conmon's cleanup pass no --config: the container's record says where it lives.
TEST_F(Runtime, LaterCallsGoToTheRuntimeAndRootTheContainerWasCreatedWith) {
  ASSERT_EQ(run(argv({"create", "--bundle", bundle().string(), "cid"})), -1);
  EXPECT_EQ(system_.exec_path, "/bin/true");
  // The host config now names another runtime (an administrator moving new containers elsewhere).
  write_host_config(json{{"runtime", "/bin/false"}, {"profiles_dir", test::kProfilesDir}, {"log_file", audit_log().string()}});
  const std::string config = host_config().string();
  // A call that gives its own --root keeps it.
  ASSERT_EQ(run({"hardened-runtime", "--config", config, "--root", "/other", "kill", "cid", "9"}), -1);
  EXPECT_EQ(system_.exec_argv, (std::vector<std::string>{"/bin/true", "--root", "/other", "kill", "cid", "9"}));
  for (std::vector<std::string> words : std::vector<std::vector<std::string>>{
           {"kill", "cid", "9"}, {"state", "cid"}, {"update", "--pids-limit", "50", "cid"}, {"exec", "cid", "id"},
           {"delete", "--force", "cid"}}) {  // delete last: it removes the record
    std::vector<std::string> call{"hardened-runtime", "--config", config};  // no --root: the record's is added
    call.insert(call.end(), words.begin(), words.end());
    system_.exec_path.reset();
    ASSERT_EQ(run(call), -1) << words.front() << ": " << (system_.stderr_lines.empty() ? "" : system_.stderr_lines.back());
    EXPECT_EQ(system_.exec_path, "/bin/true") << words.front();
    ASSERT_GE(system_.exec_argv.size(), 4u);
    EXPECT_EQ(std::vector<std::string>(system_.exec_argv.begin() + 1, system_.exec_argv.begin() + 4),
              (std::vector<std::string>{"--root", "/run/r", words.front()}))
        << words.front();
  }
  // A container created without hardened-runtime is the host config's.
  ASSERT_EQ(run({"hardened-runtime", "--config", config, "delete", "other"}), -1);
  EXPECT_EQ(system_.exec_path, "/bin/false");
}

// A node that runs containers for weeks keeps no file per container it ever ran.
TEST_F(Runtime, DeleteRemovesTheContainersCreationRecordAndNoOther) {
  ASSERT_EQ(run(argv({"create", "--bundle", bundle().string(), "cid"})), -1);
  ASSERT_EQ(run(argv({"create", "--bundle", bundle().string(), "cid2"})), -1);
  const fs::path state = dir_.path() / "state";
  ASSERT_TRUE(fs::exists(state / "cid.json"));
  ASSERT_EQ(run(argv({"delete", "cid"})), -1);
  EXPECT_EQ(system_.exec_path, "/bin/true");
  EXPECT_EQ(system_.exec_argv.back(), "cid");
  EXPECT_FALSE(fs::exists(state / "cid.json"));
  EXPECT_TRUE(fs::exists(state / "cid2.json"));
  // Neither a call that only reads it nor a delete naming something else removes a record.
  for (std::initializer_list<std::string> words : {std::initializer_list<std::string>{"state", "cid2"}, {"delete", "../state/cid2"}, {"kill", "cid2", "9"}}) {
    ASSERT_EQ(run(argv(words)), -1);
    EXPECT_TRUE(fs::exists(state / "cid2.json")) << *words.begin();
  }
}

TEST_F(Runtime, ARecordedRuntimeThatIsGoneIsNamedInTheRefusal) {
  fs::create_directories(dir_.path() / "state");
  std::ofstream(dir_.path() / "state" / "cid.json") << R"({"mode":"enforce","profile":"default","selected_by":"x","runtime":"/nonexistent/crun"})";
  expect_refused(run(argv({"delete", "--force", "cid"})), "container cid was created with the runtime /nonexistent/crun");
}

TEST(AuditTrail, ConcurrentWritersLeaveWholeLines) {
  test::TempDir dir;
  const std::string log = (dir.path() / "audit.log").string();
  constexpr int kWriters = 16, kLines = 50;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      for (int i = 0; i < kLines; ++i) {
        // ~20 KB per line: far beyond a stdio buffer, so a split write would show.
        const json record{{"writer", std::to_string(w)}, {"line", std::to_string(i)},
                          {"changes", std::vector<std::string>(400, std::string(40, static_cast<char>('a' + w)))}};
        if (!write_audit_line(log, record)) ::_exit(1);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::ifstream in(log);
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    const json record = json::parse(line);  // throws on a torn line
    const char mark = static_cast<char>('a' + std::stoi(record["writer"].get<std::string>()));
    EXPECT_EQ(record["changes"][399], std::string(40, mark));
  }
  EXPECT_EQ(lines, kWriters * kLines);
}

}  // namespace
}  // namespace hardened
