# Sourced by escape_suite.sh (after its running containers "$name-stock" and "$name-hardened" are up):
# the identity and resource attempts, as rows of its one table. Every id is the host's own: the group
# that may read /etc/shadow, a host daemon's uid and the docker group come from this host's files.
uid_min=$(awk '$1 == "UID_MIN" {print $2}' /etc/login.defs 2>/dev/null || true)
uid_min=${uid_min:-1000}
shadow_gid=$(stat -c %g /etc/shadow)
daemon_uid=$(awk -F: -v min="$uid_min" '$3 > 0 && $3 < min {print $3; exit}' /etc/passwd)
[ -n "$daemon_uid" ] || fail "this host's /etc/passwd has no system account below UID_MIN $uid_min"
docker_gid=$(getent group docker | cut -d: -f3 || true)
docker_gid=${docker_gid:-$(stat -c %g "$(docker_socket main)")}  # no docker group: the group of the test daemon's socket

# run_as RUNTIME ARGS... -- COMMAND...: what COMMAND printed, or "refused by rule ..." / "failed to start here".
run_as() {
  local runtime=$1 args=() out
  shift
  while [ "$1" != -- ]; do args+=("$1"); shift; done
  shift
  if out=$(dk run --rm --runtime="$runtime" --network none "${args[@]}" "$IMAGE" "$@" 2>&1); then echo "$out"; else
    grep -o 'refused by rule [a-z_.]*' <<<"$out" | head -n1 || echo "failed to start here"
  fi
}
# A row from what each runtime's container printed: blocked unless `allowed_when` (a glob) matches.
row() {  # probe allowed_when stock hardened
  local s=$3 h=$4 sv hv
  # shellcheck disable=SC2053
  if [[ $s == $2 ]]; then sv=allowed; else sv=blocked; fi
  # shellcheck disable=SC2053
  if [[ $h == $2 ]]; then hv=allowed; else hv=blocked; fi
  add "$1" "$sv (${s//$'\n'/ })" "$hv (${h//$'\n'/ })" "$hv"
}

# Identity: a supplementary group that reads the host's /etc/shadow, a host daemon's uid, the docker group.
shadow_read='head -c1 /s >/dev/null 2>&1 && echo read || echo denied'
for user in 4242:4242 65534:65534; do
  ask=(-u "$user" --group-add "$shadow_gid" -v /etc/shadow:/s:ro)
  row "--group-add_${shadow_gid}_(shadow)_-u_${user}_reads_/etc/shadow" read \
    "$(run_as runc "${ask[@]}" -- sh -c "$shadow_read")" "$(run_as hardened "${ask[@]}" -- sh -c "$shadow_read")"
done
for user in 101:104 "$daemon_uid:$daemon_uid"; do
  row "-u_${user}_(a_host_system_account)" "uid=*" "$(run_as runc -u "$user" -- sh -c 'echo uid=$(id -u)')" \
    "$(run_as hardened -u "$user" -- sh -c 'echo uid=$(id -u)')"
done
for user in 4242 0; do
  groups() { run_as "$1" -u "$user" --group-add "$docker_gid" -- sh -c "id -G | tr ' ' '\n' | grep -qx $docker_gid && echo in-group || echo not-in-group"; }
  row "--group-add_${docker_gid}_(docker)_-u_$user" in-group "$(groups runc)" "$(groups hardened)"
done
for user in 101:104 "$daemon_uid"; do  # exec into the running containers
  exec_id() { dk exec -u "$user" "$1" id -u 2>&1 | grep -o 'refused by rule [a-z_.]*\|^[0-9]*$' | head -n1; }
  row "docker_exec_-u_$user" "[0-9]*" "$(exec_id "$name-stock")" "$(exec_id "$name-hardened")"
done

# Resources beyond the typed limits: real-time scheduling and a raised priority through rlimits, the
# OOM killer kept off the container.
rt() { run_as "$1" --ulimit rtprio=99 -- probe --realtime; }
row "--ulimit_rtprio=99_SCHED_FIFO" "*allowed*" "$(rt runc)" "$(rt hardened)"
nice_up() { run_as "$1" --ulimit nice=40 -- sh -c 'renice -n -10 $$ >/dev/null 2>&1 && echo raised || echo denied'; }
row "--ulimit_nice=40_renice_-10" raised "$(nice_up runc)" "$(nice_up hardened)"
adj() { run_as "$1" --oom-score-adj -500 -- cat /proc/self/oom_score_adj; }
row "--oom-score-adj_-500" "-*" "$(adj runc)" "$(adj hardened)"
if [ -d /sys/fs/cgroup/memory ]; then  # cgroup v1: dockerd passes it on; on v2 it ignores the flag
  oom() { run_as "$1" --oom-kill-disable -m 64m -- sh -c 'grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control | tr " " ='; }
  row "--oom-kill-disable" "*=1" "$(oom runc)" "$(oom hardened)"
fi
