// What runc and crun remember about a container: audit and update read both.
#include "hardened/container_state.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

TEST(ContainerState, ReadsCrunsStatusAndItsCopyOfTheSpec) {
  test::TempDir dir;
  fs::create_directories(dir.path() / "c1");
  std::ofstream(dir.path() / "c1" / "status") << R"({"pid": 4242, "cgroup-path": "/machine/c1", "bundle": "/b", "rootfs": "rootfs"})";
  std::ofstream(dir.path() / "c1" / "config.json")
      << R"({"annotations": {"org.hardened-runtime.profile": "web"}, "process": {"apparmorProfile": "crun-default", "selinuxLabel": "l"}})";
  const auto state = read_container_state(dir.path().string(), "c1");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->pid, 4242);
  EXPECT_EQ(state->annotations["org.hardened-runtime.profile"], "web");
  EXPECT_EQ(state->cgroup_paths.at("cpu"), "/sys/fs/cgroup/cpu/machine/c1");
  EXPECT_EQ(list_containers(dir.path().string()).size(), 1u);
  EXPECT_EQ(state->labels.apparmor_profile, "crun-default");
  EXPECT_EQ(state->labels.selinux_label, "l");
}

// An exec may name only the container's own confinement: runc keeps it in its config.
TEST(ContainerState, ReadsRuncsAppArmorProfileAndProcessLabel) {
  test::TempDir dir;
  fs::create_directories(dir.path() / "c1");
  std::ofstream(dir.path() / "c1" / "state.json")
      << R"({"init_process_pid": 7, "config": {"apparmor_profile": "docker-default", "process_label": "system_u:system_r:container_t:s0", "labels": []}})";
  const auto state = read_container_state(dir.path().string(), "c1");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->labels.apparmor_profile, "docker-default");
  EXPECT_EQ(state->labels.selinux_label, "system_u:system_r:container_t:s0");
}

TEST(ContainerState, CurrentCpuFromCgroupV2OrRuncsRecord) {
  test::TempDir dir;
  ContainerState state;
  state.cgroup_paths[""] = dir.path().string();
  std::ofstream(dir.path() / "cpu.max") << "max 100000\n";
  CurrentCpu cpu = read_current_cpu(state);
  EXPECT_EQ(cpu.period, 100000);
  EXPECT_EQ(cpu.quota, -1);
  std::ofstream(dir.path() / "cpu.max") << "25000 50000\n";
  cpu = read_current_cpu(state);
  EXPECT_EQ(cpu.quota, 25000);
  state.cgroup_paths.clear();
  state.config_cgroup = json{{"cpu_period", 0}, {"cpu_quota", 30000}};
  cpu = read_current_cpu(state);
  EXPECT_FALSE(cpu.period) << "0 is runc's 'not set'";
  EXPECT_EQ(cpu.quota, 30000);
}

}  // namespace
}  // namespace hardened
