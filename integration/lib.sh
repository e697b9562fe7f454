# Shared by the integration tests: a busybox rootfs, bundles made from the Docker fixtures, the wrapper
# configured to use the real runc, and assertions. Sourced, not run.
set -euo pipefail

: "${HR_BUILD:?set HR_BUILD to the build directory}"
: "${HR_SOURCE:?set HR_SOURCE to the source directory}"
IT_DIR=${HR_IT_DIR:-$HR_BUILD/it}
# Host-wide names (cgroups, /run paths of private daemons) carry a tag of the build tree, so two
# checkouts can run their integration tests side by side without touching each other's.
IT_TAG=$(printf %s "$IT_DIR" | md5sum | cut -c1-6)
IT_CGROUP=/hardened-it-$IT_TAG
HR_BIN=$HR_BUILD/hardened-runtime
FIXTURES=$HR_SOURCE/tests/data/docker-20.10

# In CI nothing may be skipped: a missing prerequisite is a failure there.
require() {
  local missing=()
  [ "$(id -u)" = 0 ] || missing+=(root)
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "${CI:-}" = true ]; then
      echo "FAIL: CI=true and this test needs: ${missing[*]}" >&2
      exit 1
    fi
    echo "SKIP: this test needs: ${missing[*]}" >&2
    exit 77
  fi
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

expect_eq() {  # what actual expected
  [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
  echo "ok: $1 = $3"
}

expect_contains() {  # what haystack needle
  case "$2" in *"$3"*) echo "ok: $1 contains '$3'" ;; *) fail "$1: '$2' does not contain '$3'" ;; esac
}

# A create that runc failed after the wrapper staged its bind sources (src/io/stage.cpp) leaves
# nothing on the host once the engine cleaned up: the engine's `delete` takes the stages, which the
# unstage hook never got to. ID is the container's id.
expect_no_stages() {  # WHAT ID
  local left
  left=$(ls -A "$IT_DIR/state/stages/$2" 2>/dev/null; grep -F " $IT_DIR/state/stages/$2/" /proc/self/mountinfo || true)
  [ -z "$left" ] || fail "$1 left the staged bind sources of $2 on the host: $left"
  echo "ok: $1 left no staged bind source"
}

# The busybox rootfs, built once and shared (the hardened containers cannot write to it anyway).
rootfs() {
  local dir=$IT_DIR/rootfs
  (
    flock 9
    if [ ! -x "$dir/bin/busybox" ] || ! cmp -s "$HR_BUILD/hardened-probe" "$dir/bin/probe"; then
      rm -rf "$dir.new"
      mkdir -p "$dir.new"/{bin,proc,sys,dev,tmp,etc,run}
      chmod 1777 "$dir.new/tmp"  # as in real images: runc gives a tmpfs the mode of the directory it covers
      cp /bin/busybox "$dir.new/bin/busybox"
      for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$dir.new/bin/$applet"; done
      cp "$HR_BUILD/hardened-probe" "$dir.new/bin/probe"
      cp "$HR_BUILD/hardened-probe" "$dir.new/bin/probe-suid" && chmod 4755 "$dir.new/bin/probe-suid"  # setuid root
      echo 'root:x:0:0:root:/:/bin/sh' >"$dir.new/etc/passwd"
      echo 'root:x:0:' >"$dir.new/etc/group"
      rm -rf "$dir"
      mv "$dir.new" "$dir"
    fi
  ) 9>"$IT_DIR/rootfs.lock"
  echo "$dir"
}

# A bundle from a Docker fixture: our rootfs, no Docker hooks or host bind mounts, a private cgroup.
# make_bundle [--own-rootfs] ID FIXTURE ARGS...
# --own-rootfs gives the bundle a copy of the rootfs, for a container that may write to it (plain runc).
make_bundle() {
  local own=false
  if [ "$1" = --own-rootfs ]; then own=true; shift; fi
  local id=$1 fixture=$2
  shift 2
  local bundle=$IT_DIR/bundles/$id root
  rm -rf "$bundle"
  mkdir -p "$bundle"
  root=$(rootfs)
  if $own; then cp -a "$root" "$bundle/rootfs" && root=$bundle/rootfs; fi
  local args='[]' arg
  for arg in "$@"; do args=$(jq -c --arg a "$arg" '. + [$a]' <<<"$args"); done  # jq would read "-c" as its own flag
  jq --arg root "$root" --arg cgroup "$IT_CGROUP/$id" --argjson args "$args" '
      .root.path = $root | del(.hooks) | .hostname = "it"
    | .mounts |= map(select(.type != "bind"))
    | .linux.cgroupsPath = $cgroup
    | .process.terminal = false
    | .process.args = $args' <"$FIXTURES/create/$fixture.json" >"$bundle/config.json"
  echo "$bundle"
}

