// The identity policy (user.* keys, identity.hpp): which uids/gids a container may run as, judged
// against the host's accounts; on the Docker fixtures, on exec's flags, and on this host's own files.
#include <gtest/gtest.h>

#include <fstream>

#include "hardened/argv_rewrite.hpp"
#include "hardened/host_identities.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

// A host like Debian's: system accounts below 1000, a login user at 1000, nobody, a docker group
// made by hand above the minimum (no user's own group).
HostIdentities debian_like() {
  HostIdentities host;
  host.users = {{101, {"postgres", true}}, {1000, {"alice", false}}, {1500, {"backup-agent", true}}, {65534, {"nobody", true}}};
  host.groups = {{42, {"shadow", true}}, {104, {"postgres", true}}, {1000, {"alice", false}}, {2375, {"docker", true}}, {65534, {"nogroup", true}}};
  return host;
}

Hardened decide_user(const json& user, const Profile& profile = test::default_profile(), const HostIdentities& host = debian_like()) {
  json spec = test::fixture("create", "default");
  spec["process"]["user"] = user;
  HostFacts facts;
  facts.identities = host;
  auto out = decide_spec(spec, profile, facts);
  EXPECT_TRUE(out) << out.error().message;
  return out ? *out : Hardened{};
}

std::vector<std::string> rules_of(const Findings& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule);
  return out;
}

TEST(IdentityRange, DefaultProfileAllowsOrdinaryUsersNobodyAndThePauseImage) {
  const auto& p = test::default_profile();
  const auto host = debian_like();
  for (std::uint32_t uid : {1000u, 1001u, 4242u, 65534u, 65535u, 100000u}) EXPECT_FALSE(id_outside_range(uid, IdKind::uid, p, host)) << uid;
  for (std::uint32_t gid : {1000u, 1001u, 65534u, 65535u}) EXPECT_FALSE(id_outside_range(gid, IdKind::gid, p, host)) << gid;
}

TEST(IdentityRange, SystemAccountsAndServicesAreOutside) {
  const auto& p = test::default_profile();
  const auto host = debian_like();
  EXPECT_EQ(id_outside_range(101, IdKind::uid, p, host),
            "is below the host's UID_MIN 1000 (/etc/login.defs), where the host's system accounts are (the host account 'postgres')");
  EXPECT_EQ(id_outside_range(999, IdKind::uid, p, host), "is below the host's UID_MIN 1000 (/etc/login.defs), where the host's system accounts are");
  EXPECT_TRUE(id_outside_range(42, IdKind::gid, p, host));
  EXPECT_EQ(id_outside_range(1500, IdKind::uid, p, host), "is the host's service account 'backup-agent' (it has no login shell)");
  EXPECT_EQ(id_outside_range(2375, IdKind::gid, p, host), "is the host's service group 'docker' (no login user's own group)");
  EXPECT_EQ(id_outside_range(0, IdKind::uid, p, host), "is root");
}

TEST(IdentityRange, ProfileKeysMoveTheRange) {
  Profile p = test::default_profile();
  const auto host = debian_like();
  p.host_accounts = Profile::HostAccounts::all;
  EXPECT_EQ(id_outside_range(1000, IdKind::uid, p, host), "is the host account 'alice'");
  EXPECT_FALSE(id_outside_range(65534, IdKind::uid, p, host));  // listed in ids_allowed
  p.host_accounts = Profile::HostAccounts::none;
  EXPECT_FALSE(id_outside_range(2375, IdKind::gid, p, host));
  p.ids_min = 5000;
  EXPECT_EQ(id_outside_range(4242, IdKind::uid, p, host), "is below the profile's user.ids_min 5000, where the host's system accounts are");
  p.ids_allowed = {101};
  EXPECT_FALSE(id_outside_range(101, IdKind::uid, p, host));
  EXPECT_FALSE(id_outside_range(p.uid, IdKind::uid, p, host));  // the profile's own replacement for root
}

