// W^X on every writable mount (mounts.exec_allowed, mounts.writable_exec) and the refusal of mounts over
// /dev and its device nodes (deny.device_nodes), on the specs dockerd 20.10 wrote.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "helpers.hpp"

namespace hardened {
namespace {

const json& mount_on(const json& spec, const std::string& destination) {
  for (const auto& m : spec["mounts"]) {
    if (m["destination"] == destination) return m;
  }
  static const json none;
  ADD_FAILURE() << "no mount on " << destination;
  return none;
}

bool has_option(const json& mount, const std::string& option) {
  const json options = mount.value("options", json::array());
  return std::find(options.begin(), options.end(), option) != options.end();
}

// docker run --tmpfs /run:exec (the fixture's --tmpfs /run, as dockerd writes it with :exec).
json tmpfs_exec(const std::string& destination = "/run") {
  json spec = test::fixture("create", "tmpfs-run");
  for (auto& m : spec["mounts"]) {
    if (m["destination"] == "/run") {
      m["destination"] = destination;
      m["options"] = json::parse(R"(["exec","nosuid","nodev","rprivate","rw","size=10m"])");
    }
  }
  return spec;
}

TEST(WritableMounts, DockerTmpfsWithExecComesOutNoexecAndTheChangeIsOnTheTrail) {
  auto out = harden_spec(tmpfs_exec(), test::default_profile());
  ASSERT_TRUE(out) << out.error().message;
  const json& run = mount_on(out->document, "/run");
  EXPECT_FALSE(has_option(run, "exec")) << run.dump();
  for (const char* o : {"noexec", "nosuid", "nodev", "size=10m"}) EXPECT_TRUE(has_option(run, o)) << o;
  const auto removed = std::find_if(out->changes.begin(), out->changes.end(),
                                    [](const Change& c) { return c.detail.find("removed \"exec\"") != std::string::npos; });
  ASSERT_NE(removed, out->changes.end());
  EXPECT_EQ(removed->rule, "mounts.writable_exec");
  EXPECT_NE(removed->detail.find("/run"), std::string::npos);
}

// The fixture with a bind of /srv/data on /data, its options as given (a JSON list).
json bind_on_data(const char* options) {
  json spec = tmpfs_exec("/data");
  for (auto& m : spec["mounts"]) {
    if (m["destination"] == "/data") m["options"] = json::parse(options), m["type"] = "bind", m["source"] = "/srv/data";
  }
  return spec;
}

// runc 1.1 applies "rexec", "rsuid", "rdev" and "rrw" after the mount, to the whole tree, wherever
// they stand in the options: appending "noexec" does not outvote them, so they go; and a mount with
// "rrw" is writable whatever "ro" says.
TEST(WritableMounts, RecursiveOptionsCannotUndoTheHardening) {
  const json spec = bind_on_data(R"(["rbind","ro","rrw","rexec","rsuid","rdev"])");
  auto out = harden_spec(spec, test::default_profile());
  ASSERT_TRUE(out) << out.error().message;
  const json& data = mount_on(out->document, "/data");
  for (const char* gone : {"rexec", "rsuid", "rdev", "exec", "suid", "dev"}) EXPECT_FALSE(has_option(data, gone)) << gone << data.dump();
  for (const char* o : {"noexec", "nosuid", "nodev"}) EXPECT_TRUE(has_option(data, o)) << o << data.dump();
  auto again = harden_spec(out->document, test::default_profile());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->document, out->document);
}

// A read-only bind is left alone by W^X, but bind_options still holds: "suid"/"dev" written after
// "nosuid"/"nodev" would win (runc reads the words in order), so they go.
TEST(WritableMounts, AReadOnlyBindKeepsNosuidNodevWhateverComesAfter) {
  const json spec = bind_on_data(R"(["rbind","ro","nosuid","nodev","suid","dev"])");
  auto out = harden_spec(spec, test::default_profile());
  ASSERT_TRUE(out) << out.error().message;
  const json& data = mount_on(out->document, "/data");
  for (const char* gone : {"suid", "dev"}) EXPECT_FALSE(has_option(data, gone)) << gone << data.dump();
  for (const char* o : {"nosuid", "nodev", "ro"}) EXPECT_TRUE(has_option(data, o)) << o << data.dump();
}

// A bind brings the host's mounts below its source, each with its own flags ("noexec" sets only the
// top one): on a kernel with mount_setattr (5.12) the words reach them too, through runc's and crun's
// recursive forms, for a writable bind and for a read-only one's "ro"; on an older kernel, where
// those forms fail every container, they are not written. Only a directory holds mounts (crun
// refuses the forms on a file's bind); tmpfs has nothing below it.
TEST(WritableMounts, BindFlagsReachTheHostMountsBelowWhereTheKernelCan) {
  HostFacts modern;
  modern.kernel = {5, 12};
  MountedObject& data = modern.bind_objects["/srv/data"];  // a directory on the host's disk
  data.path = data.path_in_fs = data.host_name = "/srv/data";
  data.dev = 2049, data.ino = 100, data.mode = S_IFDIR | 0755;
  data.fs_type = "ext4", data.fs_device = "8:1", data.mount_root = "/", data.mount_point = "/";
  HostFacts old = modern;
  old.kernel = {5, 10};
  HostFacts file = modern;
  file.bind_objects["/srv/data"].mode = S_IFREG | 0644;
  const json writable = bind_on_data(R"(["rbind","rprivate"])");
  const json read_only = bind_on_data(R"(["rbind","ro","rprivate"])");
  auto out = harden_spec(writable, test::default_profile(), modern);
  ASSERT_TRUE(out) << out.error().message;
  for (const char* o : {"noexec", "nosuid", "nodev", "rnoexec", "rnosuid", "rnodev"}) {
    EXPECT_TRUE(has_option(mount_on(out->document, "/data"), o)) << o;
  }
  EXPECT_FALSE(has_option(mount_on(out->document, "/data"), "rro")) << "writable stays writable";
  EXPECT_FALSE(has_option(mount_on(out->document, "/tmp"), "rnoexec")) << "a tmpfs has no host mounts below it";
  auto again = harden_spec(out->document, test::default_profile(), modern);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->document, out->document) << "applied twice changes nothing";

