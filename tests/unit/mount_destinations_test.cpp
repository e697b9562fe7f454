// Where runc mounts (mount_destinations.hpp): the rootfs's symlinks, and those in earlier binds'
// sources, followed as securejoin follows them, never out of the container's root.
#include "hardened/mount_destinations.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

struct Bundle {
  test::TempDir dir;
  Bundle() { fs::create_directories(dir.path() / "rootfs" / "etc"); }
  fs::path rootfs() const { return dir.path() / "rootfs"; }
  void link(const fs::path& at, const std::string& target) const { fs::create_symlink(target, at); }
  std::map<std::string, std::string> resolve(const std::vector<json>& mounts) const {
    json spec{{"root", {{"path", "rootfs"}}}};
    spec["mounts"] = mounts;
    return resolve_mount_destinations(spec, dir.path().string(), {});
  }
};

json bind_on(const std::string& destination, const std::string& source) {
  return {{"destination", destination}, {"type", "bind"}, {"source", source}, {"options", {"rbind"}}};
}

TEST(MountDestinations, TheImagesSymlinksAreFollowedInsideTheRoot) {
  Bundle b;
  b.link(b.rootfs() / "x", "/dev/null");
  b.link(b.rootfs() / "up", "../../../../dev/zero");  // ".." stops at the container's root
  b.link(b.rootfs() / "etc" / "rel", "../dev/tty");
  b.link(b.rootfs() / "dir", "/dev");
  const auto out = b.resolve({bind_on("/x", "/srv/a"), bind_on("up", "/srv/a"), bind_on("/etc/rel", "/srv/a"), bind_on("/dir/./console", "/srv/a"),
                              bind_on("/plain", "/srv/a")});
  EXPECT_EQ(out.at("/x"), "/dev/null");
  EXPECT_EQ(out.at("up"), "/dev/zero");
  EXPECT_EQ(out.at("/etc/rel"), "/dev/tty");
  EXPECT_EQ(out.at("/dir/./console"), "/dev/console");
  EXPECT_EQ(out.count("/plain"), 0u) << "a destination that lands where it is written is not listed";
}

TEST(MountDestinations, ALinkInAnEarlierBindsSourceLeadsTheLaterMount) {
  Bundle b;
  const fs::path volume = b.dir.path() / "volume";
  fs::create_directories(volume);
  b.link(volume / "n", "/dev/null");
  const auto out = b.resolve({bind_on("/data", volume.string()), bind_on("/data/n", "/srv/a")});
  EXPECT_EQ(out.at("/data/n"), "/dev/null");
}

TEST(MountDestinations, AFreshFilesystemHidesTheImagesLinksBelowIt) {
  Bundle b;
  fs::create_directories(b.rootfs() / "run");
  b.link(b.rootfs() / "run" / "x", "/dev/null");  // covered by the tmpfs on /run before the bind is made
  const auto out = b.resolve({{{"destination", "/run"}, {"type", "tmpfs"}, {"source", "tmpfs"}}, bind_on("/run/x", "/srv/a")});
  EXPECT_EQ(out.count("/run/x"), 0u);
}

TEST(MountDestinations, ALinkLoopEndsAndTheRootfsPathMayBeAbsolute) {
  Bundle b;
  b.link(b.rootfs() / "a", "/b");
  b.link(b.rootfs() / "b", "/a");
  const auto out = resolve_mount_destinations(json{{"root", {{"path", b.rootfs().string()}}}, {"mounts", {bind_on("/a/x", "/srv/a")}}}, "/nowhere", {});
  EXPECT_EQ(out.count("/a/x"), 1u) << "a loop ends after securejoin's 255 links with some path, never hangs";
}

}  // namespace
}  // namespace hardened
