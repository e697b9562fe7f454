// observe_host resolves bind sources as realpath(3) does, though it reads each directory only once,
// and reads the AppArmor profiles the host has loaded (with their modes) when a spec names one.
#include <gtest/gtest.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "hardened/host_facts.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

std::string real(const fs::path& p) {
  char out[PATH_MAX];
  return ::realpath(p.c_str(), out) != nullptr ? out : "";
}

TEST(HostFacts, BindSourcesResolveAsRealpathDoes) {
  const fs::path root = fs::temp_directory_path() / ("hardened-facts-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "real" / "dir");
  std::ofstream(root / "real" / "dir" / "file") << "x";
  std::ofstream(root / "real" / "secret") << "x";
  fs::create_directory_symlink(root / "real", root / "linked");          // a directory through a link
  fs::create_symlink(root / "real" / "secret", root / "real" / "dir" / "innocent");  // a file that is a link
  fs::create_symlink("../secret", root / "real" / "dir" / "relative");   // a relative link

  const std::vector<fs::path> sources{root / "linked" / "dir" / "file", root / "linked" / "dir" / "innocent",
                                      root / "linked" / "dir" / "relative", root / "real" / "dir" / "file",
                                      root / "linked" / "dir" / "missing", root / "linked" / "dir" / ".."};
  json spec = {{"mounts", json::array()}};
  for (const auto& s : sources) spec["mounts"].push_back({{"source", s.string()}, {"destination", "/x"}, {"type", "bind"}});
  const HostFacts facts = observe_host(spec);
  for (const auto& s : sources) {
    const std::string expected = real(s);
    const auto it = facts.resolved_sources.find(s.string());
    if (expected.empty() || expected == s.string()) {
      EXPECT_EQ(it, facts.resolved_sources.end()) << s;
    } else {
      ASSERT_NE(it, facts.resolved_sources.end()) << s;
      EXPECT_EQ(it->second, expected) << s;
    }
  }
  EXPECT_EQ(facts.resolved_sources.at((root / "linked" / "dir" / "innocent").string()), real(root / "real" / "secret"));
  utsname host{};
  ASSERT_EQ(::uname(&host), 0);
  EXPECT_EQ(facts.kernel, parse_kernel_version(host.release).value_or(KernelVersion{})) << host.release;
  fs::remove_all(root);
}

// The list securityfs gives (Ubuntu 24.04 loads runc's own profile flags=(unconfined)).
TEST(HostFacts, AppArmorProfilesAreReadWithTheirModes) {
  const auto modes = parse_apparmor_profiles("docker-default (enforce)\nrunc (unconfined)\n/usr/bin/my app (complain)\nnot a line\n");
  EXPECT_EQ(modes, (std::map<std::string, std::string>{{"docker-default", "enforce"}, {"runc", "unconfined"}, {"/usr/bin/my app", "complain"}}));
  EXPECT_TRUE(parse_apparmor_profiles("").empty());
  EXPECT_TRUE(observe_host(json::object()).apparmor_modes.empty()) << "read only when the spec names a profile";
}

}  // namespace
}  // namespace hardened