# The host config of the tests: the real runc by absolute path. With --find-runc it names no runtime,
# so hardened-runtime must find runc on PATH by itself, skipping any `runc` that is itself.
REAL_RUNC=$(command -v runc || true)
host_config() {
  local config=$IT_DIR/hardened.json runtime="\"runtime\": \"$REAL_RUNC\", "
  if [ "${1:-}" = --find-runc ]; then config=$IT_DIR/hardened-find-runc.json runtime=""; fi
  printf '{%s"profiles_dir": "%s", "log_file": "%s", "state_dir": "%s"}\n' "$runtime" "$(profiles_dir)" "$IT_DIR/audit.log" \
    "$IT_DIR/state" >"$config"
  echo "$config"
}

# The shipped profiles plus the tests' own (integration/profiles), each file replaced atomically so a
# test running beside this never reads half a profile.
profiles_dir() {
  local dir=$IT_DIR/profiles file
  mkdir -p "$dir"
  for file in "$HR_SOURCE"/profiles/*.json "$HR_SOURCE"/integration/profiles/*.json; do
    cp "$file" "$dir/.$(basename "$file").$$" && mv -f "$dir/.$(basename "$file").$$" "$dir/$(basename "$file")"
  done
  echo "$dir"
}

# A host config for one test: the tests' host config changed by a jq expression.
# custom_config NAME JQ_EXPRESSION
custom_config() {
  local config=$IT_DIR/hardened-$1.json
  jq "$2" "$(host_config)" >"$config"
  echo "$config"
}

RUNC_ROOT=$IT_DIR/runc-root

hr() { "$HR_BIN" --config "$(host_config)" --root "$RUNC_ROOT" "$@"; }
plain_runc() { runc --root "$RUNC_ROOT" "$@"; }

cleanup_container() {
  plain_runc kill "$1" KILL >/dev/null 2>&1 || true
  plain_runc delete -f "$1" >/dev/null 2>&1 || true
  remove_cgroup_parent "$IT_CGROUP"
}

# runc removes a container's cgroup, not the parent made for the tests; rmdir leaves it while in use.
remove_cgroup_parent() {
  local dir
  for dir in /sys/fs/cgroup/*"$1" /sys/fs/cgroup/unified"$1"; do [ ! -d "$dir" ] || rmdir "$dir" 2>/dev/null || true; done
}

# What a process reports about itself, as key=value lines (run by sh inside the container).
POSTURE='echo uid=$(id -u); echo gid=$(id -g); echo groups=$(id -G)
grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status | tr -d "\t" | sed "s/:/=/"
touch /written 2>/dev/null && echo root_write=ok || echo root_write=denied
echo data >/tmp/f && echo tmp_write=ok || echo tmp_write=denied
cp /bin/busybox /tmp/true && /tmp/true 2>/dev/null && echo tmp_exec=ok || echo tmp_exec=denied
echo tmp_mount=$(grep " /tmp " /proc/self/mountinfo | cut -d" " -f6)
echo root_mount=$(grep -E "^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / " /proc/self/mountinfo | cut -d" " -f6)
if [ -d /sys/fs/cgroup/pids ]; then
echo pids_max=$(cat /sys/fs/cgroup/pids/pids.max)
echo memory_limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
echo memsw_limit=$(cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes 2>/dev/null || echo none)
echo cfs_quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)
echo cfs_period=$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)
else
echo pids_max=$(cat /sys/fs/cgroup/pids.max)
echo memory_limit=$(cat /sys/fs/cgroup/memory.max)
swap=$(cat /sys/fs/cgroup/memory.swap.max 2>/dev/null || echo none); mem=$(cat /sys/fs/cgroup/memory.max)
case "$swap$mem" in *max*|none*) echo memsw_limit=$swap ;; *) echo memsw_limit=$((mem + swap)) ;; esac
read quota period </sys/fs/cgroup/cpu.max; echo cfs_quota=${quota/max/-1}; echo cfs_period=$period
fi'

value() { sed -n "s/^$1=//p" <<<"$2" | head -n1; }
# A probe's line (integration/probe.c): "NAME blocked|allowed DETAIL" -> "blocked DETAIL".
probe_result() { awk -v p="$1" '$1 == p {print $2, $3; exit}' <<<"$2"; }

expect_hardened_process() {  # output-of-POSTURE
  expect_eq uid "$(value uid "$1")" 1001
  expect_eq gid "$(value gid "$1")" 1001
  for cap in CapInh CapPrm CapEff CapBnd CapAmb; do expect_eq "$cap" "$(value $cap "$1")" 0000000000000000; done
  expect_eq NoNewPrivs "$(value NoNewPrivs "$1")" 1
  expect_eq Seccomp "$(value Seccomp "$1")" 2
}

mkdir -p "$IT_DIR" "$RUNC_ROOT"

# Private docker daemons (integration/dockerd.sh). Short paths: unix sockets are limited to 108 bytes.
IMAGE=hardened-it/busybox
docker_state() { echo "$IT_DIR/docker-$1"; }
docker_exec_root() { echo "/run/hardened-it-$IT_TAG-$1"; }
docker_socket() { echo "/run/hardened-it-$IT_TAG-$1.sock"; }
docker_cgroup_parent() { echo "/hardened-it-$IT_TAG-$1"; }  # not /docker: a host dockerd may use that
dk() { DOCKER_HOST=unix://$(docker_socket "${DAEMON:-main}") /usr/bin/docker "$@"; }