  auto ro = harden_spec(read_only, test::default_profile(), modern);
  ASSERT_TRUE(ro) << ro.error().message;
  for (const char* o : {"ro", "rro", "rnosuid", "rnodev"}) EXPECT_TRUE(has_option(mount_on(ro->document, "/data"), o)) << o;
  const bool told = std::any_of(ro->changes.begin(), ro->changes.end(), [](const Change& c) {
    return c.detail.find("read-only too") != std::string::npos;
  });
  EXPECT_TRUE(told) << "the audit trail says the tree below is read-only";

  for (const HostFacts* facts : std::initializer_list<const HostFacts*>{&old, &file, nullptr}) {
    for (const json* spec : {&writable, &read_only}) {
      auto legacy = facts != nullptr ? harden_spec(*spec, test::default_profile(), *facts) : harden_spec(*spec, test::default_profile());
      ASSERT_TRUE(legacy) << legacy.error().message;
      for (const char* o : {"rro", "rnoexec", "rnosuid", "rnodev"}) EXPECT_FALSE(has_option(mount_on(legacy->document, "/data"), o)) << o;
    }
  }
}

// One host directory bound twice, writable on /w and read-only on /x (found by a red-team pass): a
// program written through /w ran through /x. A read-only bind of the same tree, of a part of it, or
// of a tree that holds it, is writable for W^X; judged by filesystem and path within it, so another
// name for the same directory (a symlink, another mount of the disk) is the same tree.
TEST(WritableMounts, AReadOnlyBindOfFilesBoundWritableElsewhereIsNoexec) {
  auto bind = [](const char* dest, const char* source, bool ro) {
    json options = json::array({"rbind"});
    if (ro) options.push_back("ro");
    return json{{"destination", dest}, {"type", "bind"}, {"source", source}, {"options", options}};
  };
  HostFacts facts;
  auto object = [&](const char* source, const char* in_fs, const char* device) {
    MountedObject& o = facts.bind_objects[source];
    o.path = o.host_name = source, o.path_in_fs = in_fs, o.fs_device = device, o.mode = S_IFDIR | 0755;
    o.dev = 2049, o.ino = 100 + facts.bind_objects.size(), o.fs_type = "ext4", o.mount_root = "/", o.mount_point = "/";
  };
  object("/srv/w", "/srv/w", "8:1");
  object("/srv/w/sub", "/srv/w/sub", "8:1");
  object("/mnt/alias", "/srv/w", "8:1");  // the same directory by another name
  object("/srv/other", "/srv/other", "8:1");
  object("/media/w", "/srv/w", "8:17");  // the same path on another disk
  json spec = test::minimal_spec();
  spec["mounts"] = json::array({bind("/w", "/srv/w", false), bind("/x", "/srv/w", true), bind("/y", "/srv/w/sub", true),
                                bind("/z", "/mnt/alias", true), bind("/o", "/srv/other", true), bind("/m", "/media/w", true)});
  auto out = harden_spec(spec, test::default_profile(), facts);
  ASSERT_TRUE(out) << out.error().message;
  for (const char* dest : {"/w", "/x", "/y", "/z"}) EXPECT_TRUE(has_option(mount_on(out->document, dest), "noexec")) << dest;
  for (const char* dest : {"/o", "/m"}) EXPECT_FALSE(has_option(mount_on(out->document, dest), "noexec")) << dest << ": other files";
  auto again = harden_spec(out->document, test::default_profile(), facts);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->document, out->document);
}

