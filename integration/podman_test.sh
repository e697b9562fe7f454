#!/usr/bin/env bash
# podman (Debian's 4.3) with hardened-runtime registered by `hardened-runtime configure podman`,
# checked on the live processes. One test per call:
#   HR_BUILD=build HR_SOURCE=. integration/podman_test.sh TEST [runc|crun]
# Everything podman keeps is private: --root, --runroot, --tmpdir, --volumepath, the cgroupfs manager,
# --network none, no events, its own containers.conf (CONTAINERS_CONF, which podman hands on to conmon
# and so to the cleanup it runs when a container exits). podman gives the runtime no --root, no
# arguments of ours and no environment, so the test runs in a private mount namespace: tmpfs over
# runc's and crun's default roots (/run/runc, /run/crun) and an overlay over /etc whose
# /etc/hardened-runtime/config.json is the host config every call finds by itself, as on a real host.
# The host's own /etc, /run/runc and /run/crun are never touched.
source "$(dirname "$0")/lib.sh"
require podman conmon crun runc jq unshare tar

test_name=$1
backend=${2:-runc}  # the real runtime behind hardened-runtime
PD_DIR=$IT_DIR/podman-$test_name-$backend
PD_RUN=/run/hardened-it-$IT_TAG-podman  # podman wants a runroot of at most 50 characters
case $backend in
  runc) BACKEND_BIN=$(command -v runc) BACKEND_ROOT=/run/runc ;;
  crun) BACKEND_BIN=$(command -v crun) BACKEND_ROOT=/run/crun ;;
  *) fail "unknown runtime $backend" ;;
esac

if [ "${HR_IN_PRIVATE_MOUNTS:-}" != 1 ]; then
  mkdir -p /run/runc /run/crun "$PD_RUN"  # mount points; both runtimes make theirs on first use anyway
  status=0
  unshare -m --propagation private env HR_IN_PRIVATE_MOUNTS=1 "$0" "$@" || status=$?
  # conmon runs podman's cleanup of an exec session or a container after the test may have ended: it
  # must see the namespace's runroot, which removing the directory here would take away from it (the
  # kernel detaches mounts on a removed directory in every namespace), so it made one on the host.
  for _ in $(seq 1 100); do pgrep -f -- "--runroot $PD_RUN " >/dev/null || break; sleep 0.1; done
  rmdir "$PD_RUN"
  exit $status
