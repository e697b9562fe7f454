// What `hardened-runtime audit` flags in a live container beyond capabilities and limits: its
// identities against the profile's range, and its mounts against the host's own mount table.
#include <gtest/gtest.h>

#include "hardened/posture.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

// The host: an ext4 root on 8:1, its procfs on 0:22, /var/lib/docker on the root filesystem.
const char* kHostMountinfo =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    "23 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
    "24 22 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
    "25 22 0:24 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,mode=755\n"
    "26 24 0:25 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec shared:9 - cgroup cgroup rw,pids\n"
    "27 22 0:40 / /var/lib/docker/containers/abc/mounts/shm rw,nosuid,nodev,noexec shared:20 - tmpfs shm rw\n"
    // docker volume create -o type=none -o o=bind -o device=/etc v: the host's /etc under a second name
    "28 22 8:1 /etc /var/lib/docker/volumes/v/_data rw,relatime shared:1 - ext4 /dev/sda1 rw\n";

// A hardened container as Docker starts it: read-only root, its own /proc and /sys, a noexec /tmp.
std::string container_mountinfo(const std::string& extra = "") {
  return std::string("600 500 0:90 / / ro,relatime - overlay overlay rw\n"
                     "601 600 0:91 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
                     "602 600 0:92 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755\n"
                     "603 602 0:93 / /dev/pts rw,nosuid,noexec,relatime - devpts devpts rw,gid=5,mode=620,ptmxmode=666\n"
                     "604 600 0:94 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro\n"
                     "605 604 0:25 /docker/abc /sys/fs/cgroup/pids ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,pids\n"
                     "606 602 0:95 / /dev/mqueue rw,nosuid,nodev,noexec,relatime - mqueue mqueue rw\n"
                     "607 602 0:40 / /dev/shm rw,nosuid,nodev,noexec,relatime - tmpfs shm rw\n"
                     "608 600 8:1 /var/lib/docker/containers/abc/hosts /etc/hosts rw,relatime - ext4 /dev/sda1 rw\n"
                     "609 600 0:96 / /tmp rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw\n"
                     "610 601 0:91 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw\n"
                     "611 601 0:92 /null /proc/kcore rw,nosuid - tmpfs tmpfs rw\n") +
         extra;
}

AuditHost host() {
  AuditHost h;
  h.mounts = parse_mountinfo(kHostMountinfo);
  h.identities.users = {{1, {"daemon", true}}, {1000, {"alice", false}}};
  h.identities.groups = {{42, {"shadow", true}}, {1000, {"alice", false}}};
  return h;
}

// A live posture that meets the default profile in everything but what a test adds.
LivePosture hardened_posture(const std::string& extra_mounts = "") {
  LivePosture live;
  live.uid = 1001;
  live.uids = {1001, 1001, 1001, 1001};
  live.gids = {1001, 1001, 1001, 1001};
  live.no_new_privs = true;
  live.seccomp_mode = 2;
  live.pids_max = 100;
  live.memory_max = 536870912;
  live.cpus = 1;
  live.mounts = live_mounts(container_mountinfo(extra_mounts));
  for (auto& m : live.mounts) m.directory = m.mount_point != "/etc/hosts" && m.mount_point != "/proc/kcore";
  live.root_readonly = true;
  return live;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(Mountinfo, ParsesFieldsOptionsAndEscapes) {
  const auto mounts = live_mounts("36 35 98:0 /mnt\\0401 /a\\040b rw,noatime,noexec master:1 shared:2 - ext3 /dev/root rw\nbad line\n");
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0], (LiveMount{"98:0", "/mnt 1", "/a b", "ext3", false, true, true}));
}

TEST(AuditPosture, AHardenedContainerMeetsTheDefaultProfile) {
  EXPECT_EQ(joined(shortfalls(hardened_posture(), test::default_profile(), host())), "");
}