// A read-only bind of host files that a user other than root may write (found by a red-team pass,
// medium: a volume container B wrote a program into, bound read-only in container A, ran it there).
TEST(WritableMounts, AReadOnlyBindOfFilesSomeoneElseMayWriteIsNoexec) {
  HostFacts facts;
  auto object = [&](const char* source, std::uint32_t uid, std::uint32_t mode) {
    MountedObject& o = facts.bind_objects[source];
    o.path = o.host_name = o.path_in_fs = source, o.fs_device = "8:1", o.mode = S_IFDIR | mode, o.uid = uid;
    o.dev = 2049, o.ino = 100 + facts.bind_objects.size(), o.fs_type = "ext4", o.mount_root = "/", o.mount_point = "/";
  };
  object("/srv/volume-of-1001", 1001, 0755);
  object("/srv/shared", 0, 01777);
  object("/srv/group", 0, 0775);
  object("/usr/local/tools", 0, 0755);
  json spec = test::minimal_spec();
  spec["mounts"] = json::array();
  for (const auto& [dest, source] : {std::pair{"/a", "/srv/volume-of-1001"}, std::pair{"/b", "/srv/shared"}, std::pair{"/c", "/srv/group"},
                                     std::pair{"/tools", "/usr/local/tools"}}) {
    spec["mounts"].push_back({{"destination", dest}, {"type", "bind"}, {"source", source}, {"options", {"rbind", "ro"}}});
  }
  auto out = harden_spec(spec, test::default_profile(), facts);
  ASSERT_TRUE(out) << out.error().message;
  for (const char* dest : {"/a", "/b", "/c"}) EXPECT_TRUE(has_option(mount_on(out->document, dest), "noexec")) << dest;
  EXPECT_FALSE(has_option(mount_on(out->document, "/tools"), "noexec")) << "root's own files, read-only: they may run";
  EXPECT_TRUE(std::any_of(out->changes.begin(), out->changes.end(), [](const Change& c) {
    return c.detail.find("treated the read-only binds on /a, /b, /c as writable: a user other than root may write") != std::string::npos;
  }));
  auto again = harden_spec(out->document, test::default_profile(), facts);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->document, out->document);
}

