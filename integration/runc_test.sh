#!/usr/bin/env bash
# Integration tests with the real runc: the live process inside a container created through
# hardened-runtime, read from /proc, mountinfo and cgroup files. One test per call:
#   HR_BUILD=build HR_SOURCE=. integration/runc_test.sh TEST
source "$(dirname "$0")/lib.sh"
require runc jq

id=it-$1-$$
trap 'cleanup_container "$id"' EXIT

case $1 in
posture)
  out=$(hr run --bundle "$(make_bundle "$id" default sh -c "$POSTURE")" "$id")
  echo "$out"
  expect_hardened_process "$out"
  expect_eq groups "$(value groups "$out")" 1001
  expect_eq "writing /" "$(value root_write "$out")" denied
  expect_contains "root mount options" "$(value root_mount "$out")" ro
  ;;
tmp_noexec)
  out=$(hr run --bundle "$(make_bundle "$id" default sh -c "$POSTURE")" "$id")
  expect_eq "writing /tmp" "$(value tmp_write "$out")" ok
  expect_eq "running a binary copied to /tmp" "$(value tmp_exec "$out")" denied
  for option in noexec nosuid nodev; do expect_contains "/tmp mount options" "$(value tmp_mount "$out")" $option; done
  ;;
cgroup_limits)
  out=$(hr run --bundle "$(make_bundle "$id" default sh -c "$POSTURE")" "$id")
  expect_eq pids.max "$(value pids_max "$out")" 100
  expect_eq memory.limit_in_bytes "$(value memory_limit "$out")" 536870912
  memsw=$(value memsw_limit "$out")
  [ "$memsw" = none ] || expect_eq memory.memsw.limit_in_bytes "$memsw" 536870912
  expect_eq cpu.cfs_quota_us "$(value cfs_quota "$out")" 100000
  expect_eq cpu.cfs_period_us "$(value cfs_period "$out")" 100000
  ;;
stricter_limits_kept)
  out=$(hr run --bundle "$(make_bundle "$id" limits sh -c "$POSTURE")" "$id")
  expect_eq pids.max "$(value pids_max "$out")" 100
  expect_eq memory.limit_in_bytes "$(value memory_limit "$out")" 268435456
  expect_eq cpu.cfs_quota_us "$(value cfs_quota "$out")" 100000
  ;;
denied_syscalls)
  out=$(hr run --bundle "$(make_bundle "$id" default probe)" "$id")
  echo "$out"
  # ENOSYS (38) for what the filter does not know or hides, EPERM (1) for what it refuses outright.
  for probe in clone3 socket_af_alg socket_af_vsock; do expect_eq "$probe errno" "$(awk -v p=$probe '$1==p {print $2}' <<<"$out")" 38; done
  for probe in io_uring_setup unshare_user unshare_net mount keyctl bpf userfaultfd perf_event_open ptrace_traceme chroot setuid_0; do
    expect_eq "$probe errno" "$(awk -v p=$probe '$1==p {print $2}' <<<"$out")" 1
  done
  ;;
exec_hardened)
  bundle=$(make_bundle "$id" default sleep 60)
  hr create --bundle "$bundle" "$id" </dev/null >/dev/null 2>&1
  hr start "$id"
  # as docker exec -u 0 --privileged sends it: root, every capability
  process=$IT_DIR/bundles/$id-process.json
  jq --arg script "$POSTURE" '.args = ["sh", "-c", $script] | .terminal = false' "$FIXTURES/exec/privileged.json" >"$process"
  out=$(hr exec --process "$process" "$id")
  echo "$out"
  expect_hardened_process "$out"
  # the process from flags, asking for root and a capability
  out=$(hr exec --user 0:0 --cap CAP_SYS_ADMIN --no-new-privs=false "$id" sh -c "$POSTURE")
  expect_hardened_process "$out"
  ;;
