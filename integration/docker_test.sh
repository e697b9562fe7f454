#!/usr/bin/env bash
# Integration tests through a real dockerd (started by integration/dockerd.sh as a ctest fixture):
# what `docker run`, `docker exec` and `docker update` do on a host where hardened-runtime is
# registered, checked on the live processes. One test per call:
#   HR_BUILD=build HR_SOURCE=. integration/docker_test.sh TEST
source "$(dirname "$0")/lib.sh"
require dockerd jq
dk info >/dev/null 2>&1 || fail "the test dockerd is not running (ctest starts it as the fixture docker.start)"

name=it-$1-$$
trap 'dk rm -f "$name" >/dev/null 2>&1 || true' EXIT

cgroup_of() {  # CONTAINER CONTROLLER FILE: a cgroup value of a running container, read on the host
  cat "/sys/fs/cgroup/$2$(docker_cgroup_parent "${DAEMON:-main}")/$(dk inspect -f '{{.Id}}' "$1")/$3"
}

expect_run_refused() {  # RULE ARGS...: docker run must fail and show our message
  local rule=$1 out
  shift
  if out=$(dk run --rm --network none "$@" "$IMAGE" true 2>&1); then fail "docker run $* was not refused"; fi
  expect_contains "docker run $* output" "$out" "hardened-runtime: cannot create container"
  expect_contains "docker run $* output" "$out" "$rule"
}

case $1 in
run_posture)
  out=$(dk run --rm --runtime=hardened --network none "$IMAGE" sh -c "$POSTURE")
  echo "$out"
  expect_hardened_process "$out"
  expect_eq "writing /" "$(value root_write "$out")" denied
  expect_eq "writing /tmp" "$(value tmp_write "$out")" ok
  expect_eq "running a binary copied to /tmp" "$(value tmp_exec "$out")" denied
  expect_eq pids.max "$(value pids_max "$out")" 100
  expect_eq memory.limit_in_bytes "$(value memory_limit "$out")" 536870912
  expect_eq cpu.cfs_quota_us "$(value cfs_quota "$out")" 100000
  ;;
registrations)
  expect_eq "default-runtime (daemon.json)" "$(dk run --rm --network none "$IMAGE" id -u)" 1001
  expect_eq "--runtime=hardened (daemon.json runtimes)" "$(dk run --rm --runtime=hardened --network none "$IMAGE" id -u)" 1001
  expect_eq "--runtime=hardened-flag (--add-runtime)" "$(dk run --rm --runtime=hardened-flag --network none "$IMAGE" id -u)" 1001
  expect_eq "--runtime=runc, without the lockdown" "$(dk run --rm --runtime=runc --network none "$IMAGE" id -u)" 0
  ;;
exec)
  dk run -d --name "$name" --network none "$IMAGE" sleep 300 >/dev/null
  for flags in "" "-u 0" "--privileged" "-u 0:0 --privileged"; do  # exec --privileged is hardened, not refused
    out=$(dk exec $flags "$name" sh -c "$POSTURE")
    echo "docker exec $flags:"
    expect_hardened_process "$out"
  done
  # Its creation record lives as long as the container: a busy node keeps none for containers gone.
  record=$IT_DIR/state/$(dk inspect -f '{{.Id}}' "$name").json
  expect_eq "its creation record while it runs" "$(test -f "$record" && echo present)" present
  dk rm -f "$name" >/dev/null
  expect_eq "its creation record after docker rm" "$(test -e "$record" && echo left || echo removed)" removed
  ;;