TEST(WritableMounts, AnyDestinationAndDevShmToo) {
  for (const char* dest : {"/x", "/tmp", "/dev/shm", "/var/cache/app"}) {
    auto out = harden_spec(tmpfs_exec(dest), test::default_profile());
    ASSERT_TRUE(out) << dest << ": " << out.error().message;
    const json& m = mount_on(out->document, dest);
    EXPECT_TRUE(has_option(m, "noexec") && !has_option(m, "exec")) << dest << ": " << m.dump();
  }
}

TEST(WritableMounts, RefuseModeRefusesAnExecRequestNamingTheWayOut) {
  Profile p = test::default_profile();
  p.writable_exec = Profile::WritableExec::refuse;
  auto decided = decide_spec(tmpfs_exec("/x"), p);
  ASSERT_TRUE(decided);
  ASSERT_EQ(decided->denials.size(), 1u);
  EXPECT_EQ(decided->denials[0].rule, "mounts.writable_exec");
  const std::string& msg = decided->denials[0].message;
  for (const char* part : {"/x", "mounts[].options", "--tmpfs /x", "mounts.exec_allowed"}) EXPECT_NE(msg.find(part), std::string::npos) << part << ": " << msg;
  EXPECT_FALSE(harden_spec(tmpfs_exec("/x"), p));
  // Without an "exec" request, refuse mode only adds noexec.
  auto plain = decide_spec(test::fixture("create", "volume"), p);
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->denials.empty());
}

TEST(WritableMounts, ANamedVolumeOrBindGetsNoexecNosuidNodev) {
  auto out = harden_spec(test::fixture("create", "volume"), test::permissive_deny(test::default_profile()));
  ASSERT_TRUE(out) << out.error().message;
  for (const char* dest : {"/data", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname"}) {
    const json& m = mount_on(out->document, dest);
    for (const char* o : {"noexec", "nosuid", "nodev", "rbind"}) EXPECT_TRUE(has_option(m, o)) << dest << " " << o << ": " << m.dump();
  }
}

TEST(WritableMounts, DevGetsNoexecButKeepsItsDeviceNodes) {
  auto out = harden_spec(test::fixture("create", "default"), test::default_profile());
  ASSERT_TRUE(out);
  const json& dev = mount_on(out->document, "/dev");
  EXPECT_TRUE(has_option(dev, "noexec"));
  EXPECT_TRUE(has_option(dev, "nosuid"));
  EXPECT_FALSE(has_option(dev, "nodev"));
  // The kernel's own filesystems keep the options Docker gave them (devpts must keep its nodes).
  const json before = test::fixture("create", "default");
  for (const char* dest : {"/proc", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue"}) {
    EXPECT_EQ(mount_on(out->document, dest), mount_on(before, dest)) << dest;
  }
}

TEST(WritableMounts, ReadOnlyMountsStayAsTheyAreAndRwAfterRoIsWritable) {
  json spec = test::minimal_spec();
  spec["mounts"] = json::parse(R"([{"destination":"/ro","type":"bind","source":"/srv/a","options":["rbind","ro"]},
                                   {"destination":"/rotmp","type":"tmpfs","source":"tmpfs","options":["ro","exec"]},
                                   {"destination":"/rw","type":"bind","source":"/srv/b","options":["ro","rbind","rw","exec","suid","dev"]}])");
  auto out = harden_spec(spec, test::default_profile());
  ASSERT_TRUE(out);
  EXPECT_FALSE(has_option(mount_on(out->document, "/ro"), "noexec"));
  EXPECT_EQ(mount_on(out->document, "/rotmp")["options"], json::parse(R"(["ro","exec"])"));
  const json& rw = mount_on(out->document, "/rw");
  for (const char* gone : {"exec", "suid", "dev"}) EXPECT_FALSE(has_option(rw, gone)) << gone;
  for (const char* o : {"noexec", "nosuid", "nodev"}) EXPECT_TRUE(has_option(rw, o)) << o;
}

TEST(WritableMounts, AnExecAllowedDestinationKeepsExecButNotSuidOrDev) {
  Profile p = test::default_profile();
  p.exec_allowed = {"/run"};
  auto out = harden_spec(tmpfs_exec(), p);
  ASSERT_TRUE(out);
  const json& run = mount_on(out->document, "/run");
  EXPECT_TRUE(has_option(run, "exec"));
  EXPECT_FALSE(has_option(run, "noexec"));
  EXPECT_TRUE(has_option(run, "nosuid") && has_option(run, "nodev"));
}

TEST(WritableMounts, AMountWithoutOptionsOrWithAnotherTypeIsCovered) {
  json spec = test::minimal_spec();
  spec["mounts"] = json::parse(R"([{"destination":"/a","type":"tmpfs","source":"tmpfs"},
                                   {"destination":"/b","type":"ext4","source":"/dev/sdz1"},
                                   {"destination":"/c/./d/","type":"overlay","source":"overlay","options":["exec"]}])");
  auto out = decide_spec(spec, test::permissive_deny(test::default_profile()));
  ASSERT_TRUE(out);
  for (const auto& m : out->document["mounts"]) {
    EXPECT_TRUE(has_option(m, "noexec") && !has_option(m, "exec")) << m.dump();
  }
}

