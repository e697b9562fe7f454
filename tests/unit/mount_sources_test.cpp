// Bind sources are judged by what they are: the fake host facts below stand for what the edge
// (mount_facts.cpp) sees on a host where / is /dev/sda1 (8:1) and /run a tmpfs (0:25).
#include <sys/stat.h>

#include "helpers.hpp"

namespace hardened {
namespace {

constexpr const char* kVolume = "/var/lib/docker/volumes/v/_data";

MountedObject object(const std::string& path, const std::string& path_in_fs, std::uint64_t ino, std::uint32_t type = S_IFDIR,
                     const std::string& fs_type = "ext4", const std::string& device = "8:1", const std::string& mount_root = "/",
                     const std::string& host_name = "") {
  MountedObject o;
  o.path = path;
  o.path_in_fs = path_in_fs;
  o.ino = ino;
  o.dev = device == "8:1" ? 2049 : 25;
  o.mode = type | 0755;
  o.fs_type = fs_type;
  o.fs_device = device;
  o.mount_root = mount_root;
  o.mount_point = "/";
  o.host_name = host_name.empty() ? path_in_fs : host_name;
  return o;
}

HostFacts host() {
  HostFacts facts;
  facts.named_objects["/etc"] = object("/etc", "/etc", 100);
  facts.named_objects["/"] = object("/", "/", 2);
  facts.named_objects["/var/lib/docker"] = object("/var/lib/docker", "/var/lib/docker", 300);
  facts.named_objects["/run"] = object("/run", "/", 1, S_IFDIR, "tmpfs", "0:25", "/", "/run");
  facts.named_objects["/var/run"] = object("/run", "/", 1, S_IFDIR, "tmpfs", "0:25", "/", "/run");
  facts.named_objects["/run/docker"] = object("/run/docker", "/docker", 7, S_IFDIR, "tmpfs", "0:25", "/", "/run/docker");
  facts.named_objects["/run/hardened-runtime"] = object("/run/hardened-runtime", "/hardened-runtime", 9, S_IFDIR, "tmpfs", "0:25", "/", "/run/hardened-runtime");
  facts.named_objects["/etc/hardened-runtime/profiles"] = object("/etc/hardened-runtime/profiles", "/etc/hardened-runtime/profiles", 110);
  facts.runtime_paths = {"/etc/hardened-runtime/config.json", "/etc/hardened-runtime/profiles", "/run/hardened-runtime", "/var/log/hardened-runtime.log"};
  return facts;
}

json with_bind(const std::string& source, const std::string& destination = "/h", bool ro = false) {
  json spec = test::minimal_spec();
  json options = json::array({"rbind", "rprivate"});
  if (ro) options.push_back("ro");
  spec["mounts"] = json::array({{{"destination", destination}, {"type", "bind"}, {"source", source}, {"options", options}}});
  return spec;
}

Findings denials_of(const json& spec, const HostFacts& facts) {
  auto out = decide_spec(spec, test::default_profile(), facts);
  EXPECT_TRUE(out) << out.error().message;
  return out ? out->denials : Findings{};
}

std::string only_message(const Findings& findings) { return findings.size() == 1 ? findings.front().message : "(" + std::to_string(findings.size()) + " findings)"; }

TEST(MountSources, AVolumeThatIsABindOfEtcIsEtc) {
  HostFacts facts = host();
  // docker volume create -o type=none -o o=bind -o device=/etc: mountinfo has / of 8:1 at / and /etc of 8:1 at _data.
  facts.bind_objects[kVolume] = object(kVolume, "/etc", 100, S_IFDIR, "ext4", "8:1", "/etc", "/etc");
  const Findings found = denials_of(with_bind(kVolume), facts);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found.front().rule, "deny.bind_sources_exact");
  EXPECT_NE(found.front().message.find("the host's /etc (through volume v's _data) on /h"), std::string::npos) << found.front().message;
  EXPECT_NE(found.front().message.find("mounts[].source"), std::string::npos);
  EXPECT_NE(found.front().message.find("docker run -v/--mount"), std::string::npos);
}

// A volume whose _data is the root of a filesystem the host mounts elsewhere (docker volume create -o
// type=none -o o=bind -o device=/, or a partition's device) has "/" for its mount's root, as Docker's own
// files do: it is judged as what the host calls it, not let through by bind_sources_allowed (found by a
// review: a read-only volume of the host's / started, and so did a writable one of the /home partition).
TEST(MountSources, AVolumeThatIsAFilesystemsRootIsJudgedAsThatFilesystem) {
  HostFacts facts = host();
  facts.bind_objects[kVolume] = object(kVolume, "/", 2, S_IFDIR, "ext4", "8:1", "/", "/");
  Findings found = denials_of(with_bind(kVolume, "/h", /*ro=*/true), facts);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found.front().rule.starts_with("deny.bind_sources")) << found.front().rule;
  EXPECT_NE(found.front().message.find("the host's / (through volume v's _data)"), std::string::npos) << found.front().message;
  facts.named_objects["/home"] = object("/home", "/", 3, S_IFDIR, "ext4", "8:2", "/", "/home");
  facts.bind_objects[kVolume] = object(kVolume, "/", 3, S_IFDIR, "ext4", "8:2", "/", "/home");
  found = denials_of(with_bind(kVolume), facts);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found.front().rule, "deny.bind_sources_exact");
  EXPECT_NE(found.front().message.find("the host's /home (through volume v's _data)"), std::string::npos) << found.front().message;
  // A filesystem mounted there alone (a tmpfs or NFS volume) is what it is called, and passes.
  facts.bind_objects[kVolume] = object(kVolume, "/", 4, S_IFDIR, "tmpfs", "0:90", "/", kVolume);
  EXPECT_EQ(only_message(denials_of(with_bind(kVolume), facts)), "(0 findings)");
}