update)
  dk run -d --name "$name" --network none "$IMAGE" sleep 300 >/dev/null
  dk update --memory 4g --memory-swap 4g --pids-limit 100000 --cpus 2 "$name" >/dev/null
  expect_eq "pids.max after docker update" "$(cgroup_of "$name" pids pids.max)" 100
  expect_eq "memory limit after docker update" "$(cgroup_of "$name" memory memory.limit_in_bytes)" 536870912
  expect_eq "cfs quota after docker update" "$(cgroup_of "$name" cpu cpu.cfs_quota_us)" 100000
  expect_eq "as seen inside" "$(dk exec "$name" cat /sys/fs/cgroup/pids/pids.max)" 100
  dk update --memory 64m --memory-swap 64m --pids-limit 20 "$name" >/dev/null
  expect_eq "a stricter update applies" "$(cgroup_of "$name" pids pids.max)" 20
  expect_eq "a stricter memory update applies" "$(cgroup_of "$name" memory memory.limit_in_bytes)" 67108864
  ;;
refusals)
  expect_run_refused "deny.privileged" --privileged
  expect_run_refused "deny.host_namespaces" --pid=host
  expect_run_refused "deny.host_namespaces" --ipc=host
  expect_run_refused "deny.host_namespaces" --uts=host
  expect_run_refused "deny.bind_sources" -v /run:/hostrun
  expect_run_refused "deny.bind_sources_exact" -v /etc:/hostetc
  expect_run_refused "deny.devices" --device /dev/loop-control
  expect_run_refused "deny.sysctls" --sysctl kernel.msgmax=65536
  expect_run_refused "capabilities.deny" --cap-add SYS_ADMIN
  # --network host joins the namespace file dockerd keeps under its exec-root: found by inode.
  if out=$(dk run --rm --network host "$IMAGE" true 2>&1); then fail "docker run --network host was not refused"; fi
  expect_contains "docker run --network host output" "$out" "joins the host's network namespace through $(docker_exec_root main)/netns/default"
  placeholder=""
  if [ ! -e /var/run/docker.sock ]; then placeholder=/var/run/docker.sock && : >"$placeholder"; fi
  trap '[ -z "$placeholder" ] || rm -f "$placeholder"; dk rm -f "$name" >/dev/null 2>&1 || true' EXIT
  expect_run_refused "deny.bind_sources" -v /var/run/docker.sock:/var/run/docker.sock
  ;;
transparency)
  expect_eq "stdin piped with -i" "$(echo hi | dk run --rm -i --network none "$IMAGE" cat)" hi
  expect_eq "a tty with -t" "$(dk run --rm -t --network none "$IMAGE" sh -c '[ -t 1 ] && echo tty' | tr -d '\r')" tty
  set +e
  dk run --rm --network none "$IMAGE" sh -c 'exit 7'
  status=$?
  set -e
  expect_eq "exit code" "$status" 7
  dk run -d --name "$name" --network none "$IMAGE" sh -c 'trap "echo got TERM; exit 0" TERM; echo started; while true; do sleep 0.2; done' >/dev/null
  dk pause "$name" >/dev/null
  expect_eq "paused" "$(dk inspect -f '{{.State.Status}}' "$name")" paused
  dk unpause "$name" >/dev/null
  expect_contains "docker top" "$(dk top "$name")" "sleep"
  start=$(date +%s)
  dk stop -t 20 "$name" >/dev/null
  [ $(($(date +%s) - start)) -lt 10 ] || fail "docker stop waited for the timeout: SIGTERM did not arrive"
  expect_contains "docker logs" "$(dk logs "$name")" "got TERM"
  expect_eq "exit code after stop" "$(dk inspect -f '{{.State.ExitCode}}' "$name")" 0
  dk restart -t 1 "$name" >/dev/null
  expect_eq "running after restart" "$(dk inspect -f '{{.State.Running}}' "$name")" true
  expect_eq "still hardened after restart" "$(dk exec "$name" id -u)" 1001
  # runc's own error reaches the user, and the bind source staged for it does not stay mounted.
  mkdir -p "$IT_DIR/bind-$$"
  out=$(dk run --name "$name-bad" --network none -v "$IT_DIR/bind-$$:/data" --tmpfs /bin/busybox/x "$IMAGE" true 2>&1) &&
    fail "a tmpfs on a path below a file started"
  expect_contains "runc's error, shown by docker" "$out" "/bin/busybox/x"
  expect_no_stages "a create runc failed" "$(dk inspect -f '{{.Id}}' "$name-bad")"
  dk rm -f "$name-bad" >/dev/null
  rmdir "$IT_DIR/bind-$$"
  dk run --rm --name "$name-rm" --network none "$IMAGE" true
  dk inspect "$name-rm" >/dev/null 2>&1 && fail "--rm left the container behind"
  echo "ok: --rm removed the container"
  ;;
