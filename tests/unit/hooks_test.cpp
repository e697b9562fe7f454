// Hooks run on the host as root, outside the container: only a program the profile lists runs, judged by
// the file the hook's path reaches (Docker's /proc/<pid>/exe is dockerd), and run by that file's path,
// with exactly the arguments the profile's patterns allow (Docker's names this container, no other).
#include <sys/stat.h>

#include <functional>

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

// The container the default fixture was created as: its hook's args[2], runc create's id.
const std::string kFixtureId = "213f01d82a7093328a5ef00fb3122c1d43714c5f45da54eb61149a4273b682ab";

// A host with dockerd at /usr/sbin/dockerd (pid 11955, as in the fixtures) and this runtime's own binary,
// creating the default fixture's container.
HostFacts docker_host() {
  HostFacts facts;
  facts.hooks_observed = true;
  facts.container_id = kFixtureId;
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
  auto env = decide_spec(with_hook("poststart", {{"path", "/usr/sbin/dockerd"},
                                                 {"args", {"libnetwork-setkey", "-exec-root=/var/run/docker", kFixtureId, "bcdfdc72d4c6"}},
                                                 {"env", {"LD_PRELOAD=/tmp/x.so"}}}),
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

// Docker's hook with its arguments changed: args[2] is the container whose network sandbox dockerd moves
// into this one's namespace.
json dockers_hook_with(const std::function<void(json& args)>& change) {
  json spec = test::fixture("create", "default");
  change(spec["hooks"]["prestart"][0]["args"]);
  return spec;
}

TEST(Hooks, DockersHookNamesOnlyTheContainerBeingCreated) {
  const std::string other = "8d413a33dccbbd9e4b730c0c88ac419b7171978d6b93701a4194786aae27ffc1";  // another running container
  const struct {
    const char* what;
    std::function<void(json&)> change;
    std::string says;
  } cases[] = {
      {"another container's id", [&](json& a) { a[2] = other; },
       "its args[2] '" + other + "' is not the id of the container being created, " + kFixtureId + " ('<container-id>'"},
      {"a fifth argument", [](json& a) { a.push_back("-exec-root=/tmp/x"); }, "it has 5 arguments where hooks.allowed for /usr/sbin/dockerd lists 4"},
      {"the controller id left out", [](json& a) { a.erase(3); }, "it has 3 arguments"},
      {"no arguments at all", [](json& a) { a = json::array(); }, "it has 0 arguments"},
      {"--exec-root for -exec-root", [](json& a) { a[1] = "--exec-root=/var/run/docker"; },
       "its args[1] '--exec-root=/var/run/docker' does not match '-exec-root=*' of hooks.allowed for /usr/sbin/dockerd"},
      {"-exec-root and its value in two words", [](json& a) { a[1] = "-exec-root"; }, "its args[1] '-exec-root' does not match"},
      {"a controller id that is a path", [](json& a) { a[3] = "../../../run/containerd/x"; }, "its args[3] '../../../run/containerd/x' does not match"},
      {"another first argument", [](json& a) { a[0] = "dockerd"; }, "its args[0] 'dockerd' does not match 'libnetwork-setkey'"},
      {"an argument that is not a string", [](json& a) { a[3] = 1; }, "its args[3] is not a string"},
      {"a NUL inside an argument", [](json& a) { a[1] = std::string("-exec-root=/x\0y", 15); }, "its args[1]"},
  };
  for (const auto& c : cases) {
    auto out = decide_spec(dockers_hook_with(c.change), test::default_profile(), docker_host());
    ASSERT_TRUE(out) << out.error().message;
    const Finding* refusal = hook_refusal(*out);
    ASSERT_NE(refusal, nullptr) << c.what;
    EXPECT_NE(refusal->message.find(c.says), std::string::npos) << c.what << ": " << refusal->message;
    EXPECT_NE(refusal->message.find("remove the hook, or select a profile whose hooks.allowed lists its program and arguments"),
              std::string::npos)
        << refusal->message;
  }
  // The same hook for the container it names passes, whatever dockerd's exec root.
  HostFacts other_host = docker_host();
  other_host.container_id = other;
  auto own = decide_spec(dockers_hook_with([&](json& a) { a[1] = "-exec-root=/run/docker-2"; a[2] = other; }), test::default_profile(), other_host);
  ASSERT_TRUE(own);
  EXPECT_EQ(hook_refusal(*own), nullptr) << hook_refusal(*own)->message;
}

TEST(Hooks, WithoutTheContainersIdItsPatternMatchesNothing) {
  // explain without --id: the hook cannot be told to be this container's own, and the refusal says so.
  HostFacts facts = docker_host();
  facts.container_id.clear();
  auto out = decide_spec(test::fixture("create", "default"), test::default_profile(), facts);
  ASSERT_TRUE(out);
  ASSERT_NE(hook_refusal(*out), nullptr);
  EXPECT_NE(hook_refusal(*out)->message.find("its args[2] must be the id of the container being created ('<container-id>' of hooks.allowed for "
                                             "/usr/sbin/dockerd), which is not known here (explain: give it with --id)"),
            std::string::npos)
      << hook_refusal(*out)->message;
}

TEST(Hooks, AnEntryPinsItsArgumentsEachByAGlob) {
  Profile profile = test::default_profile();
  profile.hooks_allowed.push_back({"/usr/bin/dash", std::vector<std::string>{"sh", "-c", "/opt/hooks/*"}});
  HostFacts facts = docker_host();
  facts.named_objects["/usr/bin/dash"] = file("/usr/bin/dash", 800);
  auto ok = decide_spec(with_hook("poststop", {{"path", "/bin/sh"}, {"args", {"sh", "-c", "/opt/hooks/cleanup --all"}}}), profile, facts);
  ASSERT_TRUE(ok);
  EXPECT_EQ(hook_refusal(*ok), nullptr) << "fnmatch without flags: '*' takes '/' and blanks too";
  auto other = decide_spec(with_hook("poststop", {{"path", "/bin/sh"}, {"args", {"sh", "-c", "id > /tmp/x"}}}), profile, facts);
  ASSERT_TRUE(other);
  ASSERT_NE(hook_refusal(*other), nullptr);
  EXPECT_NE(hook_refusal(*other)->message.find("its args[2] 'id > /tmp/x' does not match '/opt/hooks/*' of hooks.allowed for /usr/bin/dash"),
            std::string::npos)
      << hook_refusal(*other)->message;
  // "<container-id>" is that pattern only when it is the whole pattern; inside another it is a glob.
  profile.hooks_allowed.back().args = std::vector<std::string>{"sh", "--id=<container-id>"};
  auto inside = decide_spec(with_hook("poststop", {{"path", "/bin/sh"}, {"args", {"sh", "--id=" + kFixtureId}}}), profile, facts);
  ASSERT_TRUE(inside);
  EXPECT_NE(hook_refusal(*inside), nullptr);
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
  profile.hooks_allowed.push_back({"/usr/bin/dash", std::nullopt});  // any args: loose
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
                          json::array({{{"program", "/x"}, {"args", "libnetwork-setkey"}}}), json::array({{{"program", "/x"}, {"args", {1}}}}),
                          json::array({{{"program", "/x"}, {"args", {"a", nullptr}}}}), json::array({{{"program", "/x"}, {"args", nullptr}}}),
                          json::array({{{"program", "/x"}, {"args", {{"a", "b"}}}}}), json::array({{{"program", "/x"}, {"other", "y"}}})}) {
    doc["hooks"]["allowed"] = bad;
    auto p = parse_profile(doc, "p");
    ASSERT_FALSE(p) << bad.dump();
    EXPECT_NE(p.error().message.find("hooks.allowed"), std::string::npos) << p.error().message;
  }
  // The key before "args": unknown now, and the message says what replaces it.
  doc["hooks"]["allowed"] = json::array({{{"program", "/usr/sbin/dockerd"}, {"args0", "libnetwork-setkey"}}});
  auto old = parse_profile(doc, "p");
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().message.find("unknown key 'hooks.allowed[0].args0'"), std::string::npos) << old.error().message;
  EXPECT_NE(old.error().message.find("\"args\""), std::string::npos) << old.error().message;
  // Patterns as written, "args" left out (any args), and an empty list (no args at all) are three things.
  doc["hooks"]["allowed"] = json::array({{{"program", "/a"}, {"args", {"x", "<container-id>", "-f=*"}}}, {{"program", "/b"}},
                                         {{"program", "/c"}, {"args", json::array()}}});
  auto parsed = parse_profile(doc, "p");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->hooks_allowed.size(), 3u);
  EXPECT_EQ(parsed->hooks_allowed[0].args, (std::vector<std::string>{"x", "<container-id>", "-f=*"}));
  EXPECT_FALSE(parsed->hooks_allowed[1].args.has_value());
  EXPECT_EQ(parsed->hooks_allowed[2].args, std::vector<std::string>{});
  doc.erase("hooks");
  auto defaulted = parse_profile(doc, "p");
  ASSERT_TRUE(defaulted) << defaulted.error().message;
  EXPECT_EQ(defaulted->hooks_allowed, test::default_profile().hooks_allowed) << "a profile written before the key takes the built-in's";
}

}  // namespace
}  // namespace hardened