TEST(WritableMounts, HardeningTwiceChangesNothing) {
  auto once = harden_spec(tmpfs_exec("/x"), test::default_profile());
  ASSERT_TRUE(once);
  auto twice = harden_spec(once->document, test::default_profile());
  ASSERT_TRUE(twice);
  EXPECT_EQ(once->document, twice->document);
  EXPECT_FALSE(test::has_change(twice->changes, "mounts.writable_exec"));
}

TEST(WritableMounts, ProfileKeysAreOptionalAndCheckedStrictly) {
  const json base = test::load(std::filesystem::path(test::kProfilesDir) / "default.json");
  auto defaults = parse_profile(json::object(), "empty");
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_TRUE(defaults->exec_allowed.empty());
  EXPECT_EQ(defaults->writable_exec, Profile::WritableExec::noexec);
  EXPECT_TRUE(defaults->deny_device_nodes);
  for (const char* bad : {R"({"mounts":{"writable_exec":"allow"}})", R"({"mounts":{"writable_exec":""}})",
                          R"({"mounts":{"exec_allowed":["tmp"]}})", R"({"mounts":{"exec_allowed":"/tmp"}})",
                          R"({"deny":{"device_nodes":"yes"}})"}) {
    auto p = parse_profile(merge_profile_documents(base, json::parse(bad)), "bad");
    EXPECT_FALSE(p) << bad;
  }
  auto refuse = parse_profile(merge_profile_documents(base, json::parse(R"({"mounts":{"writable_exec":"refuse","exec_allowed":["/opt/jit"]}})")), "r");
  ASSERT_TRUE(refuse) << refuse.error().message;
  EXPECT_EQ(refuse->writable_exec, Profile::WritableExec::refuse);
  EXPECT_EQ(refuse->exec_allowed, std::vector<std::string>{"/opt/jit"});
}

// deny.device_nodes

json with_mount(json spec, const std::string& mount) {
  spec["mounts"].push_back(json::parse(mount));
  return spec;
}

TEST(DeviceNodes, ABindOverDevNullOrAnotherNodeIsRefusedWithTheWayOut) {
  for (const char* dest : {"/dev/null", "/dev//./null", "/dev/urandom", "/dev/tty", "/dev/console", "/dev/ptmx", "/dev/zero"}) {
    const json spec = with_mount(test::fixture("create", "default"),
                                 R"({"destination":")" + std::string(dest) + R"(","type":"bind","source":"/srv/f","options":["rbind"]})");
    auto decided = decide_spec(spec, test::default_profile());
    ASSERT_TRUE(decided);
    ASSERT_EQ(decided->denials.size(), 1u) << dest;
    EXPECT_EQ(decided->denials[0].rule, "deny.device_nodes");
    for (const char* part : {"mounts[].destination", "deny.device_nodes", "-v"}) {
      EXPECT_NE(decided->denials[0].message.find(part), std::string::npos) << part << ": " << decided->denials[0].message;
    }
  }
}

