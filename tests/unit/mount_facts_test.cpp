#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "hardened/json_file.hpp"
#include "hardened/mount_facts.hpp"

namespace hardened {
namespace {

TEST(Mountinfo, ReadsEveryFieldAndSkipsWhatIsNotALine) {
  const auto table = parse_mountinfo(
      "36 35 98:0 /mnt\\0401 /a\\040b rw,noatime,noexec master:1 shared:2 - ext3 /dev/my\\040root rw,errors=continue\n"
      "bad line\n"
      "x 1 0:5 / /p rw - proc proc rw\n"
      "40 1 0:5 / /proc rw,nosuid - proc proc rw\n");
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0].id, 36);
  EXPECT_EQ(table[0].device, "98:0");
  EXPECT_EQ(table[0].root, "/mnt 1");
  EXPECT_EQ(table[0].mount_point, "/a b");
  EXPECT_EQ(table[0].fs_type, "ext3");
  EXPECT_EQ(table[0].source, "/dev/my root");
  EXPECT_TRUE(has_mount_option(table[0], "noexec"));
  EXPECT_FALSE(has_mount_option(table[0], "exec"));
  EXPECT_EQ(table[1].mount_point, "/proc");
}

// A filesystem's path is named by its original mount, not by a later bind of part of it: a Docker
// volume whose _data is a bind of /etc is /etc to the deny lists.
TEST(Mountinfo, NamesAPathThroughTheMountNearestTheFilesystemsRoot) {
  const auto table = parse_mountinfo(
      "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
      "30 20 8:1 /etc /var/lib/docker/volumes/v/_data rw - ext4 /dev/sda1 rw\n"
      "31 20 8:2 /data /srv rw - ext4 /dev/sda2 rw\n");
  EXPECT_EQ(visible_path_of("8:1", "/etc/shadow", table), "/etc/shadow");
  EXPECT_EQ(visible_path_of("8:1", "/", table), "/");
  EXPECT_EQ(visible_path_of("8:2", "/data", table), "/srv");
  EXPECT_EQ(visible_path_of("8:2", "/data/x", table), "/srv/x");
  EXPECT_EQ(visible_path_of("8:2", "/database", table), std::nullopt);  // not under /data
  EXPECT_EQ(visible_path_of("8:3", "/", table), std::nullopt);          // no mount of that filesystem
}

// The object behind a descriptor is found in this host's own table: /proc is procfs everywhere.
TEST(MountFacts, IdentifiesAnObjectByTheMountThatHoldsIt) {
  auto text = read_text_file("/proc/self/mountinfo");
  ASSERT_TRUE(text);
  const int fd = ::open("/proc/self", O_PATH | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const auto object = identify(fd, parse_mountinfo(*text));
  ::close(fd);
  ASSERT_TRUE(object);
  EXPECT_EQ(object->fs_type, "proc");
  EXPECT_EQ(object->mount_point, "/proc");
  EXPECT_EQ(object->path.rfind("/proc/", 0), 0u) << object->path;
}

// A path the rules name is the object it resolves to: a symlink to a directory names the directory,
// the same object (device, inode, path) that a bind of that directory is found to be.
TEST(MountFacts, NamedPathsAndBindSourcesAreTheObjectsTheyResolveTo) {
  char tmpl[] = "/tmp/hr-named-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string real = dir + "/real", link = dir + "/link";
  ASSERT_EQ(::mkdir(real.c_str(), 0700), 0);
  ASSERT_EQ(::symlink(real.c_str(), link.c_str()), 0);
  const json spec = {{"mounts", json::array({{{"destination", "/data"}, {"type", "bind"}, {"source", real}, {"options", {"rbind"}}}})}};
  HostFacts facts;
  const auto table = read_own_mount_table();
  const auto open = observe_mount_sources(spec, dir, facts, table);
  observe_named_paths({link, dir + "/absent"}, facts, table);
  struct stat st {};
  ASSERT_EQ(::stat(real.c_str(), &st), 0);
  ASSERT_TRUE(facts.named_objects.contains(link));
  const MountedObject& named = facts.named_objects.at(link);
  EXPECT_EQ(named.path, std::filesystem::canonical(real).string());
  EXPECT_EQ(named.ino, st.st_ino);
  EXPECT_EQ(named.dev, st.st_dev);
  EXPECT_TRUE(S_ISDIR(named.mode));
  EXPECT_FALSE(facts.named_objects.contains(dir + "/absent"));
  ASSERT_EQ(facts.bind_objects.size(), 1u);
  const MountedObject& bound = facts.bind_objects.begin()->second;
  EXPECT_EQ(bound.ino, named.ino);
  EXPECT_EQ(bound.path, named.path);
  EXPECT_EQ(bound.host_name, named.host_name);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hardened
