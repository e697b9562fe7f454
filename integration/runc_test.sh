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
  for probe in clone3 socket_af_alg socket_af_vsock memfd_create; do expect_eq "$probe" "$(probe_result $probe "$out")" "blocked errno=38"; done
  for probe in io_uring_setup unshare_user unshare_net mount keyctl bpf userfaultfd perf_event_open ptrace_traceme chroot setuid_0; do
    expect_eq "$probe" "$(probe_result $probe "$out")" "blocked errno=1"
  done
  ;;
exec_hardened)
  bundle=$(make_bundle "$id" default sleep 60)
  hr create --bundle "$bundle" "$id" </dev/null >/dev/null 2>&1
  hr start "$id"
  # as docker exec -u 0 --privileged sends it: root, every capability
  process=$IT_DIR/bundles/$id-process.json
  jq --arg script "$POSTURE" '.args = ["sh", "-c", $script] | .terminal = false' "$FIXTURES/exec/privileged.json" >"$process"
  before=$(sha256sum <"$process")
  out=$(hr exec --process "$process" "$id")
  echo "$out"
  expect_hardened_process "$out"
  expect_eq "the caller's process file after exec -p" "$(sha256sum <"$process")" "$before"
  # a pipe, as runc's own tests pass it: read once, hardened all the same
  out=$(hr exec -p <(cat "$process") "$id")
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
  expect_eq "pids.max after update -r -" "$(cat $cgroup/pids$IT_CGROUP/$id/pids.max)" 100
  expect_eq "memory limit after update -r -" "$(cat $cgroup/memory$IT_CGROUP/$id/memory.limit_in_bytes)" 536870912
  expect_eq "cfs quota after update -r -" "$(cat $cgroup/cpu$IT_CGROUP/$id/cpu.cfs_quota_us)" 100000
  hr update --memory 4g --memory-swap 8g --pids-limit 100000 --cpu-quota 400000 "$id"
  expect_eq "pids.max after update flags" "$(cat $cgroup/pids$IT_CGROUP/$id/pids.max)" 100
  expect_eq "memory limit after update flags" "$(cat $cgroup/memory$IT_CGROUP/$id/memory.limit_in_bytes)" 536870912
  expect_eq "cfs quota after update flags" "$(cat $cgroup/cpu$IT_CGROUP/$id/cpu.cfs_quota_us)" 100000
  # a period alone keeps the quota (half a CPU stays half a CPU of the old period), a quota alone the period
  hr update --cpu-quota 50000 "$id"
  hr update --cpu-period 200000 "$id"
  expect_eq "cfs quota after --cpu-period alone" "$(cat $cgroup/cpu$IT_CGROUP/$id/cpu.cfs_quota_us)" 50000
  expect_eq "cfs period after --cpu-period alone" "$(cat $cgroup/cpu$IT_CGROUP/$id/cpu.cfs_period_us)" 200000
  hr update --cpu-quota 60000 "$id"
  expect_eq "cfs period after --cpu-quota alone" "$(cat $cgroup/cpu$IT_CGROUP/$id/cpu.cfs_period_us)" 200000
  hr update --memory 64m --pids-limit 20 "$id"
  expect_eq "a stricter update is applied" "$(cat $cgroup/pids$IT_CGROUP/$id/pids.max)" 20
  expect_eq "a stricter memory update is applied" "$(cat $cgroup/memory$IT_CGROUP/$id/memory.limit_in_bytes)" 67108864
  ;;