TEST(IdentityRange, HostMinimumComesFromTheHost) {
  HostIdentities host = debian_like();
  host.uid_min = 500;
  host.gid_min = 2000;
  EXPECT_FALSE(id_outside_range(600, IdKind::uid, test::default_profile(), host));
  EXPECT_TRUE(id_outside_range(1999, IdKind::gid, test::default_profile(), host));
}

TEST(UserRule, ADaemonsUidIsRefusedNamingTheFieldAndTheWayOut) {  // docker run -u 101:104
  const auto out = decide_user(json{{"uid", 101}, {"gid", 104}});
  ASSERT_EQ(rules_of(out.denials), std::vector<std::string>{"user.ids"});
  EXPECT_NE(out.denials[0].message.find("refused by rule user.ids: process.user.uid (docker run -u; Kubernetes runAsUser) 101 is below"),
            std::string::npos)
      << out.denials[0].message;
  EXPECT_NE(out.denials[0].message.find("; and process.user.gid (docker run -u UID:GID; Kubernetes runAsGroup) 104 is below"), std::string::npos)
      << out.denials[0].message;
  EXPECT_NE(out.denials[0].message.find("or select a profile whose user.ids_allowed lists the id"), std::string::npos);
}

TEST(UserRule, RemapTurnsAnOutsideUserIntoTheProfileUser) {
  Profile p = test::default_profile();
  p.ids_outside = Profile::Outside::remap;
  const auto out = decide_user(json{{"uid", 101}, {"gid", 104}}, p);
  EXPECT_TRUE(out.denials.empty());
  EXPECT_EQ(out.document["process"]["user"], json::parse(R"({"uid":1001,"gid":1001})"));
}

TEST(UserRule, SupplementaryGroupsOutsideTheRangeAreRemovedOnTheTrail) {  // --group-add 42 --group-add 2375
  const auto out = decide_user(json{{"uid", 1000}, {"gid", 1000}, {"additionalGids", {1000, 42, 2375, 0, 65534}}});
  EXPECT_TRUE(out.denials.empty());
  EXPECT_EQ(out.document["process"]["user"]["additionalGids"], json::parse("[1000,65534]"));
  std::vector<std::string> details;
  for (const auto& c : out.changes) details.push_back(c.rule + ": " + c.detail);
  EXPECT_NE(std::find(details.begin(), details.end(), "user: removed supplementary groups outside the profile's range: 42, 2375"), details.end());
}

TEST(UserRule, SupplementaryGroupsOutsideTheRangeCanBeRefused) {
  Profile p = test::default_profile();
  p.additional_gids_outside = Profile::ExtraGroups::refuse;
  const auto out = decide_user(json{{"uid", 1000}, {"gid", 1000}, {"additionalGids", {42}}}, p);
  ASSERT_EQ(rules_of(out.denials), std::vector<std::string>{"user.additional_gids"});
  EXPECT_NE(out.denials[0].message.find("process.user.additionalGids (docker run --group-add; Kubernetes supplementalGroups): 42 is below"),
            std::string::npos)
      << out.denials[0].message;
}

TEST(UserRule, EveryDockerFixtureStillRuns) {
  // Root and ordinary image users run; Docker's supplementary groups below the minimum go.
  for (const auto& name : test::fixture_names("create")) {
    HostFacts facts;
    facts.identities = debian_like();
    auto out = decide_spec(test::fixture("create", name), test::permissive_deny(test::default_profile()), facts);
    ASSERT_TRUE(out) << name;
    EXPECT_TRUE(out->denials.empty()) << name << ": " << refusal_message(out->denials);
    const json& user = out->document["process"]["user"];
    EXPECT_GE(user["uid"].get<std::uint32_t>(), 1000u) << name;
    for (const auto& gid : user.value("additionalGids", json::array())) EXPECT_GE(gid.get<std::uint32_t>(), 1000u) << name;
  }
}

TEST(UserRule, PauseImageAndNobodyRun) {
  EXPECT_TRUE(decide_user(json{{"uid", 65535}, {"gid", 65535}}).denials.empty());
  EXPECT_TRUE(decide_user(json{{"uid", 65534}, {"gid", 65534}}).denials.empty());
}

