// linux.cgroupsPath must name the container's own cgroup: a new one, or an empty one with no children.
// A busy cgroup (another container's, a host service's, "/", a parent of many) is refused, judged by
// what the edge observed in each hierarchy; and the observation itself, against a fake hierarchy tree.
#include <filesystem>
#include <fstream>
#include <optional>

#include "hardened/host_facts.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

const std::string kId = "15e4bc4c80c42ea56ef2498dda68026d61179d12cf28aaf8f100ae5ea0296b4d";

json with_path(const std::string& path) {
  json spec = test::fixture("create", "default");
  spec["linux"]["cgroupsPath"] = path;
  return spec;
}

CgroupPlace place(const std::string& dir, bool exists, std::vector<std::string> procs = {}, std::vector<std::string> children = {}) {
  CgroupPlace p;
  p.directory = dir;
  p.exists = exists;
  p.processes = std::move(procs);
  p.children = std::move(children);
  return p;
}

HostFacts seen(const std::string& written, std::vector<CgroupPlace> places, const std::string& unit = "", bool unit_exists = false) {
  HostFacts facts;
  facts.cgroups_path = CgroupsPathFacts{written, std::move(places), unit, unit_exists};
  return facts;
}

// A copy: the decisions are temporaries.
std::optional<Finding> refusal(const Hardened& out) {
  for (const auto& d : out.denials) {
    if (d.rule == "cgroups_path") return d;
  }
  return std::nullopt;
}

Hardened decide(const std::string& path, const HostFacts& facts) {
  auto out = decide_spec(with_path(path), test::default_profile(), facts);
  EXPECT_TRUE(out) << out.error().message;
  return out ? *out : Hardened{};
}

TEST(CgroupsPath, ANewCgroupPasses) {
  const std::string path = "/docker/" + kId;
  const auto out = decide(path, seen(path, {place("/sys/fs/cgroup/pids/docker/" + kId, false), place("/sys/fs/cgroup/unified/docker/" + kId, false)}));
  EXPECT_FALSE(refusal(out));
}

TEST(CgroupsPath, AnEmptyLeftoverOfAnEarlierCreatePasses) {
  const std::string path = "/docker/" + kId;
  EXPECT_FALSE(refusal(decide(path, seen(path, {place("/sys/fs/cgroup/pids/docker/" + kId, true)}))));
}

