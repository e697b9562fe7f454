#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine, as root: install, build, then run the same container
# (the spec dockerd 20.10 generates for `docker run busybox`) under plain runc and under
# hardened-runtime, and print what each live process can do, side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build >/dev/null

export HR_BUILD=$PWD/build HR_SOURCE=$PWD HR_IT_DIR=$PWD/build/demo
source integration/lib.sh

# What the process inside reports about itself, as key=value lines.
REPORT='echo user=$(id -u):$(id -g)
grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status | tr -d "\t" | sed "s/:/=/"
echo rootfs=$(grep -E "^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / " /proc/self/mountinfo | cut -d" " -f6 | cut -d, -f1)
touch /written 2>/dev/null && echo write_root=allowed || echo write_root=denied
echo tmp=$(grep " /tmp " /proc/self/mountinfo | cut -d" " -f6 | tr , "\n" | grep -E "^no(exec|suid|dev)$" | paste -sd, || true)
cp /bin/busybox /tmp/true 2>/dev/null && /tmp/true 2>/dev/null && echo exec_tmp=allowed || echo exec_tmp=denied
echo pids_max=$(cat /sys/fs/cgroup/pids/pids.max)
echo memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
echo memsw=$(cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes 2>/dev/null || echo n/a)
echo cpu=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)/$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)
probe | sed "s/ /=/"'

plain_id=demo-plain-$$
hardened_id=demo-hardened-$$
trap 'cleanup_container $plain_id; cleanup_container $hardened_id' EXIT
plain=$(plain_runc run --bundle "$(make_bundle --own-rootfs "$plain_id" default sh -c "$REPORT")" "$plain_id")
hardened=$(hr run --bundle "$(make_bundle "$hardened_id" default sh -c "$REPORT")" "$hardened_id")

value() { sed -n "s/^$1=//p" <<<"$2" | head -n1; }
human() {  # a cgroup value in words
  case $1 in
    max | 9223372036854771712) echo "unlimited" ;;
    -1/*) echo "unlimited (quota -1)" ;;
    *[!0-9]*) echo "$1" ;;
    *) if [ "$1" -ge 1048576 ]; then echo "$(($1 / 1048576)) MiB"; else echo "$1"; fi ;;
  esac
}
outcome() {  # errno from the probe in words
  case $1 in 0) echo "allowed" ;; 1) echo "blocked (EPERM)" ;; 38) echo "blocked (ENOSYS)" ;; "") echo "?" ;; *) echo "blocked (errno $1)" ;; esac
}
row() { printf '  %-34s %-24s %s\n' "$1" "$2" "$3"; }

echo
echo "The same container (dockerd 20.10's spec for 'docker run busybox') under plain runc and under hardened-runtime:"
echo
row "" "plain runc" "hardened-runtime"
row "user (uid:gid)" "$(value user "$plain")" "$(value user "$hardened")"
row "effective capabilities" "$(value CapEff "$plain")" "$(value CapEff "$hardened")"
row "bounding capabilities" "$(value CapBnd "$plain")" "$(value CapBnd "$hardened")"
row "no_new_privs" "$(value NoNewPrivs "$plain")" "$(value NoNewPrivs "$hardened")"
row "seccomp mode (2 = filter)" "$(value Seccomp "$plain")" "$(value Seccomp "$hardened")"
row "root filesystem" "$(value rootfs "$plain")" "$(value rootfs "$hardened")"
row "write to /" "$(value write_root "$plain")" "$(value write_root "$hardened")"
row "/tmp mount" "$(value tmp "$plain" | sed 's/^$/image directory/')" "tmpfs $(value tmp "$hardened")"
row "run a binary copied to /tmp" "$(value exec_tmp "$plain")" "$(value exec_tmp "$hardened")"
row "pids.max" "$(human "$(value pids_max "$plain")")" "$(human "$(value pids_max "$hardened")")"
row "memory limit" "$(human "$(value memory "$plain")")" "$(human "$(value memory "$hardened")")"
row "memory+swap limit" "$(human "$(value memsw "$plain")")" "$(human "$(value memsw "$hardened")")"
row "cpu quota/period (us)" "$(human "$(value cpu "$plain")")" "$(value cpu "$hardened")"
echo
echo "  attempted escalations:"
for probe in setuid_0 chroot unshare_user unshare_net mount keyctl bpf io_uring_setup userfaultfd perf_event_open \
  ptrace_traceme clone3 socket_af_alg socket_af_vsock; do
  row "$probe" "$(outcome "$(value $probe "$plain")")" "$(outcome "$(value $probe "$hardened")")"
done
echo
echo "What hardened-runtime changed (its audit log, $IT_DIR/audit.log):"
tail -n1 "$IT_DIR/audit.log" | jq -r '.changes[] | "  - \(.rule): \(.change)"'