TEST(MountSources, AVolumeThatIsABindOfTheDockerSocketDirectoryIsRefused) {
  HostFacts facts = host();
  MountedObject run = object(kVolume, "/docker", 7, S_IFDIR, "tmpfs", "0:25", "/docker", "/run/docker");
  facts.bind_objects[kVolume] = run;
  EXPECT_EQ(denials_of(with_bind(kVolume), facts).front().rule, "deny.bind_sources");
  // The same directory holding the socket by name or group is refused whatever the profile.
  run.sockets = {{"api.sock", "docker"}};
  facts.bind_objects[kVolume] = run;
  auto out = decide_spec(with_bind(kVolume), test::permissive_deny(test::default_profile()), facts);
  ASSERT_TRUE(out);
  ASSERT_EQ(out->denials.size(), 1u);
  EXPECT_EQ(out->denials.front().rule, "engine_sockets");
}

TEST(MountSources, AnOrdinaryVolumeAndDockersOwnFilesPass) {
  HostFacts facts = host();
  facts.bind_objects[kVolume] = object(kVolume, kVolume, 500);
  json spec = test::fixture("create", "volume");
  for (const auto& mount : spec["mounts"]) {
    const std::string source = mount.value("source", "");
    if (source.starts_with("/")) facts.bind_objects[source] = object(source, source, 600 + source.size());
  }
  spec["mounts"].push_back({{"destination", "/v"}, {"type", "bind"}, {"source", kVolume}, {"options", {"rbind"}}});
  EXPECT_EQ(only_message(denials_of(spec, facts)), "(0 findings)");
}

TEST(MountSources, APodGetsItsOwnSandboxFilesAndNoOtherPods) {
  // containerd bind-mounts the pod's shm from /run (a tmpfs) and its hosts from /var/lib/containerd;
  // a hostPath naming another pod's is the same kind of path with another id.
  const std::string own = "0123abcd", other = "99ffee00";
  const auto shm = [](const std::string& id) { return "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/" + id + "/shm"; };
  const auto hosts = [](const std::string& id) { return "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/" + id + "/hosts"; };
  HostFacts facts = host();
  facts.named_objects["/run/containerd"] = object("/run/containerd", "/containerd", 11, S_IFDIR, "tmpfs", "0:25", "/", "/run/containerd");
  facts.named_objects["/var/lib/containerd"] = object("/var/lib/containerd", "/var/lib/containerd", 12);
  for (const auto& id : {own, other}) {
    facts.bind_objects[shm(id)] = object(shm(id), shm(id).substr(4), 20 + id.size(), S_IFDIR, "tmpfs", "0:25", "/", shm(id));
    facts.bind_objects[hosts(id)] = object(hosts(id), hosts(id), 40 + id.size(), S_IFREG);
  }
  const auto in_pod = [&](const std::string& source, const std::string& sandbox) {
    json spec = with_bind(source, "/dev/shm");
    if (!sandbox.empty()) spec["annotations"] = {{"io.kubernetes.cri.sandbox-id", sandbox}};
    return denials_of(spec, facts);
  };
  EXPECT_EQ(only_message(in_pod(shm(own), own)), "(0 findings)");
  EXPECT_EQ(only_message(in_pod(hosts(own), own)), "(0 findings)");
  EXPECT_EQ(in_pod(shm(other), own).front().rule, "deny.bind_sources");
  EXPECT_EQ(in_pod(hosts(other), own).front().rule, "deny.bind_sources");
  EXPECT_FALSE(in_pod(shm(own), "").empty());                       // no pod: not a sandbox's file
  EXPECT_FALSE(in_pod(shm(own), "../" + own).empty());              // an id that is not a plain id
}