TEST(UserRule, ExecProcessFileIsJudgedAlike) {
  auto out = harden_process(json{{"user", {{"uid", 101}, {"gid", 1000}, {"additionalGids", {42}}}}}, test::default_profile(), debian_like());
  ASSERT_TRUE(out);
  EXPECT_EQ(rules_of(out->denials), std::vector<std::string>{"user.ids"});
  EXPECT_EQ(out->document["user"]["additionalGids"], json::array());
}

// runc and crun run an exec under the process file's own AppArmor profile or SELinux label when it
// names one: only the container's own may be named (Docker names it on every exec on AppArmor hosts).
TEST(ExecLabels, OnlyTheContainersOwnConfinementMayBeNamed) {
  const ContainerLabels container{"docker-default", "system_u:system_r:container_t:s0:c1"};
  auto same = harden_process(json{{"apparmorProfile", "docker-default"}, {"selinuxLabel", "system_u:system_r:container_t:s0:c1"}},
                             test::default_profile(), debian_like(), container);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->denials.empty());
  EXPECT_EQ(same->document["apparmorProfile"], "docker-default");
  auto unconfined = harden_process(json{{"apparmorProfile", "unconfined"}, {"selinuxLabel", "system_u:system_r:spc_t:s0"}},
                                   test::default_profile(), debian_like(), container);
  ASSERT_TRUE(unconfined);
  ASSERT_EQ(rules_of(unconfined->denials), (std::vector<std::string>{"exec_labels", "exec_labels"}));
  EXPECT_NE(unconfined->denials[0].message.find("apparmorProfile 'unconfined'"), std::string::npos) << unconfined->denials[0].message;
  EXPECT_NE(unconfined->denials[0].message.find("('docker-default')"), std::string::npos);
  // A container with none (or whose record was not found): any label the exec names is refused.
  auto none = harden_process(json{{"apparmorProfile", "docker-default"}}, test::default_profile(), debian_like());
  ASSERT_TRUE(none);
  EXPECT_EQ(rules_of(none->denials), std::vector<std::string>{"exec_labels"});
  EXPECT_TRUE(harden_process(json{{"apparmorProfile", ""}}, test::default_profile(), debian_like())->denials.empty());
  EXPECT_FALSE(harden_process(json{{"selinuxLabel", 7}}, test::default_profile(), debian_like()));
}

Result<RewrittenArgv> exec_flags(const std::string& line, const Profile& profile = test::default_profile()) {
  auto inv = parse_invocation(test::words(line));
  EXPECT_TRUE(inv);
  return rewrite_exec_flags(*inv, profile, debian_like());
}

TEST(ExecIdentity, UserFlagOutsideTheRangeIsRefused) {
  auto out = exec_flags("exec --user 101:104 id sh");
  ASSERT_TRUE(out);
  ASSERT_EQ(rules_of(out->denials), std::vector<std::string>{"user.ids"});
  EXPECT_NE(out->denials[0].message.find("runc exec --user 101:104 (docker exec -u"), std::string::npos) << out->denials[0].message;
  ASSERT_TRUE(exec_flags("exec --user 4242:4242 id sh"));
  EXPECT_TRUE(exec_flags("exec --user 4242:4242 id sh")->denials.empty());
}

TEST(ExecIdentity, UserFlagIsRemappedWhenTheProfileSaysSo) {
  Profile p = test::default_profile();
  p.ids_outside = Profile::Outside::remap;
  auto out = exec_flags("exec --user 101:104 id sh", p);
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->denials.empty());
  EXPECT_EQ(out->argv, test::words("exec --no-new-privs --user=1001:1001 id sh"));
}

