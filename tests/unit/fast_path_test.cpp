// The early pass-through path must exec exactly what the normal path execs, or leave the call to it.
#include "hardened/fast_path.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "hardened/runtime.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

TEST(HostConfigScanner, ReadsTheRuntimeOfPlainConfigs) {
  EXPECT_EQ(scan_host_config_runtime(R"({"runtime": "/usr/sbin/runc"})"), "/usr/sbin/runc");
  EXPECT_EQ(scan_host_config_runtime("{}"), "");
  EXPECT_EQ(scan_host_config_runtime(R"( { "profiles_dir" : "\/p\u0041", "runtime":"/usr/bin/runc", "mode": "audit",
      "rules": [{"annotations": {"a": "b*"}, "profile": "strict"}], "relaxation_maxima": {"pids_max": 1e3, "cpus_max": -0.5},
      "annotation_profiles": [], "state_dir": "" } )"), "/usr/bin/runc");
}

TEST(HostConfigScanner, LeavesAnythingUnusualToTheFullParser) {
  for (const char* text : {"", "[]", "{", R"({"runtime": "/a",})", R"({"runtme": "/a"})", R"({"runtime": 5})",
                           R"({"runtime": "runc"})", R"({"runtime": "/a\u0041"})", R"({"runtime": "\/a"})", R"({"log_file": "/\q"})", "{} {}",
                           R"({"rules": [1,]})", R"({"rules": [01]})", R"({"rules": [tru]})", "{\"runtime\": \"/r\xc3\xa9\"}",
                           R"({"relaxation_maxima": {"pids_max": 1.}})", R"({"mode": "x" "y"})"}) {
    EXPECT_FALSE(scan_host_config_runtime(text)) << text;
  }
}

// What the early path execs, as strings; nullopt: it leaves the call to the normal path.
struct Exec {
  std::string runc;
  std::vector<std::string> argv;
};
std::optional<Exec> plan(std::vector<std::string> words, const char* config_env, const char* path_env) {
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  FastPassThrough out;
  if (!plan_fast_passthrough(static_cast<int>(argv.size()), argv.data(), config_env, path_env, out)) return std::nullopt;
  Exec exec{out.runc.data(), {}};
  for (char** word = out.argv.data(); *word != nullptr; ++word) exec.argv.emplace_back(*word);
  return exec;
}

class FastPath : public ::testing::Test {
 protected:
  struct Fake final : System {
    Error exec(const std::string& path, const std::vector<std::string>& argv) override {
      exec_path = path;
      exec_argv = argv;
      throw 0;
    }
    Result<std::string> read_stdin() override { return std::string(); }
    Result<void> replace_stdin(const std::string&) override { return {}; }
    Result<void> guard_stdio(const std::string&) override { return {}; }
    Result<std::string> pass_file(const std::string&) override { return std::string("/proc/self/fd/9"); }
    const char* getenv(const char* name) override { return std::string(name) == "PATH" ? "/usr/bin:/usr/sbin" : nullptr; }
    void print_error(const std::string&) override {}
    std::optional<std::string> exec_path;
    std::vector<std::string> exec_argv;
  };

  // What the normal path execs for argv (nullopt: it refuses).
  std::optional<Exec> normal(const std::vector<std::string>& argv) {
    Fake fake;
    try {
      run_runtime(argv, fake);
    } catch (int) {
      return Exec{*fake.exec_path, fake.exec_argv};
    }
    return std::nullopt;
  }

  void config(const std::string& text) const { std::ofstream(config_) << text; }
  std::vector<std::string> argv(std::initializer_list<std::string> words) const {
    std::vector<std::string> out{"hardened-runtime", "--config", config_.string()};
    out.insert(out.end(), words);
    return out;
  }

  test::TempDir dir_;
  fs::path config_ = dir_.path() / "hardened.json";
};

TEST_F(FastPath, ExecsWhatTheNormalPathExecs) {
  config(R"({"runtime": "/bin/true", "log_file": ")" + (dir_.path() / "a.log").string() + R"("})");
  for (auto words : {std::initializer_list<std::string>{"state", "cid"}, {"--root", "/run/r", "--log=/l", "kill", "cid", "KILL"},
                     {"--profile", "web", "delete", "-f", "cid"}, {"--version"}, {"list", "-q"}}) {
    auto fast = plan(argv(words), nullptr, "/usr/bin");
    ASSERT_TRUE(fast) << *words.begin();
    auto slow = normal(argv(words));
    ASSERT_TRUE(slow);
    EXPECT_EQ(fast->runc, slow->runc);
    EXPECT_EQ(fast->argv, slow->argv);
  }
}

