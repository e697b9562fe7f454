// Benchmark: the wrapper's own cost, measured as whole process runs (spawn to exit), interleaved in one
// process so that drift in the machine's load hits every variant alike. Prints figures; asserts nothing.
//
//   hardened-bench BUILD_DIR PROFILES_DIR FIXTURE_JSON [ROUNDS [OTHER_BINARY]]
//   hardened-bench --docker DOCKER_HOST IMAGE [ROUNDS]
//
// What ran just before a process changes its time (the same binary run twice in a row: the second
// 0.04 ms faster here). So every timed run follows the same untimed run of the stand-in, and the
// variants run in a new random order each round (fixed seed): no variant inherits a warm or a cold
// cache from another.
//
// Variants, each exec'ing the static stand-in for runc that exits at once:
//   standin      the stand-in alone
//   floor        a static C program that only execs the stand-in (one extra exec)
//   passthrough  hardened-runtime ... state ID
//   create       hardened-runtime ... create --bundle B ID on the Docker fixture (config.json restored
//                and the container's creation record removed before each round, outside the timing); the
//                bundle is on tmpfs, as Docker's is under /run. After the first round the seccomp memo
//                holds the meet of the fixture's filter and the profile's (seccomp_memo.hpp), as on a host
//                that has created a container like it before.
//   create-first the same create with an empty memo before each round: the first create after a profile
//                changed (the meet is computed, and kept).
//   create-big-N the fixture grown by N/4 of (10,000 environment entries and 1,000 tmpfs mounts), N = 1..4:
//                at N = 4 the issue's "~0.85 MB" spec (694 KB as dump(1) writes it). Run every 10th round.
//   sh-wrapper   for scale: a shell script `exec "$RUNC_STANDIN" "$@"`, the simplest wrapper there is
//   passthrough-other, create-other, create-big-4-other   with OTHER_BINARY (another build) instead:
//                an A/B in one run
//
// --docker: `docker run --rm --network none IMAGE true` with --runtime=hardened-flag and --runtime=runc,
// interleaved, against a dockerd that has both (scripts/bench.sh starts a private one).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

// Every variant gets the stdio containerd's shim gives runc for `docker run IMAGE true`: stdin the null
// device, stdout and stderr a pipe. (A regular file there would time hardened-runtime's stdio relays,
// which no engine makes it start.) What a run writes is read after it, outside the timing.
struct EngineStdio {
  posix_spawn_file_actions_t actions{};
  int output = -1;  // the pipe's read end, non-blocking

  EngineStdio() {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return;
    fcntl(ends[0], F_SETFL, O_NONBLOCK);
    output = ends[0];
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, ends[1], 1);
    posix_spawn_file_actions_adddup2(&actions, ends[1], 2);
  }

  std::string drain() const {
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = read(output, buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
    return out;
  }
};

const EngineStdio& engine_stdio() {
  static const EngineStdio stdio;
  return stdio;
}