TEST(CgroupsPath, ACgroupWithProcessesIsRefused) {
  const std::string path = "/system.slice/containerd.service";
  const auto out = decide(path, seen(path, {place("/sys/fs/cgroup/pids/system.slice/containerd.service", true, {"812", "4410"}),
                                            place("/sys/fs/cgroup/memory/system.slice/containerd.service", true, {"812", "4410"})}));
  const auto d = refusal(out);
  ASSERT_TRUE(d);
  EXPECT_NE(d->message.find("refused by rule cgroups_path: linux.cgroupsPath /system.slice/containerd.service"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("/sys/fs/cgroup/pids/system.slice/containerd.service holds 2 processes (pid 812, 4410)"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("1 other hierarchy"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("remove linux.cgroupsPath or name a new cgroup"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("--cgroup-parent"), std::string::npos) << d->message;
}

TEST(CgroupsPath, ACgroupWithChildrenIsRefused) {
  const auto out = decide("/docker", seen("/docker", {place("/sys/fs/cgroup/pids/docker", true, {}, {"a1", "b2"})}));
  const auto d = refusal(out);
  ASSERT_TRUE(d);
  EXPECT_NE(d->message.find("holds 2 child cgroups (a1, b2)"), std::string::npos) << d->message;
}

TEST(CgroupsPath, TheRootIsRefused) {
  EXPECT_TRUE(refusal(decide("/", seen("/", {place("/sys/fs/cgroup/pids", true, {"1"}, {"system.slice"})}))));
}

TEST(CgroupsPath, AnUnreadableCgroupIsRefused) {
  CgroupPlace p = place("/sys/fs/cgroup/pids/x", true);
  p.readable = false;
  const auto d = refusal(decide("/x", seen("/x", {p})));
  ASSERT_TRUE(d);
  EXPECT_NE(d->message.find("cannot be read"), std::string::npos) << d->message;
}

TEST(CgroupsPath, NoCgroupHierarchySeenIsRefused) {
  const auto d = refusal(decide("/docker/" + kId, seen("/docker/" + kId, {})));
  ASSERT_TRUE(d);
  EXPECT_NE(d->message.find("cannot be judged: no cgroup hierarchy"), std::string::npos) << d->message;
}

TEST(CgroupsPath, SystemdFormWithAnExistingUnitIsRefused) {
  const std::string path = "system.slice:docker:" + kId;
  const std::string unit = "docker-" + kId + ".scope";
  EXPECT_FALSE(refusal(decide(path, seen(path, {place("/sys/fs/cgroup/pids/system.slice/" + unit, false)}, unit, false))));
  const auto d = refusal(decide(path, seen(path, {place("/sys/fs/cgroup/pids/system.slice/" + unit, false)}, unit, true)));
  ASSERT_TRUE(d);
  EXPECT_NE(d->message.find("names the systemd unit " + unit + ", which systemd already has"), std::string::npos) << d->message;
}

TEST(CgroupsPath, SystemdFormNamingASliceIsRefused) {
  const std::string path = "system.slice:x:kubepods.slice";
  EXPECT_TRUE(refusal(decide(path, seen(path, {}, "kubepods.slice", true))));
}

TEST(CgroupsPath, AbsentOrEmptyOrNotObservedPasses) {
  json spec = test::fixture("create", "default");
  spec["linux"].erase("cgroupsPath");
  auto out = decide_spec(spec, test::default_profile(), HostFacts{});
  ASSERT_TRUE(out);
  EXPECT_FALSE(refusal(*out));
  EXPECT_FALSE(refusal(decide("", seen("", {place("/sys/fs/cgroup/pids", true, {"1"})})))) << "runc picks its own";
  EXPECT_FALSE(refusal(decide("/docker", HostFacts{}))) << "not observed: not judged";
  EXPECT_FALSE(refusal(decide("/docker", seen("/other", {place("/sys/fs/cgroup/pids/other", true, {"1"})}))))
      << "an observation of another path says nothing of this one";
}

TEST(CgroupsPath, AppliedTwiceChangesNothing) {
  const std::string path = "/docker/" + kId;
  const HostFacts facts = seen(path, {place("/sys/fs/cgroup/pids/docker/" + kId, false)});
  auto once = decide_spec(with_path(path), test::default_profile(), facts);
  ASSERT_TRUE(once);
  auto twice = decide_spec(once->document, test::default_profile(), facts);
  ASSERT_TRUE(twice);
  EXPECT_EQ(once->document, twice->document);
  EXPECT_EQ(once->document["linux"]["cgroupsPath"], path);
  EXPECT_TRUE(twice->denials.empty());
}

// The edge: hierarchies from mountinfo, runc's own cgroup, and what is in a fake tree.
TEST(CgroupsPathEdge, HierarchiesComeFromMountinfo) {
  const std::string hybrid =
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
      "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n";
  const auto h = cgroup_hierarchies(parse_mountinfo(hybrid));
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].mount_point, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(h[0].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_EQ(h[1].controllers, (std::vector<std::string>{"name=systemd"}));
  EXPECT_TRUE(h[2].unified);
  const auto v2 = cgroup_hierarchies(parse_mountinfo("30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"));
  ASSERT_EQ(v2.size(), 1u);
  EXPECT_TRUE(v2[0].unified);
  const auto own = parse_proc_cgroup("4:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/session-1.scope\n0::/user.slice/session-1.scope\n");
  EXPECT_EQ(own.at("cpu,cpuacct"), "/user.slice");
  EXPECT_EQ(own.at(""), "/user.slice/session-1.scope");
}

struct FakeHost {
  test::TempDir dir;
  std::vector<CgroupHierarchy> hierarchies;
  fs::path units() const { return dir.path() / "transient"; }
  // A hybrid host: v1 pids and memory, and the unified mount.
  FakeHost() {
    for (const char* name : {"pids", "memory", "unified"}) {
      fs::create_directories(dir.path() / name);
      hierarchies.push_back({(dir.path() / name).string(), "/", {}, std::string(name) == "unified"});
      if (!hierarchies.back().unified) hierarchies.back().controllers = {name};
    }
    fs::create_directories(units());
  }
  void cgroup(const std::string& rel, const std::string& procs = "") {
    for (const char* name : {"pids", "memory", "unified"}) {
      fs::create_directories(dir.path() / name / rel);
      std::ofstream(dir.path() / name / rel / "cgroup.procs") << procs;
    }
  }
  CgroupsPathFacts observe(const std::string& written, const std::map<std::string, std::string>& own = {}) const {
    return observe_cgroups_path(written, hierarchies, own, units().string());
  }
  Hardened judged(const std::string& written, const std::map<std::string, std::string>& own = {}) const {
    HostFacts facts;
    facts.cgroups_path = observe(written, own);
    return decide(written, facts);
  }
};

TEST(CgroupsPathEdge, ObservesAFakeTree) {
  FakeHost host;
  host.cgroup("docker");
  host.cgroup("docker/victim", "4242\n");
  host.cgroup("docker/left-over");
  const auto victim = host.observe("/docker/victim");
  ASSERT_EQ(victim.places.size(), 3u);
  for (const auto& p : victim.places) {
    EXPECT_TRUE(p.exists);
    EXPECT_EQ(p.processes, (std::vector<std::string>{"4242"}));
  }
  EXPECT_EQ(host.observe("/docker").places[0].children, (std::vector<std::string>{"left-over", "victim"}));
  EXPECT_TRUE(refusal(host.judged("/docker/victim")));
  EXPECT_TRUE(refusal(host.judged("/docker"))) << "children";
  EXPECT_TRUE(refusal(host.judged("/")));
  EXPECT_TRUE(refusal(host.judged("/docker/new/../../docker/./victim"))) << "cleaned as runc does";
  EXPECT_TRUE(refusal(host.judged("/../../../docker/victim"))) << "'..' stops at the root";
  EXPECT_FALSE(refusal(host.judged("/docker/left-over"))) << "empty, no children: the container's own";
  EXPECT_FALSE(refusal(host.judged("/docker/" + kId)));
  EXPECT_FALSE(host.observe("/docker/" + kId).places[0].exists);
}

TEST(CgroupsPathEdge, RelativePathsResolveUnderRuncsOwnCgroup) {
  FakeHost host;
  host.cgroup("shim", "77\n");
  host.cgroup("shim/busy", "78\n");
  const std::map<std::string, std::string> own{{"pids", "/shim"}, {"memory", "/shim"}, {"", "/shim"}};
  const auto facts = host.observe("busy", own);
  ASSERT_EQ(facts.places.size(), 3u);
  EXPECT_EQ(facts.places[0].directory, (host.dir.path() / "pids" / "shim" / "busy").string());
  EXPECT_EQ(facts.places[2].directory, (host.dir.path() / "unified" / "busy").string()) << "hybrid unified: under the mount itself";
  EXPECT_TRUE(refusal(host.judged("busy", own)));
  EXPECT_TRUE(refusal(host.judged("../../busy", own))) << "'..' cannot climb above runc's own cgroup";
  EXPECT_TRUE(refusal(host.judged(".", own))) << "runc's own cgroup, with runc in it";
  EXPECT_FALSE(refusal(host.judged("new-one", own)));
  // pure v2: under the parent of runc's own cgroup
  const std::vector<CgroupHierarchy> v2{{(host.dir.path() / "unified").string(), "/", {}, true}};
  const auto pure = observe_cgroups_path("busy", v2, {{"", "/shim/x"}}, host.units().string());
  ASSERT_EQ(pure.places.size(), 1u);
  EXPECT_EQ(pure.places[0].directory, (host.dir.path() / "unified" / "shim" / "busy").string());
  EXPECT_TRUE(pure.places[0].exists);
}

TEST(CgroupsPathEdge, SystemdFormIsTheScopeUnderTheExpandedSlice) {
  FakeHost host;
  host.cgroup("kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice", "1\n");  // the pod's: busy, not named
  const std::string cri = "kubepods-besteffort-pod1.slice:cri-containerd:" + kId;
  const auto facts = host.observe(cri);
  EXPECT_EQ(facts.unit, "cri-containerd-" + kId + ".scope");
  EXPECT_FALSE(facts.unit_exists);
  bool found = false;
  for (const auto& p : facts.places) {
    found |= p.directory == (host.dir.path() / "pids/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice" /
                             ("cri-containerd-" + kId + ".scope")).string();
    EXPECT_FALSE(p.exists) << p.directory;
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(refusal(host.judged(cri))) << "containerd's CRI: the container's scope is new";
  EXPECT_FALSE(refusal(host.judged("system.slice:docker:" + kId)));
  EXPECT_FALSE(refusal(host.judged("machine.slice:libpod:" + kId)));
  std::ofstream(host.units() / ("docker-" + kId + ".scope")) << "[Scope]\n";
  EXPECT_TRUE(host.observe("system.slice:docker:" + kId).unit_exists);
  EXPECT_TRUE(refusal(host.judged("system.slice:docker:" + kId))) << "systemd has that unit";
  host.cgroup("system.slice/docker-busy.scope", "9\n");
  EXPECT_TRUE(refusal(host.judged("system.slice:docker:busy"))) << "its cgroup holds processes";
  EXPECT_TRUE(refusal(host.judged(":docker:busy"))) << "no slice: system.slice";
}

TEST(CgroupsPathEdge, EnginesPathsAreNew) {
  FakeHost host;
  host.cgroup("kubepods/besteffort/pod1234", "5\n");  // the pod's cgroup exists, with the pause container
  host.cgroup("libpod_parent", "");
  host.cgroup("libpod_parent/conmon", "6\n");
  EXPECT_FALSE(refusal(host.judged("/kubepods/besteffort/pod1234/" + kId)));
  EXPECT_FALSE(refusal(host.judged("/libpod_parent/libpod-" + kId)));
  EXPECT_TRUE(refusal(host.judged("/kubepods/besteffort/pod1234"))) << "the pod's own cgroup";
}

}  // namespace
}  // namespace hardened