// The container, started with plain runc: an exec /tmp, the host's procfs mounted, /etc
// shadow readable through gid 42, uid 4242 (ordinary) and uid of the host's daemon account.
TEST(AuditPosture, FlagsExecMountsHostKernelFilesystemsAndGroups) {
  LivePosture live = hardened_posture(
      "620 600 0:97 / /work rw,nosuid,nodev,relatime - tmpfs tmpfs rw\n"
      "621 600 0:22 / /hostproc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
      "622 600 8:1 /etc /hostetc ro,relatime - ext4 /dev/sda1 rw\n"
      "623 600 0:24 /docker.sock /var/run/docker.sock rw - tmpfs tmpfs rw\n");
  live.mounts[9].noexec = false;  // /tmp
  live.uids = {4242, 4242, 4242, 4242};
  live.groups = {42, 1000};
  const std::string out = joined(shortfalls(live, test::default_profile(), host()));
  EXPECT_NE(out.find("supplementary group 42 is below the host's GID_MIN 1000 (/etc/login.defs), where the host's system groups are (the host group 'shadow')"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("supplementary group 1000"), std::string::npos) << out;
  EXPECT_EQ(out.find("uid 4242"), std::string::npos) << out;  // an ordinary uid, no host account
  EXPECT_NE(out.find("mount at /tmp (tmpfs) is writable and executable"), std::string::npos) << out;
  EXPECT_NE(out.find("mount at /work (tmpfs) is writable and executable"), std::string::npos) << out;
  EXPECT_NE(out.find("kernel filesystem proc mounted at /hostproc is the host's own (device 0:22)"), std::string::npos) << out;
  EXPECT_NE(out.find("mount at /hostetc shows the host's /etc, refused by deny.bind_sources_exact (/etc)"), std::string::npos) << out;
  EXPECT_NE(out.find("mount at /var/run/docker.sock shows the host's /run/docker.sock, refused by deny.bind_sources (/run/docker.sock)"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("/etc/hosts"), std::string::npos) << out;  // allowed by bind_sources_allowed
  EXPECT_EQ(out.find("/dev/shm"), std::string::npos) << out;
  EXPECT_EQ(out.find("/sys/fs/cgroup"), std::string::npos) << out;
}

// docker run --tmpfs /x:exec started by plain runc is flagged; under a profile that lists /x in
// mounts.exec_allowed it is not.
TEST(AuditPosture, AnExecTmpfsIsFlaggedUnlessTheProfileAllowsExecThere) {
  const LivePosture live = hardened_posture("620 600 0:97 / /x rw,nosuid,nodev,relatime - tmpfs tmpfs rw\n");
  const std::string out = joined(shortfalls(live, test::default_profile(), host()));
  EXPECT_NE(out.find("mount at /x (tmpfs) is writable and executable"), std::string::npos) << out;
  EXPECT_NE(out.find("mounts.writable_exec"), std::string::npos) << out;
  Profile p = test::default_profile();
  p.exec_allowed = {"/x"};
  EXPECT_EQ(joined(shortfalls(live, p, host())), "");
}

TEST(AuditPosture, FlagsAHostDaemonsUidAndAProcInPlaceOfItsOwn) {
  LivePosture live = hardened_posture();
  live.uids = {1, 1, 1, 1};
  live.mounts[1].device = "0:22";  // /proc is the host's (no pid namespace)
  const std::string out = joined(shortfalls(live, test::default_profile(), host()));
  EXPECT_NE(out.find("uid 1 is below the host's UID_MIN 1000 (/etc/login.defs), where the host's system accounts are (the host account 'daemon')"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("kernel filesystem proc mounted at /proc is the host's own"), std::string::npos) << out;
}

TEST(AuditPosture, KernelFilesystemsOutsideTheirPlaceAreFlaggedEvenIfNew) {  // volume-opt=type=sysfs at /s
  const std::string out = joined(shortfalls(hardened_posture("630 600 0:98 / /s rw - sysfs sysfs rw\n631 600 0:99 / /m rw - mqueue mqueue rw\n"),
                                            test::default_profile(), host()));
  EXPECT_NE(out.find("kernel filesystem sysfs mounted at /s (device 0:98)"), std::string::npos) << out;
  EXPECT_NE(out.find("kernel filesystem mqueue mounted at /m"), std::string::npos) << out;
}

// crun masks /proc/keys, /proc/timer_list, ... with a bind of the host's /dev/null (runc with its own).
TEST(AuditPosture, ThePathsCrunMasksWithTheHostsNullDeviceAreNotAKernelFilesystem) {
  const std::string out = joined(shortfalls(hardened_posture("630 600 0:6 /null /proc/keys rw - devtmpfs udev rw\n"
                                                              "631 600 0:6 /kmsg /k rw - devtmpfs udev rw\n"
                                                              "632 600 0:6 / /d rw - devtmpfs udev rw\n"),
                                            test::default_profile(), host()));
  EXPECT_EQ(out.find("/proc/keys"), std::string::npos) << out;
  EXPECT_NE(out.find("kernel filesystem devtmpfs mounted at /k"), std::string::npos) << out;
  EXPECT_NE(out.find("kernel filesystem devtmpfs mounted at /d"), std::string::npos) << out;
}

}  // namespace
}  // namespace hardened