update_clamped)
  bundle=$(make_bundle "$id" default sleep 60)
  hr create --bundle "$bundle" "$id" </dev/null >/dev/null 2>&1
  cgroup=/sys/fs/cgroup
  # docker update sends JSON on stdin
  hr update --resources - "$id" <"$FIXTURES/update/docker-update.json"
  expect_eq "pids.max after update -r -" "$(cat $cgroup/pids/hardened-it/$id/pids.max)" 100
  expect_eq "memory limit after update -r -" "$(cat $cgroup/memory/hardened-it/$id/memory.limit_in_bytes)" 536870912
  expect_eq "cfs quota after update -r -" "$(cat $cgroup/cpu/hardened-it/$id/cpu.cfs_quota_us)" 100000
  hr update --memory 4g --memory-swap 8g --pids-limit 100000 --cpu-quota 400000 "$id"
  expect_eq "pids.max after update flags" "$(cat $cgroup/pids/hardened-it/$id/pids.max)" 100
  expect_eq "memory limit after update flags" "$(cat $cgroup/memory/hardened-it/$id/memory.limit_in_bytes)" 536870912
  expect_eq "cfs quota after update flags" "$(cat $cgroup/cpu/hardened-it/$id/cpu.cfs_quota_us)" 100000
  hr update --memory 64m --pids-limit 20 "$id"
  expect_eq "a stricter update is applied" "$(cat $cgroup/pids/hardened-it/$id/pids.max)" 20
  expect_eq "a stricter memory update is applied" "$(cat $cgroup/memory/hardened-it/$id/memory.limit_in_bytes)" 67108864
  ;;
passthrough)
  bundle=$(make_bundle "$id" default sh -c 'read line; echo "got $line"; exit 7')
  # stdin, stdout and the exit code go straight through
  set +e
  out=$(echo hello | hr run --bundle "$bundle" "$id")
  status=$?
  set -e
  expect_eq "stdout" "$out" "got hello"
  expect_eq "exit status" "$status" 7
  bundle=$(make_bundle "$id" default sleep 60)
  hr create --bundle "$bundle" "$id" </dev/null >/dev/null 2>&1
  expect_eq "state through the wrapper equals runc's" "$(hr state "$id")" "$(plain_runc state "$id")"
  expect_eq "list through the wrapper equals runc's" "$(hr list -q)" "$(plain_runc list -q)"
  set +e
  hr state no-such-container 2>/dev/null
  status=$?
  set -e
  expect_eq "a failing pass-through keeps runc's exit status" "$status" 1
  ;;
refusal_logged)
  bundle=$(make_bundle "$id" privileged sh -c 'id')
  before=$(sha256sum "$bundle/config.json")
  set +e
  err=$(hr --log "$IT_DIR/$id-log.json" --log-format json run --bundle "$bundle" "$id" 2>&1 >/dev/null)
  status=$?
  set -e
  expect_eq "exit status" "$status" 1
  expect_contains "stderr" "$err" "deny.privileged"
  expect_contains "runc log msg" "$(jq -r .msg "$IT_DIR/$id-log.json")" "deny.privileged"
  expect_eq "runc log level" "$(jq -r .level "$IT_DIR/$id-log.json")" error
  expect_eq "config.json untouched" "$(sha256sum "$bundle/config.json")" "$before"
  plain_runc state "$id" >/dev/null 2>&1 && fail "a refused container must not exist"
  echo "ok: no container was created"
  ;;
plain_runc_baseline)
  # The same spec under plain runc: proves the assertions above would see an unhardened process.
  out=$(plain_runc run --bundle "$(make_bundle --own-rootfs "$id" default sh -c "$POSTURE")" "$id")
  expect_eq uid "$(value uid "$out")" 0
  [ "$(value CapEff "$out")" != 0000000000000000 ] || fail "plain runc process has no capabilities"
  expect_eq "writing /" "$(value root_write "$out")" ok
  expect_eq "running a binary copied to /tmp" "$(value tmp_exec "$out")" ok
  echo "ok: plain runc is not hardened"
  ;;
*)
  fail "unknown test $1"
  ;;
esac
echo "PASS: $1"
