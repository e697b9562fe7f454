#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

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

}  // namespace
}  // namespace hardened