double run_once(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const EngineStdio& stdio = engine_stdio();
  if (posix_spawnp(&pid, args[0], stdio.output >= 0 ? &stdio.actions : nullptr, nullptr, args.data(), environ) != 0) {
    std::perror("posix_spawn");
    std::exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const auto end = std::chrono::steady_clock::now();
  const std::string output = stdio.drain();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s exited with status %d: %s\n", argv[0].c_str(), status, output.c_str());
    std::exit(1);
  }
  return std::chrono::duration<double, std::milli>(end - start).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

double median(const std::vector<double>& v) { return percentile(v, 0.5); }

void print_goal(const char* what, double value, double goal) {
  std::printf("goal: %-52s %+8.3f ms (goal %+.2f) %s\n", what, value, goal, value <= goal ? "met" : "NOT MET");
}

// A Docker fixture as a create of container `id` on this host would see it. Its hook runs dockerd through
// /proc/<dockerd's pid>/exe of the machine it was captured on, for the container it was captured as
// (args[2]); the wrapper judges a hook by the file its path reaches and by its arguments (hooks.cpp), so
// the hook names this host's dockerd and `id`, as dockerd writes it for that container (the same
// judgement and cost), or, without a dockerd, goes: a create refused for it would measure a refusal.
nlohmann::json fixture_on_this_host(const std::string& fixture, const std::string& id) {
  std::ifstream in(fixture);
  nlohmann::json spec = nlohmann::json::parse(in);
  if (!spec.contains("hooks")) return spec;
  for (const char* dockerd : {"/usr/sbin/dockerd", "/usr/bin/dockerd", "/usr/local/bin/dockerd"}) {
    if (!std::filesystem::exists(dockerd)) continue;
    for (auto& [kind, hooks] : spec["hooks"].items()) {
      for (auto& hook : hooks) {
        hook["path"] = dockerd;
        if (hook["args"].size() > 2) hook["args"][2] = id;  // libnetwork-setkey -exec-root=DIR ID CONTROLLER
      }
    }
    return spec;
  }
  spec.erase("hooks");
  return spec;
}

// The Docker fixture grown by `env` environment entries and `tmpfs` tmpfs mounts.
std::string grown_spec(const std::string& fixture, const std::string& id, int env, int tmpfs) {
  nlohmann::json spec = fixture_on_this_host(fixture, id);
  for (int i = 0; i < env; ++i) spec["process"]["env"].push_back("BENCH_VARIABLE_" + std::to_string(i) + "=a value of some length " + std::to_string(i));
  for (int i = 0; i < tmpfs; ++i) {
    spec["mounts"].push_back({{"destination", "/bench/t" + std::to_string(i)},
                              {"type", "tmpfs"},
                              {"source", "tmpfs"},
                              {"options", {"nosuid", "nodev", "noexec", "size=1m"}}});
  }
  return spec.dump(1);
}

int docker_end_to_end(const std::string& host, const std::string& image, int rounds) {
  setenv("DOCKER_HOST", host.c_str(), 1);
  auto run = [&](const char* runtime) {
    return std::vector<std::string>{"docker", "run", "--rm", "--network", "none", "--runtime", runtime, image, "true"};
  };
  // "hardened-flag": registered by path alone, as `configure docker` registers it (the host config found
  // through the environment). A runtime with runtimeArgs, like dockerd.sh's "hardened", is run through
  // a /bin/sh script dockerd writes, which would time the shell on every runtime call.
  std::map<std::string, std::vector<std::string>> variants{{"runc", run("runc")}, {"hardened", run("hardened-flag")}};
  std::vector<std::pair<std::string, std::vector<std::string>>> order(variants.begin(), variants.end());
  std::mt19937 shuffler(20261205);
  std::map<std::string, std::vector<double>> times;
  for (int round = -3; round < rounds; ++round) {
    std::shuffle(order.begin(), order.end(), shuffler);
    for (const auto& [name, args] : order) {
      const double ms = run_once(args);
      if (round >= 0) times[name].push_back(ms);
    }
  }
  std::printf("docker run --rm --network none %s true: %d interleaved rounds each\n", image.c_str(), rounds);
  std::printf("%-12s %10s %10s %10s\n", "runtime", "median ms", "p10 ms", "p90 ms");
  for (const auto& [name, v] : times) std::printf("%-12s %10.1f %10.1f %10.1f\n", name.c_str(), median(v), percentile(v, 0.1), percentile(v, 0.9));
  const double ratio = median(times["hardened"]) / median(times["runc"]);
  std::printf("goal: end to end, hardened / runc (medians)                 %8.3f   (goal 1.03) %s\n", ratio, ratio <= 1.03 ? "met" : "NOT MET");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "--docker") return docker_end_to_end(argv[2], argv[3], argc > 4 ? std::atoi(argv[4]) : 30);
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s BUILD_DIR PROFILES_DIR FIXTURE_JSON [ROUNDS [OTHER_BINARY]]\n       %s --docker DOCKER_HOST IMAGE [ROUNDS]\n",
                 argv[0], argv[0]);
    return 2;
  }
  const fs::path build = fs::absolute(argv[1]);
  const std::string profiles = fs::absolute(argv[2]).string();
  const std::string fixture = argv[3];
  const int rounds = argc > 4 ? std::atoi(argv[4]) : 2000;

  const fs::path work = fs::exists("/dev/shm") ? fs::path("/dev/shm/hardened-bench") : fs::temp_directory_path() / "hardened-bench";
  fs::remove_all(work);
  // Every binary runs from a fresh copy made here, as `cmake --install` writes one. How a file came into
  // the page cache changes how fast it starts: the same binary ran a create 0.1 ms faster as a fresh
  // copy than as the linker's output after an afternoon of rebuilds and profiler runs, and an A/B of
  // two builds compared that instead of the builds.
  const fs::path copies = build / "bench-copies";
  fs::remove_all(copies);
  fs::create_directories(copies);
  // `name` may hold a directory: the other build keeps its own file name, since a name of the form
  // hardened-runtime-<profile> selects that profile.
  auto fresh_copy = [&](const fs::path& binary, const std::string& name) {
    fs::create_directories((copies / name).parent_path());
    fs::copy_file(binary, copies / name);
    return (copies / name).string();
  };
  const std::string standin = fresh_copy(build / "runc-standin", "runc-standin");
  auto write_config = [&](const std::string& name, const std::string& state_dir) {
    fs::create_directories(work);
    const std::string path = (work / name).string();
    std::ofstream(path) << "{\"runtime\":\"" << standin << "\",\"profiles_dir\":\"" << profiles << "\",\"log_file\":\""
                        << (work / "audit.log").string() << "\",\"state_dir\":\"" << state_dir << "\"}";
    return path;
  };
  const std::string config = write_config("hardened.json", (work / "state").string());
  const std::string config_other = write_config("hardened-other.json", (work / "state-other").string());
  const std::string config_first = write_config("hardened-first.json", (work / "state-first").string());
  const std::string config_first_other = write_config("hardened-first-other.json", (work / "state-first-other").string());
  setenv("RUNC_STANDIN", standin.c_str(), 1);
  const std::string wrapper = fresh_copy(build / "hardened-runtime", "hardened-runtime");
  const std::string sh_wrapper = (work / "sh-wrapper").string();
  std::ofstream(sh_wrapper) << "#!/bin/sh\nexec \"$RUNC_STANDIN\" \"$@\"\n";
  fs::permissions(sh_wrapper, fs::perms::owner_all);
  const std::string id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const std::vector<std::string> shim_globals{"--root", "/run/docker/runtime-runc/moby", "--log", (work / "log.json").string(),
                                              "--log-format", "json"};
  auto wrapper_argv = [&](std::vector<std::string> tail, const std::string& host_config) {
    std::vector<std::string> out{wrapper, "--config", host_config};
    out.insert(out.end(), shim_globals.begin(), shim_globals.end());
    out.insert(out.end(), tail.begin(), tail.end());
    return out;
  };
  // Each create variant has its bundle and the config.json it starts from.
  std::map<std::string, std::string> sources;  // bundle -> the config.json text it gets before each run
  auto create_argv = [&](const std::string& bundle_name, const std::string& text, const std::string& host_config) {
    const fs::path bundle = work / bundle_name;
    fs::create_directories(bundle);
    sources[bundle.string()] = text;
    return wrapper_argv({"create", "--bundle", bundle.string(), "--pid-file", (work / "init.pid").string(), id}, host_config);
  };
  const std::string fixture_text = fixture_on_this_host(fixture, id).dump();

  std::map<std::string, std::vector<std::string>> variants{
      {"1 standin", {standin}},
      {"2 floor", {fresh_copy(build / "exec-floor", "exec-floor"), "state", id}},
      {"3 passthrough", wrapper_argv({"state", id}, config)},
      {"4 create", create_argv("bundle", fixture_text, config)},
      {"4 create-first", create_argv("bundle-first", fixture_text, config_first)},
      {"6 sh-wrapper", {sh_wrapper, "state", id}},
  };
  // Docker's spec with its three bind sources present (resolv.conf, hostname, hosts), as on a Docker
  // host, where the fixture's own paths are absent: the create stages them (three bind mounts and the
  // unstage hook, src/io/stage.cpp). Shown beside the goals, not one of them.
  nlohmann::json staged_spec = fixture_on_this_host(fixture, id);
  for (auto& mount : staged_spec["mounts"]) {
    const std::string source = mount.value("source", "");
    if (mount.value("type", "") != "bind" || source.rfind('/') == std::string::npos) continue;
    const fs::path file = copies / "container" / source.substr(source.rfind('/') + 1);  // not under a denied tree (/dev)
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "bench\n";
    mount["source"] = file.string();
  }
  variants["4 create-staged"] = create_argv("bundle-staged", staged_spec.dump(), config);
  // The stages a staged create leaves are taken off by the hook runc would run (the stand-in runs
  // none): the wrapper's own unstage tool, outside the timed runs.
  const std::vector<std::string> take_stages_off{wrapper, "unstage", (work / "state" / "stages" / id).string()};
  std::map<std::string, std::size_t> big_sizes;
  for (int quarter = 1; quarter <= 4; ++quarter) {
    const std::string name = "5 create-big-" + std::to_string(quarter);
    const std::string text = grown_spec(fixture, id, 2500 * quarter, 250 * quarter);
    big_sizes[name] = text.size();
    variants[name] = create_argv("bundle-big-" + std::to_string(quarter), text, config);
  }
  if (argc > 5) {
    const std::string other = fresh_copy(fs::absolute(argv[5]), "other/hardened-runtime");
    std::vector<std::string> args = variants["3 passthrough"];
    args[0] = other;
    args[2] = config_other;  // after "--config"
    variants["3 passthrough-other"] = args;
    auto other_create = [&](const std::string& name, const std::string& bundle_name, const std::string& text) {
      variants[name + "-other"] = create_argv(bundle_name, text, config_other);
      variants[name + "-other"][0] = other;
    };
    other_create("4 create", "bundle-other", fixture_text);
    variants["4 create-first-other"] = create_argv("bundle-first-other", fixture_text, config_first_other);
    variants["4 create-first-other"][0] = other;
    // The size goal too: a faster reader or writer may be kept for it alone.
    other_create("5 create-big-4", "bundle-big-4-other", sources[(work / "bundle-big-4").string()]);
    big_sizes["5 create-big-4-other"] = big_sizes["5 create-big-4"];
  }
  // Before every create: its config.json as Docker wrote it, and (each Docker create is of a new
  // container) no creation record of its id yet.
  auto prepare_create = [&](const std::vector<std::string>& args) {
    run_once(take_stages_off);
    const std::string& bundle = *(std::find(args.begin(), args.end(), "--bundle") + 1);
    std::ofstream(bundle + "/config.json", std::ios::trunc) << sources[bundle];
    for (const char* state : {"state", "state-other", "state-first", "state-first-other"}) fs::remove(work / state / (id + ".json"));
    for (const char* state : {"state-first", "state-first-other"}) fs::remove_all(work / state / "seccomp");
  };
  std::vector<std::pair<std::string, std::vector<std::string>>> order(variants.begin(), variants.end());
  std::mt19937 shuffler(20261122);

  std::map<std::string, std::vector<double>> times;
  for (int round = -50; round < rounds; ++round) {  // the first 50 rounds warm the caches and are dropped
    std::shuffle(order.begin(), order.end(), shuffler);
    for (const auto& [name, args] : order) {
      const bool big = name.starts_with("5 ");
      if (big && round % 10 != 0) continue;
      if (name.find("create") != std::string::npos) prepare_create(args);
      run_once({standin});  // the same predecessor for every timed run
      const double ms = run_once(args);
      if (round >= 0) times[name].push_back(ms);
    }
    if (round % 200 == 0) fs::remove(work / "audit.log");
  }

  const double floor = median(times["2 floor"]);
  std::printf("hardened-runtime benchmark: %d interleaved rounds (create-big: every 10th), wall time per process run (spawn to exit)\n",
              rounds);
  std::printf("%-22s %10s %10s %10s %16s\n", "variant", "median ms", "p10 ms", "p90 ms", "median - floor");
  for (const auto& [name, v] : times) {
    std::printf("%-22s %10.3f %10.3f %10.3f %+16.3f", name.substr(2).c_str(), median(v), percentile(v, 0.1), percentile(v, 0.9),
                median(v) - floor);
    if (big_sizes.count(name) != 0) std::printf("   (%zu KB)", big_sizes[name] / 1024);
    std::printf("\n");
  }
  const double pass = median(times["3 passthrough"]) - floor;
  const double create = median(times["4 create"]) - floor;
  const double big = median(times["5 create-big-4"]) - floor;
  print_goal("pass-through over the floor", pass, 0.10);
  print_goal("create (Docker's default spec) over the floor", create, 0.60);
  print_goal("first create after a profile changed (create-first)", median(times["4 create-first"]) - floor, 1.50);
  print_goal("create-big-4 (10,000 env, 1,000 tmpfs) over the floor", big, 25.0);
  // Linear: the cost per added MB from the smallest grown spec to each larger one stays about the same.
  std::printf("size: ms per added MB over create-big-1:");
  const double base_ms = median(times["5 create-big-1"]);
  const double base_mb = static_cast<double>(big_sizes["5 create-big-1"]) / 1e6;
  for (int quarter = 2; quarter <= 4; ++quarter) {
    const std::string name = "5 create-big-" + std::to_string(quarter);
    std::printf(" %.1f", (median(times[name]) - base_ms) / (static_cast<double>(big_sizes[name]) / 1e6 - base_mb));
  }
  std::printf(" (about equal: linear)\n");
  std::printf("create with its bind sources present (3 staged) over the floor: %+.3f ms (not a goal: what staging adds)\n",
              median(times["4 create-staged"]) - floor);
  run_once(take_stages_off);
  fs::remove_all(work);
  fs::remove_all(copies);
  return 0;
}