server)
  # A web server on a low port as uid 1001, under the web profile (through a test profile that also
  # allows the host network, so it listens on 127.0.0.1 where only this test reaches it).
  port=$((800 + $$ % 200))
  dk run -d --name "$name" --runtime=hardened-web-hostnet --network host "$IMAGE" sh -c \
    "echo served-hardened >/var/cache/nginx/index.html && exec httpd -f -p 127.0.0.1:$port -h /var/cache/nginx" >/dev/null
  body=""
  for _ in $(seq 1 50); do
    body=$(timeout 3 /bin/busybox wget -q -O - "http://127.0.0.1:$port/" 2>/dev/null) && break  # (busybox wget -T crashes)
    sleep 0.2
  done
  expect_eq "page served on port $port by busybox httpd" "$body" served-hardened
  expect_eq "the server runs as" "$(dk exec "$name" id -u)" 1001
  expect_eq "the server's CapEff (CAP_NET_BIND_SERVICE only)" \
    "$(grep CapEff "/proc/$(dk inspect -f '{{.State.Pid}}' "$name")/status" | cut -f2)" 0000000000000400
  ;;
secrets)
  # A secret in the environment is flagged on the audit trail by name; its value is never written.
  dk run --rm --network none -e DB_PASSWORD=hunter2-do-not-log -e GREETING=hello "$IMAGE" true
  record=$(grep '"event":"create"' "$IT_DIR/audit.log" | grep DB_PASSWORD | tail -n1)
  expect_contains "audit warning" "$(jq -r '.warnings[0].message' <<<"$record")" "DB_PASSWORD looks like a secret"
  grep -q hunter2 "$IT_DIR/audit.log" && fail "the secret's value reached the audit log"
  echo "ok: the value is in no log"
  ;;
audit)
  # hardened-runtime audit finds the container started with --runtime=runc among hardened ones.
  dk run -d --name "$name-hardened" --network none "$IMAGE" sleep 300 >/dev/null
  dk run -d --name "$name-web" --runtime=hardened-web-hostnet --network host "$IMAGE" sleep 300 >/dev/null
  dk run -d --name "$name-plain" --runtime=runc --network none "$IMAGE" sleep 300 >/dev/null
  # The issue's container, with plain runc: an exec /tmp, a procfs of the host's pid namespace mounted
  # through a volume, /etc/shadow readable through its group, uid 4242.
  dk run -d --name "$name-leaky" --runtime=runc --network none -u 4242 --group-add "$(stat -c %g /etc/shadow)" \
    -v /etc/shadow:/s:ro --tmpfs /tmp:exec --mount "type=volume,src=$name-proc,dst=/hostproc,volume-opt=type=proc,volume-opt=device=proc" \
    --mount "type=volume,src=$name-etc,dst=/hostetc,readonly,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc" \
    "$IMAGE" sleep 300 >/dev/null
  trap 'dk rm -f "$name-hardened" "$name-web" "$name-plain" "$name-leaky" >/dev/null 2>&1 || true; dk volume rm "$name-proc" "$name-etc" >/dev/null 2>&1 || true' EXIT
  roots=()
  for root in "$(docker_exec_root main)"/runtime-*/moby; do roots+=(--root "$root"); done
  set +e
  report=$("$HR_BIN" audit --config "$(host_config)" "${roots[@]}" --json)
  status=$?
  set -e
  echo "$report" | jq -c '.containers[] | {id: .id[0:12], profile, meets_profile, shortfalls}'
  expect_eq "exit status (one falls short)" "$status" 1
  verdict() { jq -r --arg id "$(dk inspect -f '{{.Id}}' "$1")" '.containers[] | select(.id == $id) | .meets_profile' <<<"$report"; }
  expect_eq "the hardened container meets its profile" "$(verdict "$name-hardened")" true
  expect_eq "the web container meets web-hostnet's" "$(verdict "$name-web")" true
  expect_eq "the --runtime=runc container" "$(verdict "$name-plain")" false
  plain=$(jq -r --arg id "$(dk inspect -f '{{.Id}}' "$name-plain")" '.containers[] | select(.id == $id) | .shortfalls | join("; ")' <<<"$report")
  for why in "not created through hardened-runtime" "runs as root" "no_new_privs is off" "writable" "pids.max unlimited"; do
    expect_contains "why it falls short" "$plain" "$why"
  done
  leaky=$(jq -r --arg id "$(dk inspect -f '{{.Id}}' "$name-leaky")" '.containers[] | select(.id == $id) | .shortfalls | join("; ")' <<<"$report")
  for why in "supplementary group $(stat -c %g /etc/shadow) " "mount at /tmp (tmpfs) is writable and executable" \
    "kernel filesystem proc mounted at /hostproc" "mount at /hostetc shows the host's /etc, refused by deny.bind_sources_exact (/etc)"; do
    expect_contains "why the leaky container falls short" "$leaky" "$why"
  done
  table=$("$HR_BIN" audit --config "$(host_config)" "${roots[@]}" || true)
  echo "$table"
  expect_contains "the table" "$table" "FALLS SHORT: not created through hardened-runtime"
  ;;