TEST(MountSources, AVolumeBoundFromAHarmlessDirectoryPasses) {
  HostFacts facts = host();
  facts.bind_objects[kVolume] = object(kVolume, "/srv/data", 700, S_IFDIR, "ext4", "8:1", "/srv/data", "/srv/data");
  EXPECT_EQ(only_message(denials_of(with_bind(kVolume), facts)), "(0 findings)");
}

TEST(MountSources, TheDeniedTreeIsJudgedByFilesystemAndPathWithinIt) {
  HostFacts facts = host();
  // /srv/x is a bind mount of /var/lib/docker/overlay2 (another name for the same directory).
  facts.bind_objects["/srv/x"] = object("/srv/x", "/var/lib/docker/overlay2", 800, S_IFDIR, "ext4", "8:1", "/var/lib/docker/overlay2",
                                        "/var/lib/docker/overlay2");
  const Findings found = denials_of(with_bind("/srv/x"), facts);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found.front().rule, "deny.bind_sources");
  EXPECT_NE(found.front().message.find("the host's /var/lib/docker/overlay2 (through /srv/x)"), std::string::npos) << found.front().message;
}

TEST(MountSources, ExactEntriesCompareDeviceAndInode) {
  HostFacts facts = host();
  facts.bind_objects["/mnt/e"] = object("/mnt/e", "/elsewhere", 100, S_IFDIR, "ext4", "8:1", "/", "/mnt/e");  // same inode as /etc
  EXPECT_EQ(denials_of(with_bind("/mnt/e"), facts).front().rule, "deny.bind_sources_exact");
  facts.bind_objects["/etc/app"] = object("/etc/app", "/etc/app", 101);  // inside /etc: the exact rule leaves it
  EXPECT_EQ(only_message(denials_of(with_bind("/etc/app"), facts)), "(0 findings)");
}

TEST(MountSources, KernelFilesystemsAreRefusedWhateverThePathAndProfile) {
  for (const char* type : {"proc", "sysfs", "cgroup2", "debugfs", "mqueue", "devtmpfs", "bpf"}) {
    HostFacts facts = host();
    facts.bind_objects[kVolume] = object(kVolume, "/", 1, S_IFDIR, type, "0:99", "/", kVolume);
    auto out = decide_spec(with_bind(kVolume), test::permissive_deny(test::default_profile()), facts);
    ASSERT_TRUE(out);
    ASSERT_EQ(out->denials.size(), 1u) << type;
    EXPECT_EQ(out->denials.front().rule, "kernel_filesystems");
    EXPECT_NE(out->denials.front().message.find(std::string("host's ") + type + " filesystem"), std::string::npos) << out->denials.front().message;
  }
}

TEST(MountSources, FreshKernelMountsStayAndHostSingletonsAreRefused) {
  const json spec = test::fixture("create", "default");  // its own /proc, /sys, /dev/pts, /dev/mqueue, cgroup
  EXPECT_EQ(only_message(denials_of(spec, host())), "(0 findings)");
  json debug = test::minimal_spec();
  debug["mounts"] = json::array({{{"destination", "/d"}, {"type", "debugfs"}, {"source", "debugfs"}}});
  EXPECT_EQ(denials_of(debug, host()).front().rule, "kernel_filesystems");
}

