#!/usr/bin/env bash
# Where a create's time goes, system call by system call: N creates of the Docker fixture (seccomp meet
# remembered, a new container id each time, the bundle on tmpfs) under kernel tracepoints, then for each system call in
# order the median time spent in user space before it (with the page faults taken there) and inside it.
#   scripts/trace-create.sh [BUILD_DIR [N]]     (default: build 300; needs perf and python3)
# Every traced event costs ~1 µs, so the figures read high; compare them with each other, and builds
# with the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-300}
command -v perf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf; }
work=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)  # a tmpfs, as Docker's bundles under /run
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundle"
id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
printf '{"runtime":"%s","profiles_dir":"%s","log_file":"%s","state_dir":"%s"}\n' \
  "$PWD/$build/runc-standin" "$PWD/profiles" "$work/audit.log" "$work/state" >"$work/hardened.json"
cat >"$work/loop.sh" <<LOOP
for i in \$(seq 0 $runs); do
  cp tests/data/docker-20.10/create/default.json $work/bundle/config.json
  rm -f $work/state/$id.json
  $PWD/$build/hardened-runtime --config $work/hardened.json --root /run/docker/runtime-runc/moby \
    --log $work/log.json --log-format json create --bundle $work/bundle --pid-file $work/init.pid $id
done
LOOP
perf record -q -o "$work/perf.data" -e raw_syscalls:sys_enter,raw_syscalls:sys_exit,exceptions:page_fault_user,sched:sched_process_exec \
  -- bash "$work/loop.sh" >/dev/null 2>&1
perf script -i "$work/perf.data" --ns -F comm,pid,time,event,trace 2>/dev/null | python3 -c '
import collections, re, statistics, sys
names = {0: "read", 1: "write", 3: "close", 9: "mmap", 10: "mprotect", 11: "munmap", 12: "brk", 21: "access",
         74: "fsync", 82: "rename", 83: "mkdir", 89: "readlink", 91: "fchmod", 107: "geteuid", 108: "getegid",
         158: "arch_prctl", 218: "set_tid_address", 257: "openat", 262: "newfstatat", 265: "linkat",
         273: "set_robust_list", 302: "prlimit64", 318: "getrandom", 334: "rseq", 59: "execve"}
events = collections.defaultdict(list)
for line in sys.stdin:
    m = re.match(r"\s*\S+\s+(\d+)\s+([\d.]+):\s+(\S+):\s*(.*)", line)
    if m: events[m.group(1)].append((float(m.group(2)) * 1e6, m.group(3), m.group(4)))
runs = []
for evs in events.values():
    start = next((i for i, e in enumerate(evs) if e[1] == "sched:sched_process_exec" and "hardened-runtime" in e[2]), None)
    if start is None: continue
    calls, last, faults, entered = [], evs[start][0], 0, None
    for t, ev, tr in evs[start + 1:]:
        if ev == "exceptions:page_fault_user": faults += 1
        elif ev == "raw_syscalls:sys_enter":
            nr = int(re.search(r"NR (\d+)", tr).group(1))
            entered = (nr, t - last, faults, t); faults = 0
            if nr == 59: calls.append((nr, t - last, entered[2], 0.0)); break
        elif ev == "raw_syscalls:sys_exit" and entered:
            calls.append((entered[0], entered[1], entered[2], t - entered[3])); last, entered = t, None
    runs.append(calls)
runs = runs[1:]  # the first create computes the meet
shape = collections.Counter(tuple(c[0] for c in r) for r in runs).most_common(1)[0][0]
same = [r for r in runs if tuple(c[0] for c in r) == shape]
print(f"{len(same)} of {len(runs)} creates made the same {len(shape)} system calls; medians in µs")
print("%3s %-16s %11s %6s %8s" % ("#", "call", "user before", "faults", "in call"))
total = [0.0, 0.0, 0.0]
for i, nr in enumerate(shape):
    user, faults, inside = (statistics.median(r[i][k] for r in same) for k in (1, 2, 3))
    total = [total[0] + user, total[1] + faults, total[2] + inside]
    print(f"{i:3} {names.get(nr, str(nr)):16} {user:11.1f} {faults:6.0f} {inside:8.1f}")
print("    %-16s %11.1f %6.0f %8.1f" % ("total", total[0], total[1], total[2]))
'