unified)
  # linux.resources.unified would undo every ceiling on cgroup v2: clamped at create and update, or
  # refused with beyond_ceilings "refuse". On a cgroup v1 host runc itself rejects a unified map, so
  # there the test checks what runc was given; on v2 it reads the container's own cgroup files.
  unified='{"pids.max":"max","memory.max":"max","memory.swap.max":"max"}'
  bundle=$(make_bundle "$id" default cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.max)
  jq --argjson u "$unified" '.linux.resources.unified = $u' "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  before=$(sha256sum <"$bundle/config.json")
  out=$(hr --profile refuse-excess run --bundle "$bundle" "$id" 2>&1) && fail "refuse-excess ran a container whose unified map undoes its ceilings"
  expect_contains "the refusal" "$out" 'refused by rule resources.unified: linux.resources.unified["memory.max"] "max" is above the profile'"'"'s ceiling 536870912'
  expect_eq "nothing written on a refusal" "$(sha256sum <"$bundle/config.json")" "$before"
  record=$(grep "\"container\":\"$id\"" "$IT_DIR/audit.log" | tail -n1)
  expect_eq "the refusal on the audit trail" "$(jq -r .decision <<<"$record")" refused
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    out=$(hr run --bundle "$bundle" "$id")
    expect_eq "pids.max and memory.max inside" "$(echo $out)" "100 536870912"
  else
    out=$(hr run --bundle "$bundle" "$id" 2>&1) && fail "runc accepted a unified map on cgroup v1"
    echo "runc on cgroup v1: $out"
  fi
  expect_eq "what runc was given" "$(jq -c .linux.resources.unified "$bundle/config.json")" \
    '{"memory.max":"536870912","memory.swap.max":"0","pids.max":"100"}'
  record=$(grep "\"container\":\"$id\"" "$IT_DIR/audit.log" | tail -n1)
  expect_contains "the clamp on the audit trail" "$(jq -r '.changes[].change' <<<"$record")" 'linux.resources.unified["pids.max"] "max" -> "100"'
  # update: the same map on stdin, as a client of runc update --resources - would send it
  cleanup_container "$id"
  bundle=$(make_bundle "$id" default sleep 60)
  hr create --bundle "$bundle" "$id" </dev/null >/dev/null 2>&1
  hr update --resources - "$id" <<<"{\"unified\": $unified}" >/dev/null 2>&1 || true  # runc refuses it on v1
  record=$(grep "\"container\":\"$id\"" "$IT_DIR/audit.log" | grep '"event":"update"' | tail -n1)
  expect_contains "update's clamp on the audit trail" "$(jq -r '.changes[].change' <<<"$record")" 'unified["pids.max"] "max" -> "100"'
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    expect_eq "pids.max after update" "$(cat "/sys/fs/cgroup$IT_CGROUP/$id/pids.max")" 100
  else
    expect_eq "pids.max after update (v1)" "$(cat "/sys/fs/cgroup/pids$IT_CGROUP/$id/pids.max")" 100
  fi
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
profile_web)
  # A server started as root listens on port 80 as uid 1001: CAP_NET_BIND_SERVICE is raised to
  # ambient by the web profile (the bundle's own netns, without Docker's unprivileged-port sysctl),
  # and writes its pid and cache to the profile's tmpfs.
  bundle=$(make_bundle "$id" default sh -c 'echo $$ >/run/web.pid && echo served-web >/var/cache/nginx/index.html &&
    exec httpd -f -p 127.0.0.1:80 -h /var/cache/nginx')
  jq 'del(.linux.sysctl)' "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  hr --profile web run -d --bundle "$bundle" "$id" </dev/null >/dev/null 2>&1
  body=""
  for _ in $(seq 1 50); do
    body=$(hr --profile web exec "$id" wget -q -O - http://127.0.0.1:80/ 2>/dev/null) && break
    sleep 0.2
  done
  expect_eq "page served on port 80 from /var/cache/nginx" "$body" served-web
  out=$(hr --profile web exec "$id" sh -c "$POSTURE")
  expect_eq "uid" "$(value uid "$out")" 1001
  expect_eq "server pid written to /run" "$(hr exec "$id" cat /run/web.pid)" 1
  expect_eq "CapAmb (CAP_NET_BIND_SERVICE only)" "$(grep CapAmb /proc/$(plain_runc state "$id" | jq .pid)/status | cut -f2)" 0000000000000400
  expect_eq "pids.max" "$(value pids_max "$out")" 200
  expect_eq "running a binary copied to /tmp" "$(value tmp_exec "$out")" denied
  ;;
profile_strict)
  # An untrusted job under strict: the work gets done, within half the limits, and neither code from
  # memory nor the 32-bit syscall ABI is available.
  out=$(hr --profile strict run --bundle "$(make_bundle "$id" default sh -c "seq 1 20000 | sort -rn | head -n1; $POSTURE; probe memfd_exec int80_getpid x32_getpid")" "$id")
  expect_eq "the job's result" "$(head -n1 <<<"$out")" 20000
  expect_hardened_process "$out"
  expect_eq pids.max "$(value pids_max "$out")" 50
  expect_eq memory.limit_in_bytes "$(value memory_limit "$out")" 268435456
  expect_eq cpu.cfs_quota_us "$(value cfs_quota "$out")" 50000
  expect_eq "code run from memory" "$(probe_result memfd_exec "$out")" "blocked errno=38"
  expect_eq "getpid through the x32 ABI" "$(probe_result x32_getpid "$out")" "blocked killed=sig31"
  # What int $0x80 does depends on the kernel (CONFIG_IA32_EMULATION, ia32_emulation=0): ask the host
  # first. Where the host has the 32-bit ABI, strict's filter kills the call (SIGSYS) and the default
  # profile leaves it; where it has none, the call fails the same way in and out of the container.
  on_host=$(probe_result int80_getpid "$("$HR_BUILD/hardened-probe" int80_getpid)")
  if [ "$on_host" = "allowed exit=0" ]; then
    expect_eq "getpid through int 0x80" "$(probe_result int80_getpid "$out")" "blocked killed=sig31"
  else
    echo "note: this kernel has no 32-bit x86 ABI (int \$0x80 on the host: $on_host)"
    expect_eq "getpid through int 0x80 (no 32-bit ABI on this kernel)" "$(probe_result int80_getpid "$out")" "$on_host"
  fi
  # The 32-bit ABI under the default profile: as on the host, so strict is what closed it. The x32 ABI
  # is in no shipped profile's filter: killed under both (the host itself may only say ENOSYS).
  out=$(hr run --bundle "$(make_bundle "$id-d" default probe int80_getpid x32_getpid)" "$id-d")
  cleanup_container "$id-d"
  expect_eq "int 0x80 under default" "$(probe_result int80_getpid "$out")" "$on_host"
  expect_eq "getpid through the x32 ABI under default" "$(probe_result x32_getpid "$out")" "blocked killed=sig31"
  ;;
selection)
  # Authority: default < --profile < allowed annotation < host rule; relaxations within the maxima.
  config=$(custom_config selection '.annotation_profiles = ["strict", "web"]
    | .rules = [{"annotations": {"io.kubernetes.pod.namespace": "untrusted-*"}, "profile": "strict"}]
    | .relaxation_maxima = {"pids_max": 300}')
  run_with() {  # ID ANNOTATIONS-JSON [hardened-runtime options...]: pids.max of the live container
    local cid=$1 annotations=$2 bundle
    shift 2
    bundle=$(make_bundle "$cid" default cat /sys/fs/cgroup/pids/pids.max)
    jq --argjson a "$annotations" '.annotations = $a' "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
    "$HR_BIN" --config "$config" "$@" --root "$RUNC_ROOT" run --bundle "$bundle" "$cid" 2>&1
    cleanup_container "$cid"
  }
  expect_eq "the host default" "$(run_with "$id-1" '{}')" 100
  expect_eq "--profile strict (runtimeArgs)" "$(run_with "$id-2" '{}' --profile strict)" 50
  expect_eq "annotation picks web over --profile strict" "$(run_with "$id-3" '{"org.hardened-runtime.profile": "web"}' --profile strict)" 200
  expect_contains "annotation naming a profile the host did not allow" \
    "$(run_with "$id-4" '{"org.hardened-runtime.profile": "default-looser"}')" "does not let containers choose"
  expect_eq "host rule beats the annotation" \
    "$(run_with "$id-5" '{"org.hardened-runtime.profile": "web", "io.kubernetes.pod.namespace": "untrusted-ci"}')" 50
  expect_eq "relaxation within the host maximum" "$(run_with "$id-6" '{"org.hardened-runtime.pids-max": "250"}')" 250
  expect_contains "relaxation past the host maximum" "$(run_with "$id-7" '{"org.hardened-runtime.pids-max": "5000"}')" "past the host's maximum 300"
  # exec finds the container's annotations in runc's state and uses the profile create used.
  bundle=$(make_bundle "$id" default sleep 60)
  jq '.annotations = {"org.hardened-runtime.profile": "web"}' "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  "$HR_BIN" --config "$config" --root "$RUNC_ROOT" run -d --bundle "$bundle" "$id" </dev/null >/dev/null 2>&1
  "$HR_BIN" --config "$config" --root "$RUNC_ROOT" exec --cap CAP_NET_BIND_SERVICE "$id" true
  record=$(grep "\"container\":\"$id\"" "$IT_DIR/audit.log" | grep '"event":"exec"' | tail -n1)
  expect_eq "exec's profile" "$(jq -r .profile <<<"$record")" web
  expect_contains "exec's profile chosen by" "$(jq -r .selected_by <<<"$record")" "the profile create applied (annotation org.hardened-runtime.profile)"
  ;;
audit_mode)
  # Audit mode: the would-be changes and refusals are logged, the container runs exactly as asked.
  config=$(custom_config audit '.mode = "audit"')
  bundle=$(make_bundle --own-rootfs "$id" pid-host sh -c "$POSTURE")
  before=$(sha256sum <"$bundle/config.json")
  out=$("$HR_BIN" --config "$config" --root "$RUNC_ROOT" run --bundle "$bundle" "$id")
  expect_eq "config.json byte-identical" "$(sha256sum <"$bundle/config.json")" "$before"
  expect_eq "uid (as asked)" "$(value uid "$out")" 0
  expect_eq "writing / (as asked)" "$(value root_write "$out")" ok
  record=$(grep "\"container\":\"$id\"" "$IT_DIR/audit.log" | tail -n1)
  expect_eq "audit decision" "$(jq -r .decision <<<"$record")" "audit: would refuse"
  expect_eq "would-be denial" "$(jq -r '.denials[0].rule' <<<"$record")" deny.host_namespaces
  expect_contains "would-be changes" "$(jq -c '[.changes[].rule]' <<<"$record")" '"user"'
  ;;
*)
  fail "unknown test $1"
  ;;
esac
echo "PASS: $1"