TEST(MountSources, EngineSocketsByGroupOrNameAnywhere) {
  HostFacts facts = host();
  MountedObject sock = object("/srv/api", "/srv/api", 900, S_IFSOCK);
  sock.group = "docker";
  facts.bind_objects["/srv/api"] = sock;
  EXPECT_EQ(denials_of(with_bind("/srv/api"), facts).front().rule, "engine_sockets");
  sock = object("/home/u/podman.sock", "/home/u/podman.sock", 901, S_IFSOCK);
  sock.group = "u";
  facts.bind_objects["/home/u/podman.sock"] = sock;
  EXPECT_EQ(denials_of(with_bind("/home/u/podman.sock"), facts).front().rule, "engine_sockets");
  // The Docker fixture with no facts: judged by its path, as before.
  EXPECT_EQ(denials_of(test::fixture("create", "docker-sock"), HostFacts{}).front().rule, "deny.bind_sources");
}

TEST(MountSources, RelativeSourcesAreTheBundlesNotTheRoot) {
  HostFacts facts = host();
  facts.bind_objects["."] = object("/srv/bundle", "/srv/bundle", 950);
  EXPECT_EQ(only_message(denials_of(with_bind("."), facts)), "(0 findings)");
  facts.bind_objects["hostproc"] = object("/proc", "/", 1, S_IFDIR, "proc", "0:21", "/", "/proc");
  EXPECT_EQ(denials_of(with_bind("hostproc"), facts).front().rule, "deny.bind_sources");
  auto relaxed = decide_spec(with_bind("hostproc"), test::permissive_deny(test::default_profile()), facts);
  ASSERT_TRUE(relaxed);
  EXPECT_EQ(relaxed->denials.front().rule, "kernel_filesystems") << "whatever the profile";
  EXPECT_EQ(only_message(denials_of(with_bind("."), HostFacts{})), "(0 findings)") << "without facts a relative source is not /";
}

TEST(MountSources, WithNothingStagedASourceOthersCouldStillMakeIsRefused) {
  // Missing when checked (the edge could not open it): runc fails on it, unless someone makes it first.
  HostFacts facts = host();
  facts.unopened_sources["/tmp/x/notyet"] = "/tmp";
  facts.unopened_sources["/srv/notyet"] = "";
  facts.unopened_sources["../../proc/30000/cwd"] = "/proc";  // a pid any user can come to own
  for (const char* source : {"/tmp/x/notyet", "../../proc/30000/cwd"}) {
    const Findings denials = denials_of(with_bind(source), facts);
    ASSERT_EQ(denials.size(), 1u) << source;
    EXPECT_EQ(denials.front().rule, "mount_race") << source;
  }
  EXPECT_EQ(only_message(denials_of(with_bind("/srv/notyet"), facts)), "(0 findings)") << "only root could make it";
  facts.sources_staged = true;  // then stage.cpp refuses it, when it applies the decision
  EXPECT_EQ(only_message(denials_of(with_bind("/tmp/x/notyet"), facts)), "(0 findings)");
}

TEST(MountSources, TheRuntimesOwnFilesAreNeverMountable) {
  HostFacts facts = host();
  facts.bind_objects["/srv/state"] = object("/srv/state", "/hardened-runtime", 9, S_IFDIR, "tmpfs", "0:25", "/hardened-runtime",
                                            "/run/hardened-runtime");
  auto out = decide_spec(with_bind("/srv/state"), test::permissive_deny(test::default_profile()), facts);
  ASSERT_TRUE(out);
  ASSERT_EQ(out->denials.size(), 1u);
  EXPECT_EQ(out->denials.front().rule, "runtime_paths");
  facts.bind_objects["/etc/hardened-runtime/profiles/x"] = object("/etc/hardened-runtime/profiles/x", "/etc/hardened-runtime/profiles/x", 111);
  EXPECT_EQ(denials_of(with_bind("/etc/hardened-runtime/profiles/x"), facts).front().rule, "runtime_paths");
  // A read-only view of a directory holding one (a log shipper's /var/log) passes; a writable one not.
  facts.bind_objects["/var/log"] = object("/var/log", "/var/log", 120);
  EXPECT_EQ(only_message(denials_of(with_bind("/var/log", "/logs", true), facts)), "(0 findings)");
  EXPECT_EQ(denials_of(with_bind("/var/log", "/logs"), facts).front().rule, "runtime_paths");
}

