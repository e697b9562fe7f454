// Hooks run on the host as root, outside the container: only a program the profile lists runs, judged by
// the file the hook's path reaches (Docker's /proc/<pid>/exe is dockerd), and run by that file's path.
#include <sys/stat.h>

#include "helpers.hpp"

namespace hardened {
namespace {

MountedObject file(const std::string& path, std::uint64_t ino, std::uint32_t mode = S_IFREG | 0755, std::uint32_t uid = 0) {
  MountedObject o;
  o.path = path;
  o.dev = 2049;
  o.ino = ino;
  o.mode = mode;
  o.uid = uid;
  return o;
}

// A host with dockerd at /usr/sbin/dockerd (pid 11955, as in the fixtures) and this runtime's own binary.
HostFacts docker_host() {
  HostFacts facts;
  facts.hooks_observed = true;
  facts.named_objects["/usr/sbin/dockerd"] = file("/usr/sbin/dockerd", 700);
  facts.hook_programs["/proc/11955/exe"] = file("/usr/sbin/dockerd", 700);
  facts.hook_programs["/usr/sbin/dockerd"] = file("/usr/sbin/dockerd", 700);
  facts.hook_programs["/bin/sh"] = file("/usr/bin/dash", 800);
  facts.runtime_program = file("/usr/local/bin/hardened-runtime", 900);
  facts.hook_programs["/usr/local/bin/hardened-runtime"] = file("/usr/local/bin/hardened-runtime", 900);
  return facts;
}

json with_hook(const std::string& kind, const json& hook) {
  json spec = test::fixture("create", "default");
  spec["hooks"][kind].push_back(hook);
  return spec;
}

const Finding* hook_refusal(const Hardened& out) {
  for (const auto& d : out.denials) {
    if (d.rule == "hooks") return &d;
  }
  return nullptr;
}

TEST(Hooks, DockersHookRunsByDockerdsOwnPath) {
  auto out = decide_spec(test::fixture("create", "default"), test::default_profile(), docker_host());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(hook_refusal(*out), nullptr);
  const json& hook = out->document["hooks"]["prestart"][0];
  EXPECT_EQ(hook["path"], "/usr/sbin/dockerd") << "not /proc/11955/exe, which names whatever that pid runs later";
  EXPECT_EQ(hook["args"][0], "libnetwork-setkey");
  const auto change = std::find_if(out->changes.begin(), out->changes.end(), [](const Change& c) { return c.rule == "hooks"; });
  ASSERT_NE(change, out->changes.end());
  EXPECT_NE(change->detail.find("/proc/11955/exe -> /usr/sbin/dockerd"), std::string::npos) << change->detail;
  auto again = decide_spec(out->document, test::default_profile(), docker_host());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->document, out->document) << "applying it twice changes nothing";
}

TEST(Hooks, AnyOtherProgramIsRefusedInEveryKindOfHook) {
  for (const char* kind : {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"}) {
    auto out = decide_spec(with_hook(kind, {{"path", "/bin/sh"}, {"args", {"sh", "-c", "id > /tmp/x"}}}), test::default_profile(), docker_host());
    ASSERT_TRUE(out) << out.error().message;
    const Finding* refusal = hook_refusal(*out);
    ASSERT_NE(refusal, nullptr) << kind;
    EXPECT_NE(refusal->message.find("runs /bin/sh as a " + std::string(kind) + " hook"), std::string::npos) << refusal->message;
    EXPECT_NE(refusal->message.find("/usr/bin/dash"), std::string::npos) << "names the file it is: " << refusal->message;
    EXPECT_NE(refusal->message.find("hooks.allowed"), std::string::npos) << refusal->message;
  }
}

TEST(Hooks, DockerdIsAllowedOnlyAsItsHookAndOnlyAsRootsFile) {
  HostFacts facts = docker_host();
  // dockerd run as a daemon (any first argument but libnetwork-setkey) would start a Docker of the spec's own.
  auto daemon = decide_spec(with_hook("poststart", {{"path", "/usr/sbin/dockerd"}, {"args", {"dockerd", "-H", "unix:///tmp/d.sock"}}}),
                            test::default_profile(), facts);
  ASSERT_TRUE(daemon);
  EXPECT_NE(hook_refusal(*daemon), nullptr);
  // Environment for the allowed program (LD_PRELOAD, ...) changes what it does.
  auto env = decide_spec(with_hook("poststart", {{"path", "/usr/sbin/dockerd"}, {"args", {"libnetwork-setkey"}}, {"env", {"LD_PRELOAD=/tmp/x.so"}}}),
                         test::default_profile(), facts);
  ASSERT_TRUE(env);
  ASSERT_NE(hook_refusal(*env), nullptr);
  EXPECT_NE(hook_refusal(*env)->message.find("env"), std::string::npos);
  // A program file someone other than root can change is not the program that was listed.
  for (auto change : {+[](MountedObject& o) { o.mode |= S_IWGRP; }, +[](MountedObject& o) { o.uid = 1000; },
                      +[](MountedObject& o) { o.controlled = "/usr/sbin"; }}) {
    HostFacts changed = docker_host();
    change(changed.hook_programs["/proc/11955/exe"]);
    auto out = decide_spec(test::fixture("create", "default"), test::default_profile(), changed);
    ASSERT_TRUE(out);
    ASSERT_NE(hook_refusal(*out), nullptr);
    EXPECT_NE(hook_refusal(*out)->message.find("can be changed by someone other than root"), std::string::npos);
  }
  // A pid whose program is gone (or another process's, not dockerd).
  HostFacts gone = docker_host();
  gone.hook_programs.erase("/proc/11955/exe");
  auto out = decide_spec(test::fixture("create", "default"), test::default_profile(), gone);
  ASSERT_TRUE(out);
  EXPECT_NE(hook_refusal(*out), nullptr);
}

TEST(Hooks, TheRuntimesOwnHookIsDroppedNeverRun) {
  auto out = decide_spec(with_hook("createRuntime", {{"path", "/usr/local/bin/hardened-runtime"}, {"args", {"hardened-runtime", "unstage", "/"}}}),
                         test::default_profile(), docker_host());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(hook_refusal(*out), nullptr);
  EXPECT_TRUE(out->document["hooks"]["createRuntime"].empty()) << out->document["hooks"].dump();
}

TEST(Hooks, ARelaxedProfileCanListAnotherProgram) {
  Profile profile = test::default_profile();
  profile.hooks_allowed.push_back({"/usr/bin/dash", ""});
  HostFacts facts = docker_host();
  facts.named_objects["/usr/bin/dash"] = file("/usr/bin/dash", 800);
  auto out = decide_spec(with_hook("poststart", {{"path", "/bin/sh"}, {"args", {"sh"}}}), profile, facts);
  ASSERT_TRUE(out);
  EXPECT_EQ(hook_refusal(*out), nullptr);
  EXPECT_EQ(out->document["hooks"]["poststart"][0]["path"], "/usr/bin/dash");
}

TEST(Hooks, TheProfileKeyIsChecked) {
  json doc = json::parse(std::string(builtin_default_profile_text()));
  for (const json& bad : {json("x"), json::array({"/usr/bin/x"}), json::array({{{"program", "x"}}}),
                          json::array({{{"program", "/x"}, {"args0", 1}}}), json::array({{{"program", "/x"}, {"other", "y"}}})}) {
    doc["hooks"]["allowed"] = bad;
    auto p = parse_profile(doc, "p");
    ASSERT_FALSE(p) << bad.dump();
    EXPECT_NE(p.error().message.find("hooks.allowed"), std::string::npos) << p.error().message;
  }
  doc.erase("hooks");
  auto defaulted = parse_profile(doc, "p");
  ASSERT_TRUE(defaulted) << defaulted.error().message;
  EXPECT_EQ(defaulted->hooks_allowed, test::default_profile().hooks_allowed) << "a profile written before the key takes the built-in's";
}

}  // namespace
}  // namespace hardened