TEST_F(FastPath, LeavesEverythingElseToTheNormalPath) {
  config(R"({"runtime": "/bin/true"})");
  for (auto words : {std::initializer_list<std::string>{"create", "--bundle", "/b", "cid"}, {"exec", "cid", "sh"}, {"update", "cid"},
                     {"restore", "cid"}}) {
    EXPECT_FALSE(plan(argv(words), nullptr, "/usr/bin")) << *words.begin();
  }
  EXPECT_FALSE(plan({"hardened-runtime", "validate"}, nullptr, "/usr/bin"));
  EXPECT_FALSE(plan(argv({"validate"}), nullptr, "/usr/bin")) << "a tool after --config is still a tool";
  config(R"({"runtime": "/bin/true", "runtme": 1})");  // the normal path refuses this, with a message
  EXPECT_FALSE(plan(argv({"state", "cid"}), nullptr, "/usr/bin"));
  EXPECT_FALSE(normal(argv({"state", "cid"})));
  config(R"({"runtime": "/nonexistent/runc"})");
  EXPECT_FALSE(plan(argv({"state", "cid"}), nullptr, "/usr/bin"));
  EXPECT_FALSE(plan({"hardened-runtime", "--config", "/nonexistent.json", "state"}, nullptr, "/usr/bin"));
}

TEST_F(FastPath, GoesToTheRuntimeTheRecordNamesLikeTheNormalPath) {
  const fs::path state = dir_.path() / "state";
  fs::create_directories(state);
  config(R"({"runtime": "/bin/false", "state_dir": ")" + state.string() + R"("})");
  std::ofstream(state / "cid.json") << R"({"mode":"enforce","profile":"default","runtime":"/bin/true","selected_by":"a \"b\""})";
  for (auto words : {std::initializer_list<std::string>{"kill", "cid", "9"}, {"state", "cid"},
                     {"ps", "--format", "json", "cid"}, {"state", "other"}, {"list"}}) {
    auto fast = plan(argv(words), nullptr, "/usr/bin");
    ASSERT_TRUE(fast) << *words.begin();
    auto slow = normal(argv(words));
    ASSERT_TRUE(slow);
    EXPECT_EQ(fast->runc, slow->runc) << *words.begin();
    EXPECT_EQ(fast->argv, slow->argv);
  }
  EXPECT_EQ(plan(argv({"kill", "cid", "9"}), nullptr, "/usr/bin")->runc, "/bin/true");
  // A delete of a container with a record: the normal path removes the record first.
  EXPECT_FALSE(plan(argv({"delete", "--force", "cid"}), nullptr, "/usr/bin"));
  EXPECT_TRUE(plan(argv({"delete", "--force", "other"}), nullptr, "/usr/bin"));
  EXPECT_EQ(plan(argv({"state", "other"}), nullptr, "/usr/bin")->runc, "/bin/false");
  // A record with a root the call does not give: the normal path adds it.
  std::ofstream(state / "cid.json") << R"({"mode":"enforce","profile":"default","root":"/run/r","runtime":"/bin/true"})";
  EXPECT_FALSE(plan(argv({"kill", "cid"}), nullptr, "/usr/bin"));
  EXPECT_EQ(normal(argv({"kill", "cid"}))->argv, (std::vector<std::string>{"/bin/true", "--root", "/run/r", "kill", "cid"}));
  ASSERT_TRUE(plan(argv({"--root", "/x", "kill", "cid"}), nullptr, "/usr/bin"));
  // Anything the scanner does not read is the normal path's.
  std::ofstream(state / "cid.json") << "{\"profile\": \"d\", \"runtime\": \"/r\u00e9\"}";
  EXPECT_FALSE(plan(argv({"kill", "cid"}), nullptr, "/usr/bin"));
}

TEST(RecordScanner, ReadsTheRuntimeAndRootOfARecord) {
  RecordScan scan;
  ASSERT_TRUE(scan_creation_record(R"({"config":"/c","mode":"enforce","profile":"web","root":"/r","runtime":"/usr/bin/crun","selected_by":"x"})", scan));
  EXPECT_TRUE(scan.has_profile);
  EXPECT_EQ(scan.runtime, "/usr/bin/crun");
  EXPECT_EQ(scan.root, "/r");
  for (const char* text : {"", "{", R"({"runtime": 1})", R"({"runtime": "/a\/b"})", "[]", R"({"profile": "a"} x)"}) {
    RecordScan bad;
    EXPECT_FALSE(scan_creation_record(text, bad)) << text;
  }
}

TEST_F(FastPath, FindsTheConfigLikeTheNormalPath) {
  config(R"({"runtime": "/bin/true"})");
  auto from_env = plan({"hardened-runtime", "state", "cid"}, config_.c_str(), "/usr/bin");
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->runc, "/bin/true");
  EXPECT_FALSE(plan({"hardened-runtime", "state"}, "/nonexistent.json", "/usr/bin")) << "an explicit file must exist";
}

}  // namespace
}  // namespace hardened