TEST(ExecIdentity, AdditionalGidsOutsideTheRangeAreRemoved) {
  auto out = exec_flags("exec --additional-gids 42 --additional-gids 2375 -g 1000 id sh");
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->denials.empty());
  EXPECT_EQ(out->argv, test::words("exec --no-new-privs -g 1000 id sh"));
  Profile p = test::default_profile();
  p.additional_gids_outside = Profile::ExtraGroups::refuse;
  out = exec_flags("exec --additional-gids 42 id sh", p);
  ASSERT_TRUE(out);
  EXPECT_EQ(rules_of(out->denials), std::vector<std::string>{"user.additional_gids"});
}

TEST(IdentityRange, TheHostIsReadOnlyWhenAnIdNeedsJudging) {
  const auto& p = test::default_profile();
  EXPECT_FALSE(user_needs_host_accounts(test::fixture("create", "default")["process"], p));  // root, groups [0]
  EXPECT_FALSE(user_needs_host_accounts(json{{"args", {"sh"}}}, p));
  EXPECT_FALSE(user_needs_host_accounts(json{{"user", {{"uid", 65535}, {"gid", 65535}}}}, p));
  EXPECT_TRUE(user_needs_host_accounts(test::fixture("create", "user-1000")["process"], p));
  EXPECT_TRUE(user_needs_host_accounts(test::fixture("create", "group-add")["process"], p));
  EXPECT_TRUE(user_needs_host_accounts(json{{"user", {{"uid", "0"}}}}, p));
}

void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

TEST(HostIdentitiesFiles, ReadsLoginDefsPasswdAndGroup) {
  test::TempDir dir;
  write(dir.path() / "login.defs", "# comment\nUID_MIN\t\t 500\nUID_MINIMUM 7\nGID_MIN 600 # trailing\n");
  write(dir.path() / "passwd",
        "root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104::/var/lib/postgresql:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\n"
        "broken line\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
  write(dir.path() / "group", "root:x:0:\nshadow:x:42:\nalice:x:1000:\ndocker:x:2375:alice\n");
  auto host = read_host_identities(dir.path().string());
  ASSERT_TRUE(host) << host.error().message;
  EXPECT_EQ(host->uid_min, 500u);
  EXPECT_EQ(host->gid_min, 600u);
  EXPECT_EQ(host->users.at(101), (HostAccount{"postgres", true}));
  EXPECT_EQ(host->users.at(1000), (HostAccount{"alice", false}));
  EXPECT_EQ(host->groups.at(1000), (HostAccount{"alice", false}));
  EXPECT_EQ(host->groups.at(2375), (HostAccount{"docker", true}));
  EXPECT_EQ(host->users.size(), 4u);
}

TEST(HostIdentitiesFiles, MissingFilesAreAnEmptyHostWithShadowsDefaults) {
  test::TempDir dir;
  auto host = read_host_identities(dir.path().string());
  ASSERT_TRUE(host);
  EXPECT_EQ(*host, HostIdentities{});
}

// On this host, whatever it is: every account of its /etc/passwd below its UID_MIN is refused as a
// container's uid, and every group of its /etc/group below GID_MIN is removed from the groups.
TEST(HostIdentitiesFiles, ThisHostsSystemAccountsAreOutside) {
  auto host = read_host_identities();
  ASSERT_TRUE(host) << host.error().message;
  std::size_t judged = 0;
  for (const auto& [uid, account] : host->users) {
    if (uid == 0 || uid >= host->uid_min) continue;
    auto out = harden_process(json{{"user", {{"uid", uid}, {"gid", 65534}}}}, test::default_profile(), *host);
    ASSERT_TRUE(out);
    EXPECT_EQ(rules_of(out->denials), std::vector<std::string>{"user.ids"}) << account.name;
    ++judged;
  }
  for (const auto& [gid, group] : host->groups) {
    if (gid == 0 || gid >= host->gid_min) continue;
    auto out = harden_process(json{{"user", {{"uid", 65534}, {"gid", 65534}, {"additionalGids", {gid}}}}}, test::default_profile(), *host);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->document["user"]["additionalGids"], json::array()) << group.name;
  }
  if (std::filesystem::exists("/etc/passwd")) {
    EXPECT_GT(judged, 0u) << "a host /etc/passwd with no system account";
  }
}

}  // namespace
}  // namespace hardened
