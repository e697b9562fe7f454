#pragma once
// Shared test helpers: the shipped default profile, fixtures, temporary directories.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "hardened/harden.hpp"
#include "hardened/profile.hpp"
#include "test_paths.hpp"

namespace hardened::test {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// "create -b /b id" -> {"hardened-runtime", "create", "-b", "/b", "id"}
inline std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out{"hardened-runtime"};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

inline json load(const std::filesystem::path& path) { return json::parse(slurp(path)); }

inline json fixture(const std::string& kind, const std::string& name) {
  return load(std::filesystem::path(kFixturesDir) / kind / (name + ".json"));
}

// A Docker create fixture as a bundle's config.json on this host: without its hook, which runs dockerd
// through /proc/<dockerd's pid>/exe on the machine it was captured on (no such program here, so a
// create would refuse it: hooks.cpp).
inline void write_create_fixture(const std::string& name, const std::filesystem::path& to) {
  json spec = fixture("create", name);
  spec.erase("hooks");
  std::ofstream(to, std::ios::trunc) << spec.dump();
}

inline std::vector<std::string> fixture_names(const std::string& kind) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(kFixturesDir) / kind)) {
    names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// gtest names may not contain '-': "cap-add-sysadmin" -> "cap_add_sysadmin".
inline std::string fixture_test_name(const ::testing::TestParamInfo<std::string>& param_info) {
  std::string name = param_info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

inline const Profile& default_profile() {
  static const Profile profile = [] {
    auto parsed = parse_profile(load(std::filesystem::path(kProfilesDir) / "default.json"), "default");
    if (!parsed) throw std::runtime_error(parsed.error().message);
    return *parsed;
  }();
  return profile;
}

// A profile that refuses nothing, for tests of the rewriting rules on fixtures the default refuses.
inline Profile permissive_deny(Profile profile) {
  profile.deny_privileged = false;
  profile.deny_host_namespaces.clear();
  profile.deny_bind_sources.clear();
  profile.deny_bind_sources_exact.clear();
  profile.deny_devices = false;
  profile.deny_sysctls = false;
  profile.deny_device_nodes = false;
  profile.deny_lsm_unconfined = false;
  profile.deny_runtime_annotations = false;
  profile.capabilities_deny.clear();
  return profile;
}

// A minimal spec: enough for every rule to run.
inline json minimal_spec() {
  return json::parse(R"({"ociVersion":"1.0.2","process":{"user":{"uid":0,"gid":0},"args":["sh"],"cwd":"/"},
                         "root":{"path":"rootfs"},"linux":{"namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"mount"},{"type":"uts"},{"type":"network"}]}})");
}

inline bool has_change(const Changes& changes, const std::string& rule) {
  return std::any_of(changes.begin(), changes.end(), [&](const Change& c) { return c.rule == rule; });
}

// A fresh directory under the system temp dir, removed with its content at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "hardened-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A temporary directory under /run: it and every directory above it are root's alone (/tmp is not),
// for what is judged by who may change each directory on the way (controlled_component, staging).
class RootOnlyTempDir {
 public:
  RootOnlyTempDir() {
    std::string pattern = "/run/hardened-test-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~RootOnlyTempDir() {
    if (!path_.empty()) std::filesystem::remove_all(path_);
  }
  RootOnlyTempDir(const RootOnlyTempDir&) = delete;
  RootOnlyTempDir& operator=(const RootOnlyTempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }  // empty if it could not be made

 private:
  std::filesystem::path path_;
};

}  // namespace hardened::test
