#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine, as root: install, build, start a throwaway dockerd with
# hardened-runtime registered, run the same busybox container with `docker run --runtime=runc` and
# `docker run --runtime=hardened`, and print what each live process can do, side by side.
#   scripts/demo.sh                 a private dockerd, stopped again at the end
#   scripts/demo.sh --host-docker   the host's dockerd, where "hardened" must already be registered
#                                   (hardened-runtime configure docker; kill -HUP $(pidof dockerd))
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build >/dev/null

export HR_BUILD=$PWD/build HR_SOURCE=$PWD HR_IT_DIR=$PWD/build/demo
source integration/lib.sh

if [ "${1:-}" = --host-docker ]; then
  dk() { /usr/bin/docker "$@"; }
  dk info --format '{{json .Runtimes}}' | grep -q '"hardened"' ||
    fail "the host's dockerd has no runtime named hardened: run build/hardened-runtime configure docker, then kill -HUP \$(pidof dockerd)"
  tar -C "$(rootfs)" -c . | dk import - "$IMAGE" >/dev/null
else
  export DAEMON=demo
  integration/dockerd.sh start demo >/dev/null
  trap 'integration/dockerd.sh stop demo >/dev/null' EXIT
fi

# What the process inside reports about itself (POSTURE, integration/lib.sh), and what the probe's
# escalation attempts got, as key=value lines.
REPORT="$POSTURE"'
probe setuid_0 chroot unshare_user unshare_net mount keyctl bpf io_uring_setup userfaultfd perf_event_open ptrace_traceme clone3 socket_af_alg socket_af_vsock memfd_exec | sed "s/ /=/"'

plain=$(dk run --rm --runtime=runc --network none "$IMAGE" sh -c "$REPORT")
rm -f "$IT_DIR/hardened.cid"
hardened=$(dk run --rm --runtime=hardened --cidfile "$IT_DIR/hardened.cid" --network none "$IMAGE" sh -c "$REPORT")

human() {  # a cgroup value in words
  case $1 in
    max | 9223372036854771712) echo "unlimited" ;;
    -1/*) echo "unlimited (quota -1)" ;;
    *[!0-9]*) echo "$1" ;;
    *) if [ "$1" -ge 1048576 ]; then echo "$(($1 / 1048576)) MiB"; else echo "$1"; fi ;;
  esac
}
allowed() { sed 's/^ok$/allowed/' <<<"$1"; }
mount_flags() { tr , "\n" <<<"$1" | grep -E "^no(exec|suid|dev)$" | paste -sd, || true; }
outcome() {  # a probe's "blocked errno=N" or "allowed ok" in words
  case $1 in
    "allowed "*) echo "allowed" ;; *errno=1) echo "blocked (EPERM)" ;; *errno=38) echo "blocked (ENOSYS)" ;;
    "") echo "?" ;; "blocked errno="*) echo "blocked (errno ${1#blocked errno=})" ;; *) echo "$1" ;;
  esac
}
row() { printf '  %-34s %-24s %s\n' "$1" "$2" "$3"; }

echo
echo "The same busybox container, started by dockerd $(dk version -f '{{.Server.Version}}'):"
echo
row "" "--runtime=runc" "--runtime=hardened"
row "user (uid:gid)" "$(value uid "$plain"):$(value gid "$plain")" "$(value uid "$hardened"):$(value gid "$hardened")"
row "effective capabilities" "$(value CapEff "$plain")" "$(value CapEff "$hardened")"
row "bounding capabilities" "$(value CapBnd "$plain")" "$(value CapBnd "$hardened")"
row "no_new_privs" "$(value NoNewPrivs "$plain")" "$(value NoNewPrivs "$hardened")"
row "seccomp mode (2 = filter)" "$(value Seccomp "$plain")" "$(value Seccomp "$hardened")"
row "root filesystem" "$(value root_mount "$plain" | cut -d, -f1)" "$(value root_mount "$hardened" | cut -d, -f1)"
row "write to /" "$(allowed "$(value root_write "$plain")")" "$(allowed "$(value root_write "$hardened")")"
row "/tmp mount" "$(mount_flags "$(value tmp_mount "$plain")" | sed 's/^$/image directory/')" "tmpfs $(mount_flags "$(value tmp_mount "$hardened")")"
row "run a binary copied to /tmp" "$(allowed "$(value tmp_exec "$plain")")" "$(allowed "$(value tmp_exec "$hardened")")"
row "pids.max" "$(human "$(value pids_max "$plain")")" "$(human "$(value pids_max "$hardened")")"
row "memory limit" "$(human "$(value memory_limit "$plain")")" "$(human "$(value memory_limit "$hardened")")"
row "memory+swap limit" "$(human "$(value memsw_limit "$plain")")" "$(human "$(value memsw_limit "$hardened")")"
row "cpu quota/period (us)" "$(human "$(value cfs_quota "$plain")/$(value cfs_period "$plain")")" "$(value cfs_quota "$hardened")/$(value cfs_period "$hardened")"
echo
echo "  attempted escalations:"
for probe in setuid_0 chroot unshare_user unshare_net mount keyctl bpf io_uring_setup userfaultfd perf_event_open \
  ptrace_traceme clone3 socket_af_alg socket_af_vsock memfd_exec; do
  row "$probe" "$(outcome "$(value $probe "$plain")")" "$(outcome "$(value $probe "$hardened")")"
done
refusal() {  # docker run ARGS... under a runtime: "started" or the first words of the refusal
  local out
  if out=$(dk run --rm --network none "$@" "$IMAGE" true 2>&1); then echo started; else
    sed -n 's/.*hardened-runtime: cannot create container [0-9a-f]*: \(refused by rule [a-z_.]*\).*/\1/p; t; s/.*\(OCI runtime create failed\).*/\1/p' <<<"$out" | head -n1
  fi
}
echo
echo "  what docker run asks for:"
row "-v /run:/hostrun (the Docker socket)" "$(refusal --runtime=runc -v /run:/hostrun)" "$(refusal --runtime=hardened -v /run:/hostrun)"
row "--pid=host" "$(refusal --runtime=runc --pid=host)" "$(refusal --runtime=hardened --pid=host)"
row "--cap-add SYS_ADMIN" "$(refusal --runtime=runc --cap-add SYS_ADMIN)" "$(refusal --runtime=hardened --cap-add SYS_ADMIN)"
row "-v /etc:/hostetc" "$(refusal --runtime=runc -v /etc:/hostetc)" "$(refusal --runtime=hardened -v /etc:/hostetc)"
row "--device /dev/loop-control" "$(refusal --runtime=runc --device /dev/loop-control)" "$(refusal --runtime=hardened --device /dev/loop-control)"
echo
echo "What docker run shows when hardened-runtime refuses (docker run --runtime=hardened --pid=host):"
dk run --rm --runtime=hardened --network none --pid=host "$IMAGE" true 2>&1 | fold -s -w 110 | sed 's/^/  /' || true
echo
echo "What hardened-runtime changed in the container above (its audit log, $IT_DIR/audit.log):"
jq -r --arg id "$(cat "$IT_DIR/hardened.cid")" 'select(.container == $id and .event == "create") | .changes[] | "  - \(.rule): \(.change)"' \
  "$IT_DIR/audit.log" | cut -c1-160