configure)
  # hardened-runtime configure docker on the running daemon's daemon.json, applied with SIGHUP.
  state=$(docker_state main)
  config=$state/daemon.json
  pid=$(cat "$state/dockerd.pid")
  trap '"$HR_BIN" configure docker --config-file "$config" --name hardened-cfg --remove >/dev/null; kill -HUP "$pid"' EXIT
  "$HR_BIN" configure docker --config-file "$config" --name hardened-cfg --profile default
  [ -f "$config.bak" ] || fail "no backup of daemon.json was kept"
  expect_contains "configuring twice" "$("$HR_BIN" configure docker --config-file "$config" --name hardened-cfg --profile default)" "nothing changed"
  expect_eq "other keys kept" "$(jq -r '."default-runtime"' "$config")" hardened
  kill -HUP "$pid"
  uid=""
  for _ in $(seq 1 20); do uid=$(dk run --rm --runtime=hardened-cfg --network none "$IMAGE" id -u 2>/dev/null) && break; sleep 0.5; done
  expect_eq "--runtime=hardened-cfg after SIGHUP" "$uid" 1001
  "$HR_BIN" configure docker --config-file "$config" --name hardened-cfg --remove
  kill -HUP "$pid"
  for _ in $(seq 1 20); do dk run --rm --runtime=hardened-cfg --network none "$IMAGE" true 2>/dev/null || break; sleep 0.5; done
  dk run --rm --runtime=hardened-cfg --network none "$IMAGE" true 2>/dev/null && fail "the removed runtime still works"
  echo "ok: the removed runtime is gone after SIGHUP"
  broken=$IT_DIR/$name-daemon.json
  echo '{"runtimes": ' >"$broken"
  before=$(sha256sum "$broken")
  "$HR_BIN" configure docker --config-file "$broken" 2>/dev/null && fail "a malformed daemon.json was accepted"
  expect_eq "a malformed daemon.json is left as it is" "$(sha256sum "$broken")" "$before"
  ;;
lockdown)
  # A second daemon whose PATH starts with the lockdown directory: `--runtime=runc` is hardened too.
  "$(dirname "$0")/dockerd.sh" start lockdown --lockdown
  trap '"$(dirname "$0")/dockerd.sh" stop lockdown' EXIT
  expect_eq "--runtime=runc with the lockdown" "$(DAEMON=lockdown dk run --rm --runtime=runc --network none "$IMAGE" id -u)" 1001
  ;;
*)
  fail "unknown test $1"
  ;;
esac
echo "PASS: $1"