// runc reads "ro"/"rw" as the last one winning, and applies "rrw" after the mount wherever it stands:
// a view that only looks read-only is writable, and judged so.
TEST(MountSources, AViewIsReadOnlyOnlyAsRuncLeavesIt) {
  HostFacts facts = host();
  facts.bind_objects["/var/log"] = object("/var/log", "/var/log", 120);
  for (const char* undo : {"rw", "rrw"}) {
    json spec = with_bind("/var/log", "/logs", true);
    spec["mounts"][0]["options"].push_back(undo);
    EXPECT_EQ(denials_of(spec, facts).front().rule, "runtime_paths") << undo;
  }
  json rrw_first = with_bind("/var/log", "/logs");
  rrw_first["mounts"][0]["options"] = json::array({"rbind", "rrw", "ro"});
  EXPECT_EQ(denials_of(rrw_first, facts).front().rule, "runtime_paths");
}

// A mount that is not a bind makes a filesystem: only fresh ones (tmpfs, proc, ...) are the
// container's own. Any other type mounts something of the host's that no bind rule looks at: its disk
// (ext4 from /dev/vda), an NFS export, an overlay over host directories.
TEST(MountSources, OnlyFreshFilesystemsMountWithoutABind) {
  for (const char* type : {"ext4", "xfs", "overlay", "nfs", "9p", "fuse", ""}) {
    json spec = test::minimal_spec();
    spec["mounts"] = json::array({{{"destination", "/host"}, {"type", type}, {"source", "/dev/vda"}, {"options", {"rw"}}}});
    const Findings found = denials_of(spec, host());
    ASSERT_FALSE(found.empty()) << type;
    EXPECT_EQ(found.front().rule, "mount_types") << type;
    EXPECT_NE(found.front().message.find("from /dev/vda on /host"), std::string::npos) << found.front().message;
  }
  for (const char* type : {"tmpfs", "ramfs", "mqueue", "devpts", "cgroup", "cgroup2"}) {
    json spec = test::minimal_spec();
    spec["mounts"] = json::array({{{"destination", "/x"}, {"type", type}, {"source", type}}});
    EXPECT_EQ(only_message(denials_of(spec, host())), "(0 findings)") << type;
  }
  for (const auto& [type, home] : {std::pair{"proc", "/proc"}, std::pair{"sysfs", "/sys"}}) {
    json spec = test::minimal_spec();
    spec["mounts"] = json::array({{{"destination", home}, {"type", type}, {"source", type}}});
    EXPECT_EQ(only_message(denials_of(spec, host())), "(0 findings)") << type;
  }
  json bind_typed_ext4 = with_bind("/srv/data");  // "bind" among the options makes it a bind, whatever its type
  bind_typed_ext4["mounts"][0]["type"] = "ext4";
  HostFacts facts = host();
  facts.bind_objects["/srv/data"] = object("/srv/data", "/srv/data", 700);
  EXPECT_EQ(only_message(denials_of(bind_typed_ext4, facts)), "(0 findings)");
}

// A second proc or sysfs where linux.maskedPaths and readonlyPaths do not reach showed /proc/keys,
// /sys/firmware and a writable /proc/sys (found by a red-team pass, low); judged where runc mounts it.
TEST(MountSources, ProcAndSysfsOnlyWhereTheMasksReach) {
  for (const auto& [type, dest] : {std::pair{"proc", "/run"}, std::pair{"sysfs", "/mnt"}, std::pair{"proc", "/proc/x"}}) {
    json spec = test::minimal_spec();
    spec["mounts"] = json::array({{{"destination", dest}, {"type", type}, {"source", type}}});
    const Findings found = denials_of(spec, host());
    ASSERT_FALSE(found.empty()) << type << " on " << dest;
    EXPECT_EQ(found.front().rule, "mount_types");
    EXPECT_NE(found.front().message.find(std::string("a second ") + type + " filesystem on " + dest), std::string::npos) << found.front().message;
  }
  json linked = test::minimal_spec();
  linked["mounts"] = json::array({{{"destination", "/p"}, {"type", "proc"}, {"source", "proc"}}});
  HostFacts facts = host();
  facts.resolved_destinations["/p"] = "/proc";  // the image's p -> /proc: runc mounts it on /proc
  EXPECT_EQ(only_message(denials_of(linked, facts)), "(0 findings)");
  facts.resolved_destinations["/p"] = "/srv/p";
  EXPECT_FALSE(denials_of(linked, facts).empty());
}

