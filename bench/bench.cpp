// Benchmark: the wrapper's own cost, measured as whole process runs (spawn to exit), interleaved in one
// process so that drift in the machine's load hits every variant alike. Prints figures; asserts nothing.
//
//   hardened-bench BUILD_DIR PROFILES_DIR FIXTURE_JSON [ROUNDS [OTHER_BINARY]]
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
//                bundle is on tmpfs, as Docker's is under /run.
//                Its seccomp meet is remembered after the first round, as for every container Docker
//                starts with the capabilities of one before (state_dir, seccomp_memo.hpp)
//   create-unremembered   the same with no state_dir: the meet computed every time, as for the first
//                container after a profile or hardened-runtime changed
//   create-io-floor   for scale: a static C program that makes the remembered create's system calls and
//                file work with no policy work at all (bench/create_io_floor.c): what any design of the
//                create pays on this machine before it hardens anything
//   sh-wrapper   for scale: a shell script `exec "$RUNC_STANDIN" "$@"`, the simplest wrapper there is
//   passthrough-other, create-other   with OTHER_BINARY (another build) instead: an A/B in one run
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

double run_once(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) {
    std::perror("posix_spawn");
    std::exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const auto end = std::chrono::steady_clock::now();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s exited with status %d\n", argv[0].c_str(), status);
    std::exit(1);
  }
  return std::chrono::duration<double, std::milli>(end - start).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s BUILD_DIR PROFILES_DIR FIXTURE_JSON [ROUNDS [OTHER_BINARY]]\n", argv[0]);
    return 2;
  }
  const fs::path build = fs::absolute(argv[1]);
  const std::string profiles = fs::absolute(argv[2]).string();
  const std::string fixture = argv[3];
  const int rounds = argc > 4 ? std::atoi(argv[4]) : 2000;

  const fs::path work = fs::exists("/dev/shm") ? fs::path("/dev/shm/hardened-bench") : fs::temp_directory_path() / "hardened-bench";
  fs::remove_all(work);
  fs::create_directories(work / "bundle");
  // Every binary runs from a fresh copy made here, as `cmake --install` writes one. How a file came into
  // the page cache changes how fast it starts: the same binary ran a create 0.1 ms faster as a fresh
  // copy than as the linker's output after an afternoon of rebuilds and profiler runs, and an A/B of
  // two builds compared that instead of the builds.
  const fs::path copies = build / "bench-copies";
  fs::remove_all(copies);
  fs::create_directories(copies);
  auto fresh_copy = [&](const fs::path& binary, const std::string& name) {
    fs::copy_file(binary, copies / name);
    return (copies / name).string();
  };
  const std::string standin = fresh_copy(build / "runc-standin", "runc-standin");
  auto write_config = [&](const std::string& name, const std::string& state_dir) {
    const std::string path = (work / name).string();
    std::ofstream(path) << "{\"runtime\":\"" << standin << "\",\"profiles_dir\":\"" << profiles << "\",\"log_file\":\""
                        << (work / "audit.log").string() << "\",\"state_dir\":\"" << state_dir << "\"}";
    return path;
  };
  const std::string config = write_config("hardened.json", (work / "state").string());
  const std::string config_no_state = write_config("hardened-no-state.json", "");
  // The other build remembers its meets apart: each build's entries name their build, and in one
  // state_dir the two would overwrite each other's slot every round.
  const std::string config_other = write_config("hardened-other.json", (work / "state-other").string());
  setenv("RUNC_STANDIN", standin.c_str(), 1);
  const std::string wrapper = fresh_copy(build / "hardened-runtime", "hardened-runtime");
  const std::string sh_wrapper = (work / "sh-wrapper").string();
  std::ofstream(sh_wrapper) << "#!/bin/sh\nexec \"$RUNC_STANDIN\" \"$@\"\n";
  fs::permissions(sh_wrapper, fs::perms::owner_all);
  const std::string bundle = (work / "bundle").string();
  const std::string id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const std::vector<std::string> shim_globals{"--root", "/run/docker/runtime-runc/moby", "--log", (work / "log.json").string(),
                                              "--log-format", "json"};
  auto wrapper_argv = [&](std::vector<std::string> tail, const std::string& host_config) {
    std::vector<std::string> out{wrapper, "--config", host_config};
    out.insert(out.end(), shim_globals.begin(), shim_globals.end());
    out.insert(out.end(), tail.begin(), tail.end());
    return out;
  };
  std::map<std::string, std::vector<std::string>> variants{
      {"1 standin", {standin}},
      {"2 floor", {fresh_copy(build / "exec-floor", "exec-floor"), "state", id}},
      {"3 passthrough", wrapper_argv({"state", id}, config)},
      {"4 create", wrapper_argv({"create", "--bundle", bundle, "--pid-file", (work / "init.pid").string(), id}, config)},
      {"4 create-unremembered", wrapper_argv({"create", "--bundle", bundle, "--pid-file", (work / "init.pid").string(), id}, config_no_state)},
      {"5 sh-wrapper", {sh_wrapper, "state", id}},
  };
  variants["4 create-io-floor"] = variants["4 create"];
  variants["4 create-io-floor"][0] = fresh_copy(build / "create-io-floor", "create-io-floor");
  if (argc > 5) {
    const std::string other = fresh_copy(fs::absolute(argv[5]), "hardened-runtime-other");
    for (const char* name : {"3 passthrough", "4 create"}) {
      std::vector<std::string> args = variants[name];
      args[0] = other;
      args[2] = config_other;  // after "--config"
      variants[std::string(name) + "-other"] = args;
    }
  }
  // Before every create: the fixture's config.json, and (each Docker create is of a new container) no
  // creation record of its id yet.
  auto prepare_create = [&] {
    fs::copy_file(fixture, work / "bundle" / "config.json", fs::copy_options::overwrite_existing);
    for (const char* state : {"state", "state-other"}) fs::remove(work / state / (id + ".json"));
  };
  // The I/O floor reads the meet the create remembers: one untimed create first, then its entry is named.
  prepare_create();
  run_once(variants["4 create"]);
  for (const auto& entry : fs::directory_iterator(work / "state" / "seccomp-meets")) {
    setenv("HARDENED_BENCH_MEMO", entry.path().c_str(), 1);
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> order(variants.begin(), variants.end());
  std::mt19937 shuffler(20261122);

  std::map<std::string, std::vector<double>> times;
  for (int round = -50; round < rounds; ++round) {  // the first 50 rounds warm the caches and are dropped
    std::shuffle(order.begin(), order.end(), shuffler);
    for (const auto& [name, args] : order) {
      if (name.starts_with("4 create")) prepare_create();
      run_once({standin});  // the same predecessor for every timed run
      const double ms = run_once(args);
      if (round >= 0) times[name].push_back(ms);
    }
    if (round % 200 == 0) fs::remove(work / "audit.log");
  }

  const double floor = percentile(times["2 floor"], 0.5);
  std::printf("hardened-runtime benchmark: %d interleaved rounds, wall time per process run (spawn to exit)\n", rounds);
  std::printf("%-22s %10s %10s %10s %16s\n", "variant", "median ms", "p10 ms", "p90 ms", "median - floor");
  for (const auto& [name, v] : times) {
    std::printf("%-22s %10.3f %10.3f %10.3f %+16.3f\n", name.substr(2).c_str(), percentile(v, 0.5), percentile(v, 0.1),
                percentile(v, 0.9), percentile(v, 0.5) - floor);
  }
  const double pass = percentile(times["3 passthrough"], 0.5) - floor;
  const double create = percentile(times["4 create"], 0.5) - floor;
  std::printf("goal: pass-through within 0.100 ms of the floor: %+.3f ms %s\n", pass, pass <= 0.1 ? "met" : "NOT MET");
  std::printf("goal: create within 0.300 ms of the floor:       %+.3f ms %s\n", create, create <= 0.3 ? "met" : "NOT MET");
  const double io_floor = percentile(times["4 create-io-floor"], 0.5) - floor;
  std::printf("create's I/O floor here: %+.3f ms; above it (spec parsed, rules, text written): %+.3f ms\n", io_floor,
              create - io_floor);
  fs::remove_all(work);
  fs::remove_all(copies);
  return 0;
}
