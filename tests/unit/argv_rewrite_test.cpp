#include "hardened/argv_rewrite.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "helpers.hpp"

namespace hardened {
namespace {

using test::words;

std::vector<std::string> rewrite_exec(const std::string& line, const Profile& profile = test::default_profile()) {
  auto inv = parse_invocation(words(line));
  EXPECT_TRUE(inv);
  auto out = rewrite_exec_flags(*inv, profile);
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? out->argv : std::vector<std::string>{};
}

std::vector<std::string> rewrite_update(const std::string& line) {
  auto inv = parse_invocation(words(line));
  EXPECT_TRUE(inv);
  auto out = rewrite_update_flags(*inv, test::default_profile());
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? out->argv : std::vector<std::string>{};
}

TEST(ExecFlags, RootBecomesTheProfileUser) {
  EXPECT_EQ(rewrite_exec("exec --user 0 id sh"), words("exec --no-new-privs --user=1001 id sh"));
  EXPECT_EQ(rewrite_exec("exec -u 0:0 id sh"), words("exec --no-new-privs --user=1001:1001 id sh"));
  EXPECT_EQ(rewrite_exec("exec --user=0:5 id sh"), words("exec --no-new-privs --user=1001:5 id sh"));
  EXPECT_EQ(rewrite_exec("exec -u 1000:1000 id sh"), words("exec --no-new-privs -u 1000:1000 id sh"));
}

TEST(ExecFlags, CapabilitiesOutsideTheAllowListAreRemoved) {
  EXPECT_EQ(rewrite_exec("exec --cap CAP_SYS_ADMIN -c CAP_NET_RAW id sh"), words("exec --no-new-privs id sh"));
  Profile web = test::default_profile();
  web.capabilities_allow = {"CAP_NET_BIND_SERVICE"};
  EXPECT_EQ(rewrite_exec("exec --cap CAP_NET_BIND_SERVICE --cap=CAP_SYS_ADMIN id sh", web),
            words("exec --no-new-privs --cap CAP_NET_BIND_SERVICE id sh"));
}

TEST(ExecFlags, NoNewPrivsCannotBeTurnedOff) {
  EXPECT_EQ(rewrite_exec("exec --no-new-privs=false id sh"), words("exec --no-new-privs id sh"));
  EXPECT_EQ(rewrite_exec("exec --no-new-privs id sh"), words("exec --no-new-privs id sh"));
}

TEST(ExecFlags, RootGroupIsRemovedAndTheCommandIsUntouched) {
  EXPECT_EQ(rewrite_exec("exec -g 0 --additional-gids 2000 id sh --user 0"),
            words("exec --no-new-privs --additional-gids 2000 id sh --user 0"));
}

TEST(ExecFlags, NonNumericUserIsRefused) {
  auto inv = parse_invocation(words("exec --user root id sh"));
  ASSERT_TRUE(inv);
  EXPECT_FALSE(rewrite_exec_flags(*inv, test::default_profile()));
}

TEST(UpdateFlags, ClampedToTheCeilings) {
  EXPECT_EQ(rewrite_update("update --memory 4g --pids-limit 100000 --cpu-quota 200000 --cpu-period 100000 id"),
            words("update --memory=536870912 --memory-swap=536870912 --pids-limit=100 --cpu-period=100000 "
                  "--cpu-quota=100000 id"));
}

TEST(UpdateFlags, StricterValuesAreKept) {
  EXPECT_EQ(rewrite_update("update --memory=64m --pids-limit=10 id"),
            words("update --memory=67108864 --memory-swap=67108864 --pids-limit=10 id"));
}

TEST(UpdateFlags, SwapAloneIsDroppedAndOtherFlagsPass) {
  EXPECT_EQ(rewrite_update("update --memory-swap -1 --blkio-weight 300 id"), words("update --blkio-weight 300 id"));
  EXPECT_EQ(rewrite_update("update --cpuset-cpus 0 id"), words("update --cpuset-cpus 0 id"));
}

TEST(UpdateFlags, UnlimitedBecomesTheCeiling) {
  EXPECT_EQ(rewrite_update("update --memory -1 --pids-limit -1 id"),
            words("update --memory=536870912 --memory-swap=536870912 --pids-limit=100 id"));
}

TEST(RamBytes, GoUnitsForms) {
  EXPECT_EQ(*parse_ram_bytes("1024", "memory"), 1024);
  EXPECT_EQ(*parse_ram_bytes("512m", "memory"), 512LL << 20);
  EXPECT_EQ(*parse_ram_bytes("512M", "memory"), 512LL << 20);
  EXPECT_EQ(*parse_ram_bytes("1g", "memory"), 1LL << 30);
  EXPECT_EQ(*parse_ram_bytes("1GiB", "memory"), 1LL << 30);
  EXPECT_EQ(*parse_ram_bytes("1.5gb", "memory"), 3LL << 29);
  EXPECT_EQ(*parse_ram_bytes("64k", "memory"), 65536);
  EXPECT_EQ(*parse_ram_bytes("-1", "memory"), -1);
  EXPECT_EQ(*parse_ram_bytes("99999999p", "memory"), std::numeric_limits<std::int64_t>::max());
  for (const char* bad : {"", "m", "12q", "1..2", "-5", "1 g g"}) EXPECT_FALSE(parse_ram_bytes(bad, "memory")) << bad;
}

}  // namespace
}  // namespace hardened