// "remount" and "move" reach mount(2) as MS_REMOUNT and MS_MOVE: the entry changes the mount already at
// its destination (a bind of the host's, the container's root), and the host filesystem's superblock
// with it (found by a red-team pass: a proc entry with "remount","ro" on / made the host's disk ro).
TEST(MountSources, RemountAndMoveAreRefusedOnAnyMount) {
  for (const char* word : {"remount", "move"}) {
    json spec = test::minimal_spec();
    spec["mounts"] = json::array({{{"destination", "/"}, {"type", "proc"}, {"source", "proc"}, {"options", {word, "ro"}}}});
    const Findings found = denials_of(spec, host());
    ASSERT_FALSE(found.empty()) << word;
    EXPECT_EQ(found.front().rule, "mount_types");
    EXPECT_NE(found.front().message.find(std::string("the option \"") + word + "\""), std::string::npos) << found.front().message;
  }
  HostFacts facts = host();
  facts.bind_objects["/srv/data"] = object("/srv/data", "/srv/data", 700);
  json bind = with_bind("/srv/data");
  bind["mounts"][0]["options"].push_back("remount");
  EXPECT_EQ(denials_of(bind, facts).front().rule, "mount_types");
}

TEST(MountSources, TheRuleIsAMeet) {
  HostFacts facts = host();
  facts.bind_objects[kVolume] = object(kVolume, kVolume, 500);
  auto once = decide_spec(with_bind(kVolume), test::default_profile(), facts);
  ASSERT_TRUE(once);
  auto twice = decide_spec(once->document, test::default_profile(), facts);
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->document, once->document);
  EXPECT_TRUE(twice->changes.empty());
}


std::vector<std::string> messages(const Findings& findings) {
  std::vector<std::string> out;
  for (const auto& finding : findings) out.push_back(finding.rule + ": " + finding.message);
  return out;
}

// The edge identifies only the named paths a decision compares with (named_paths_to_observe): with the
// others left unobserved, each decision below is the one made with all of them in view.
TEST(MountSources, TheNamedPathsLeftUnobservedChangeNoDecision) {
  const std::string dockers = "/var/lib/docker/containers/0123/resolv.conf";
  struct Case {
    std::string what;
    json spec;
    HostFacts facts;
    bool deny_lists;  // whether the deny lists' paths are to be observed
  };
  std::vector<Case> cases;
  HostFacts facts = host();
  facts.bind_objects[dockers] = object(dockers, dockers, 800, S_IFREG);
  cases.push_back({"Docker's own file", with_bind(dockers, "/etc/resolv.conf"), facts, false});
  facts.bind_objects[dockers] = object(dockers, "/etc", 100, S_IFDIR, "ext4", "8:1", "/etc", "/etc");
  cases.push_back({"a bind of /etc mounted at Docker's path", with_bind(dockers, "/etc/resolv.conf"), facts, true});
  facts = host();
  facts.bind_objects[kVolume] = object(kVolume, "/etc", 100, S_IFDIR, "ext4", "8:1", "/etc", "/etc");
  cases.push_back({"a volume that is a bind of /etc", with_bind(kVolume), facts, true});
  cases.push_back({"/etc, not there when observed", with_bind("/etc"), host(), true});
  cases.push_back({"Docker's file, not there when observed", with_bind(dockers), host(), false});
  cases.push_back({"no bind mount", test::minimal_spec(), host(), false});
  for (const auto& c : cases) {
    const std::vector<std::string> named = named_paths_to_observe(c.spec, test::default_profile(), c.facts);
    const auto names = [&](const std::string& path) { return std::find(named.begin(), named.end(), path) != named.end(); };
    EXPECT_EQ(names("/etc"), c.deny_lists) << c.what;
    EXPECT_EQ(names("/run/hardened-runtime"), c.what != "no bind mount") << c.what;
    HostFacts observed = c.facts;
    std::erase_if(observed.named_objects, [&](const auto& entry) { return !names(entry.first); });
    auto all = decide_spec(c.spec, test::default_profile(), c.facts);
    auto some = decide_spec(c.spec, test::default_profile(), observed);
    ASSERT_TRUE(all && some) << c.what;
    EXPECT_EQ(!all->denials.empty(), c.deny_lists) << c.what;  // every case the lists judge here is /etc
    EXPECT_EQ(some->document, all->document) << c.what;
    EXPECT_EQ(messages(some->denials), messages(all->denials)) << c.what;
  }
  // A hook's program is compared with hooks.allowed's.
  const std::vector<std::string> named = named_paths_to_observe(test::fixture("create", "default"), test::default_profile(), host());
  EXPECT_NE(std::find(named.begin(), named.end(), "/usr/sbin/dockerd"), named.end());
}

}  // namespace
}  // namespace hardened