// runc mounts where the image's symlinks lead: a bind on /x, which the rootfs makes a link to /dev/null,
// replaces the container's /dev/null, and runc init reopens the caller's stdio onto it as root.
TEST(DeviceNodes, ADestinationTheImagesSymlinksLeadToADeviceNodeIsRefused) {
  HostFacts facts;
  facts.resolved_destinations["/x"] = "/dev/null";
  const json spec = with_mount(test::fixture("create", "default"), R"({"destination":"/x","type":"bind","source":"/srv/f","options":["rbind"]})");
  auto decided = decide_spec(spec, test::default_profile(), facts);
  ASSERT_TRUE(decided);
  ASSERT_EQ(decided->denials.size(), 1u) << refusal_message(decided->denials);
  EXPECT_EQ(decided->denials[0].rule, "deny.device_nodes");
  EXPECT_NE(decided->denials[0].message.find("the device node /dev/null on /x (a symlink in the container's filesystem leads /x there)"), std::string::npos)
      << decided->denials[0].message;
  auto unresolved = decide_spec(spec, test::default_profile());
  ASSERT_TRUE(unresolved);
  EXPECT_TRUE(unresolved->denials.empty()) << "without the fact, /x is an ordinary place: " << refusal_message(unresolved->denials);
}

TEST(DeviceNodes, ABindOfDevOrDevPtsIsRefusedButTheirOwnFilesystemsAreNot) {
  Profile p = test::permissive_deny(test::default_profile());  // the bind source rule aside: this rule alone
  p.deny_device_nodes = true;
  for (const char* m : {R"({"destination":"/dev","type":"bind","source":"/dev","options":["rbind"]})",
                        R"({"destination":"/dev/pts","type":"bind","source":"/dev/pts","options":["rbind"]})",
                        R"({"destination":"/dev/pts/0","type":"bind","source":"/srv/x","options":["bind"]})",
                        R"({"destination":"/dev/shm","type":"bind","source":"/dev/shm","options":["rbind"]})"}) {
    auto decided = decide_spec(with_mount(test::minimal_spec(), m), p);
    ASSERT_TRUE(decided);
    ASSERT_EQ(decided->denials.size(), 1u) << m;
    EXPECT_EQ(decided->denials[0].rule, "deny.device_nodes");
  }
  // What dockerd writes itself: tmpfs on /dev, devpts, a tmpfs /dev/shm or its own bind of mounts/shm.
  for (const char* name : {"default", "tmpfs-run", "volume"}) {
    auto decided = decide_spec(test::fixture("create", name), p);
    ASSERT_TRUE(decided);
    EXPECT_TRUE(decided->denials.empty()) << name << ": " << refusal_message(decided->denials);
  }
  auto shm = decide_spec(with_mount(test::minimal_spec(), R"({"destination":"/dev/shm","type":"bind","source":"/var/lib/docker/containers/abc/mounts/shm","options":["rbind","nosuid","noexec","nodev"]})"), p);
  ASSERT_TRUE(shm);
  EXPECT_TRUE(shm->denials.empty()) << refusal_message(shm->denials);
}

TEST(DeviceNodes, ASymlinkToTheHostsDevShmIsSeenThroughAndTheRuleCanBeTurnedOff) {
  Profile p = test::permissive_deny(test::default_profile());
  p.deny_device_nodes = true;
  HostFacts facts;
  facts.resolved_sources["/srv/shm-link"] = "/dev/shm";
  const json spec = with_mount(test::minimal_spec(), R"({"destination":"/dev/shm","type":"bind","source":"/srv/shm-link","options":["rbind"]})");
  auto decided = decide_spec(spec, p, facts);
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->denials.size(), 1u);
  p.deny_device_nodes = false;
  auto off = decide_spec(with_mount(test::minimal_spec(), R"({"destination":"/dev/null","type":"bind","source":"/srv/f"})"), p, facts);
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->denials.empty());
}

}  // namespace
}  // namespace hardened