fi
# crun 1.8 refuses a "hybrid" host, whose cgroup v2 mount holds controllers beside v1: in this
# namespace that mount is gone, leaving plain cgroup v1, which podman, runc and crun all support.
if mountpoint -q /sys/fs/cgroup/unified && [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
  umount -l /sys/fs/cgroup/unified
fi
# podman's cgroupfs manager makes its cgroup in every directory of /sys/fs/cgroup, and cannot remove
# it again from one that is not a cgroup mount (a plain directory some other tool left there): here
# /sys/fs/cgroup holds the cgroup mounts alone.
if mountpoint -q /sys/fs/cgroup && ! mountpoint -q /sys/fs/cgroup/unified; then
  mkdir -p "$PD_DIR/cgroup-mounts"
  mounts=()
  for dir in /sys/fs/cgroup/*; do
    if [ -L "$dir" ]; then continue; fi
    if mountpoint -q "$dir"; then mounts+=("${dir##*/}"); mkdir -p "$PD_DIR/cgroup-mounts/${dir##*/}"; mount --move "$dir" "$PD_DIR/cgroup-mounts/${dir##*/}"; fi
  done
  links=$(find /sys/fs/cgroup -maxdepth 1 -type l -printf '%f %l\n')
  mount -t tmpfs -o mode=0755 tmpfs /sys/fs/cgroup
  for name in "${mounts[@]}"; do mkdir "/sys/fs/cgroup/$name"; mount --move "$PD_DIR/cgroup-mounts/$name" "/sys/fs/cgroup/$name"; done
  while read -r name target; do [ -z "$name" ] || ln -s "$target" "/sys/fs/cgroup/$name"; done <<<"$links"
fi
rm -rf "$PD_DIR"
mkdir -p "$PD_DIR"/{etc-upper,etc-work,storage,tmp,volumes,state}
mount -t tmpfs -o mode=0700 tmpfs "$PD_RUN"  # gone with the namespace
for dir in /run/runc /run/crun; do mount -t tmpfs -o mode=0700 tmpfs "$dir"; done
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$PD_DIR/etc-upper,workdir=$PD_DIR/etc-work" /etc

# The host config at its default path (so podman's own calls and conmon's cleanup, which pass none,
# find it) and a second one naming crun, for a container given it with --runtime-flag. Both keep the
# creation records in the same state_dir.
mkdir -p /etc/hardened-runtime
write_host_config() {  # FILE RUNTIME
  jq -n --arg runtime "$2" --arg profiles "$(profiles_dir)" --arg log "$PD_DIR/audit.log" --arg state "$PD_DIR/state" \
    '{runtime: $runtime, profiles_dir: $profiles, log_file: $log, state_dir: $state}' >"$1"
}
write_host_config /etc/hardened-runtime/config.json "$BACKEND_BIN"
write_host_config /etc/hardened-runtime/crun.json "$(command -v crun)"

# podman's own containers.conf: hardened-runtime registered as `hardened` by configure podman. The
# ulimits are lowered to what this process has: podman's defaults (1048576 files) cannot be set
# without CAP_SYS_RESOURCE, which some hosts' bounding sets lack.
export CONTAINERS_CONF=$PD_DIR/containers.conf CONTAINERS_STORAGE_CONF=$PD_DIR/storage.conf
cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
pids_limit = 2048
[engine]
events_logger = "none"
EOF
configure_out=$("$HR_BIN" configure podman --config-file "$CONTAINERS_CONF" --binary "$HR_BIN")
expect_contains "configure podman" "$configure_out" "added runtime 'hardened'"
grep -q '^default_ulimits' "$CONTAINERS_CONF" || fail "configure podman lost the other settings"
cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "vfs"
graphroot = "$PD_DIR/storage"
runroot = "$PD_RUN"
EOF
pm() {
  podman --root "$PD_DIR/storage" --runroot "$PD_RUN" --tmpdir "$PD_DIR/tmp" --volumepath "$PD_DIR/volumes" \
    --storage-driver vfs --cgroup-manager cgroupfs --events-backend none "$@"
}
hpm() { pm --runtime hardened "$@"; }
# The cgroup podman puts containers, pods and conmon in (its default, /libpod_parent, is host-wide).
CGP=(--cgroup-parent "/hardened-it-$IT_TAG-podman")
cleanup() {
  pm pod rm -a -f >/dev/null 2>&1 || true
  pm rm -a -f -t 0 >/dev/null 2>&1 || true
  find /sys/fs/cgroup/*/"${CGP[1]#/}" -depth -type d -exec rmdir {} + 2>/dev/null || true
}
trap cleanup EXIT

# The busybox image (integration/lib.sh's rootfs with the probe) and a pause image for pods: busybox
# sleeping, as podman's own pause image (catatonit) would.
tar -C "$(rootfs)" -cf "$PD_DIR/busybox.tar" .
pm import "$PD_DIR/busybox.tar" localhost/hardened-it/busybox >/dev/null
pm import --change 'CMD ["/bin/sleep", "1000000"]' "$PD_DIR/busybox.tar" localhost/hardened-it/pause >/dev/null
IMG=localhost/hardened-it/busybox

# What the live process shows from the host: /proc/<pid>/status, its root mount, its pids.max.
pid_of() { pm inspect --format '{{.State.Pid}}' "$1"; }
status_field() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
root_mount_options() { awk '$5 == "/" {print $6}' "/proc/$1/mountinfo" | tail -n1; }
cgroup_file() {  # PID CONTROLLER FILE: cgroup v1 where the controller is mounted there, else v2
  local path
  path=$(awk -F: -v c="$2" '{n = split($2, cs, ","); for (i = 1; i <= n; i++) if (cs[i] == c) print $3}' "/proc/$1/cgroup")
  if [ -n "$path" ] && [ -e "/sys/fs/cgroup/$2$path/$3" ]; then cat "/sys/fs/cgroup/$2$path/$3"; return; fi
  path=$(awk -F: '$1 == "0" {print $3}' "/proc/$1/cgroup")
  for base in /sys/fs/cgroup/unified /sys/fs/cgroup; do
    [ ! -e "$base$path/$4" ] || { cat "$base$path/$4"; return; }
  done
  echo none
}
pids_max() { cgroup_file "$1" pids pids.max pids.max; }
memory_max() { cgroup_file "$1" memory memory.limit_in_bytes memory.max; }
expect_hardened_pid() {  # NAME
  local pid
  pid=$(pid_of "$1")
  expect_eq "$1: Uid (real, effective)" "$(awk '$1 == "Uid:" {print $2, $3}' "/proc/$pid/status")" "1001 1001"
  expect_eq "$1: CapEff" "$(status_field "$pid" CapEff)" 0000000000000000
  expect_eq "$1: CapBnd" "$(status_field "$pid" CapBnd)" 0000000000000000
  expect_eq "$1: NoNewPrivs" "$(status_field "$pid" NoNewPrivs)" 1
  expect_eq "$1: Seccomp" "$(status_field "$pid" Seccomp)" 2
  expect_contains "$1: root mount options" "$(root_mount_options "$pid")" ro
  expect_eq "$1: pids.max" "$(pids_max "$pid")" "$(jq .resources.pids_max "$HR_SOURCE/profiles/default.json")"
}
# Nothing of container ID is left in the real runtime's root (runc: a directory; crun: one too).
expect_no_state() {  # ID RUNTIME_ROOT
  [ ! -e "$2/$1" ] || fail "$2/$1 was left behind: $(ls "$2/$1")"
  echo "ok: no state of ${1:0:12} in $2"
}

case $test_name in
run_posture)
  # The same container, plain (podman's own runtime of that name) and hardened.
  pm --runtime "$backend" run "${CGP[@]}" -d --name plain --network none "$IMG" sleep 1000 >/dev/null
  hpm run "${CGP[@]}" -d --name hard --network none "$IMG" sleep 1000 >/dev/null
  pid=$(pid_of plain)
  expect_eq "plain $backend: uid" "$(awk '$1 == "Uid:" {print $2}' "/proc/$pid/status")" 0
  [ "$(status_field "$pid" CapEff)" != 0000000000000000 ] || fail "plain $backend: no capabilities, the checks could not fail"
  expect_eq "plain $backend: NoNewPrivs" "$(status_field "$pid" NoNewPrivs)" 0
  expect_contains "plain $backend: root mount options" "$(root_mount_options "$pid")" rw
  expect_eq "plain $backend: pids.max (containers.conf's pids_limit)" "$(pids_max "$pid")" 2048
  expect_hardened_pid hard
  out=$(pm exec hard sh -c "$POSTURE")
  expect_hardened_process "$out"
  expect_eq "write to / through podman exec" "$(value root_write "$out")" denied
  expect_eq "run a binary copied to /tmp" "$(value tmp_exec "$out")" denied
  id=$(pm inspect --format '{{.Id}}' hard)
  [ -e "$BACKEND_ROOT/$id" ] || fail "the hardened container is not in $backend's root $BACKEND_ROOT"
  expect_contains "audit trail" "$(grep "\"$id\"" "$PD_DIR/audit.log" | head -n1)" '"decision":"hardened"'
  pm rm -f -t 0 hard >/dev/null
  expect_no_state "$id" "$BACKEND_ROOT"
  ;;
exec_update)
  hpm run "${CGP[@]}" -d --name c --network none "$IMG" sleep 1000 >/dev/null
  for flags in "" "-u 0" "--privileged" "-u 0:0 --privileged"; do
    # shellcheck disable=SC2086 # the flags are words
    out=$(pm exec $flags c sh -c "$POSTURE")
    echo "podman exec $flags:"
    expect_hardened_process "$out"
  done
  # podman 4.3's update has --memory and --cpus (no --pids-limit): neither may go past the profile.
  pid=$(pid_of c)
  pm update --memory 4g --cpus 2 c >/dev/null
  expect_eq "memory limit after podman update --memory 4g" "$(memory_max "$pid")" "$(jq .resources.memory_max_bytes "$HR_SOURCE/profiles/default.json")"
  quota=$(cgroup_file "$pid" cpu cpu.cfs_quota_us cpu.max)
  period=$(cgroup_file "$pid" cpu cpu.cfs_period_us cpu.max)
  case $quota in *" "*) read -r quota period <<<"$quota" ;; esac
  expect_eq "CPUs after podman update --cpus 2 (quota/period)" "$((quota / period))" 1
  pm update --memory 64m c >/dev/null
  expect_eq "a stricter podman update --memory 64m is applied" "$(memory_max "$pid")" $((64 << 20))
  ;;
pod)
  # The infra container and the app container of a pod both pass through hardened-runtime.
  hpm pod create "${CGP[@]}" --name p --network none --infra-image localhost/hardened-it/pause >/dev/null
  hpm run -d --pod p --name app "$IMG" sleep 1000 >/dev/null
  infra=$(pm pod inspect --format '{{.InfraContainerID}}' p)
  expect_hardened_pid "$infra"
  expect_hardened_pid app
  for name in "$infra" app; do
    id=$(pm inspect --format '{{.Id}}' "$name")
    expect_contains "audit trail of ${id:0:12}" "$(grep "\"$id\"" "$PD_DIR/audit.log" | head -n1)" '"decision":"hardened"'
  done
  expect_eq "the app shares the infra container's ipc namespace" "$(readlink "/proc/$(pid_of app)/ns/ipc")" \
    "$(readlink "/proc/$(pid_of "$infra")/ns/ipc")"
  app_id=$(pm inspect --format '{{.Id}}' app)
  pm pod rm -f -t 0 p >/dev/null
  expect_no_state "$app_id" "$BACKEND_ROOT"
  expect_no_state "$infra" "$BACKEND_ROOT"
  ;;
refusal)
  for args in "--privileged" "--pid host" "-v /run:/hostrun" "-v /etc:/hostetc" "--cap-add SYS_ADMIN"; do
    # shellcheck disable=SC2086 # the flags are words
    out=$(hpm run "${CGP[@]}" --rm --network none $args "$IMG" true 2>&1) && fail "podman run $args was not refused"
    status=$?
    echo "podman run $args: exit $status: $out"
    [ "$status" != 127 ] || fail "podman run $args: exit 127, podman's 'command not found'"
    expect_contains "podman run $args output" "$out" "refused by rule"
    case $out in *"docker run"*) fail "podman run $args: the message speaks of docker run" ;; esac
  done
  out=$(hpm run "${CGP[@]}" --rm --network none --pid host "$IMG" true 2>&1) || true
  expect_contains "what to change, in podman's words" "$out" "(podman run --pid=host); run it without --pid=host"
  case $out in *"pod spec"*) fail "a podman user is told of pod specs: $out" ;; esac
  expect_contains "the rule" "$out" "deny.host_namespaces"
  [ -z "$(ls -A /run/runc)$(ls -A /run/crun)" ] || fail "a refused container left state: $(ls -A /run/runc /run/crun)"
  ;;
cleanup_crun)
  # The host config names runc; these containers get crun's through --runtime-flag, which podman does
  # not remember for its own later calls nor for conmon's cleanup: the creation record sends them to crun.
  crun_config=(--runtime-flag config=/etc/hardened-runtime/crun.json)
  hpm "${crun_config[@]}" run "${CGP[@]}" --rm --network none "$IMG" true
  sleep 1
  expect_eq "crun's root after podman run --rm" "$(ls /run/crun)" ""
  expect_eq "runc's root after podman run --rm" "$(ls /run/runc)" ""
  hpm "${crun_config[@]}" run "${CGP[@]}" -d --name c --network none "$IMG" sleep 1000 >/dev/null
  id=$(pm inspect --format '{{.Id}}' c)
  [ -e "/run/crun/$id" ] || fail "the container is not in crun's root"
  expect_hardened_pid c
  out=$(pm exec c id -u)
  expect_eq "podman exec (no --runtime-flag) reaches the crun container" "$out" 1001
  pm update --memory 4g c >/dev/null
  expect_eq "podman update (no --runtime-flag) reaches it, clamped" "$(memory_max "$(pid_of c)")" \
    "$(jq .resources.memory_max_bytes "$HR_SOURCE/profiles/default.json")"
  pm stop -t 1 c >/dev/null  # SIGTERM, then SIGKILL, then conmon's cleanup: delete --force
  sleep 1
  expect_no_state "$id" /run/crun
  pm rm c >/dev/null
  expect_eq "crun's root after podman rm" "$(ls /run/crun)" ""
  # A create the real runtime fails after the bind sources were staged: conmon's cleanup takes them.
  mkdir -p "$PD_DIR/bind"
  out=$(hpm run "${CGP[@]}" --name bad --network none -v "$PD_DIR/bind:/data" --tmpfs /bin/busybox/x "$IMG" true 2>&1) &&
    fail "a tmpfs on a path below a file started"
  expect_contains "the runtime's error, shown by podman" "$out" "/bin/busybox/x"
  expect_no_stages "a create runc failed" "$(pm inspect --format '{{.Id}}' bad)"
  pm rm -f bad >/dev/null
  ;;
*)
  fail "unknown test $test_name"
  ;;
esac
echo "PASS: podman.$test_name ($backend)"
