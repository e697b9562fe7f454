# Sourced by escape_suite.sh (after escape_identity.sh): W^X on the container's writable mounts, mounts
# over /dev and its device nodes, and a host file as a container's stdout, as rows of its one table.
#   W^X: a binary copied into a writable mount the user asked to be exec (or that Docker mounts exec:
#   a named volume) must not run. Device nodes: a mount over /dev/null, /dev or another node must not
#   start. Stdio: a root-owned 0600 file given as stdout must stay root's 0600.
wx_vol=it-escape-wx-$$
wx_file=$IT_DIR/escape-wx-host-file
wx_cleanup() {
  dk volume rm -f "$wx_vol-data" "$wx_vol-tmp" >/dev/null 2>&1 || true
  rm -f "$wx_file" "$IT_DIR"/escape-wx-stdout-*.log
  cleanup_container "it-escape-wx-stdout-$$" >/dev/null 2>&1 || true
}
wx_cleanup
echo host-file >"$wx_file"

# Copies busybox into DIR and runs the copy: "ran", "not run" (noexec), or why it did not start.
copied_binary() {  # RUNTIME DIR DOCKER-ARGS...
  local runtime=$1 dir=$2
  shift 2
  # Named "true": busybox picks its applet by name.
  run_as "$runtime" "$@" -- sh -c "cp /bin/busybox $dir/true 2>/dev/null || echo not-copied; $dir/true 2>/dev/null && echo ran || echo not-run"
}
wx_row() {  # probe dir docker-args...
  local probe=$1 dir=$2
  shift 2
  row "$probe" "*ran*" "$(copied_binary runc "$dir" "$@")" "$(copied_binary hardened "$dir" "$@")"
}
# A named volume already holding a program (written by another container, as an attacker sharing it
# would): run it from the volume.
for v in data tmp; do dk run --rm --runtime=runc -v "$wx_vol-$v:/v" "$IMAGE" sh -c 'cp /bin/busybox /v/true && chmod 1777 /v' >/dev/null; done
volume_binary() { run_as "$1" -v "$2:$3" -- sh -c "$3/true 2>/dev/null && echo ran || echo not-run"; }
wx_row "--tmpfs_/tmp:exec_copied_binary_runs" /tmp --tmpfs /tmp:exec
wx_row "--tmpfs_/x:exec_copied_binary_runs" /x --tmpfs /x:exec
wx_row "--tmpfs_/dev/shm:exec_copied_binary_runs" /dev/shm --tmpfs /dev/shm:exec
wx_row "--mount_type=tmpfs,dst=/x_copied_binary_runs" /x --mount type=tmpfs,dst=/x,tmpfs-mode=1777
row "named_volume_on_/data_binary_in_it_runs" "*ran*" "$(volume_binary runc "$wx_vol-data" /data)" "$(volume_binary hardened "$wx_vol-data" /data)"
row "named_volume_on_/tmp_binary_in_it_runs" "*ran*" "$(volume_binary runc "$wx_vol-tmp" /tmp)" "$(volume_binary hardened "$wx_vol-tmp" /tmp)"

# Mounts over /dev and its device nodes (runc's stdio check compares with the container's /dev/null).
for ask in "-v /dev/null:/dev/null" "-v $wx_file:/dev/null" "-v $wx_file:/dev/urandom" "-v /dev:/dev" \
  "--mount type=bind,src=/dev/pts,dst=/dev/pts" "-v /dev/shm:/dev/shm"; do
  s=$(started --runtime=runc $ask) h=$(started --runtime=hardened $ask)
  probe="docker_run_${ask// /_}"
  add "${probe//$IT_DIR/\$IT_DIR}" "$s" "$h" "${h%% *}"
done

# A root-owned 0600 file as the stdout of `runc run -d` (detached: runc hands its own stdio to the
# container; no client passes a file, runc's own CLI does), the container user 1001: plain runc chowns
# it to 1001, hardened-runtime relays to it.
wx_stdout() {  # stdout|stderr RUNTIME-COMMAND...: the file's owner and mode afterwards
  local f=$IT_DIR/escape-wx-stdout-$RANDOM.log id=it-escape-wx-stdout-$$ bundle which=$1
  shift
  bundle=$(make_bundle "$id" default sh -c 'echo out; chmod 666 /proc/self/fd/1 /proc/self/fd/2 2>/dev/null; true')
  jq '.process.user = {"uid": 1001, "gid": 1001}' "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  echo before >"$f" && chown 0:0 "$f" && chmod 0600 "$f"
  if [ "$which" = stdout ]; then
    "$@" run -d --bundle "$bundle" "$id" >>"$f" 2>/dev/null </dev/null || true
  else
    "$@" run -d --bundle "$bundle" "$id" 2>>"$f" >/dev/null </dev/null || true
  fi
  sleep 0.5
  cleanup_container "$id" >/dev/null 2>&1
  stat -c 'owner=%u:%g mode=%a' "$f"
}
for which in stdout stderr; do
  s=$(wx_stdout $which plain_runc) h=$(wx_stdout $which hr)
  row "runc_run_-d_${which}_>>root_0600_file_(uid_1001)" "*owner=1001*" "$s" "$h"
done

# An AppArmor profile or SELinux label of the process's own: in an exec's process file (runc exec
# --process), runc runs the process under it instead of the container's; in the spec at create (what
# dockerd writes for --security-opt apparmor=unconfined on a host with AppArmor; runc by hand here, as
# this host has no LSM for dockerd to write it for), the container runs under it. "unconfined" sheds
# the confinement. "ran" when the runtime ran the process (on a host without that LSM, runc may refuse
# by itself: that cell then says why).
ran_or_why() {  # COMMAND...
  local out
  if out=$("$@" 2>&1 </dev/null); then echo "ran"; else
    out=${out#*msg=\"}
    echo "$(grep -o 'refused by rule [a-z_.]*' <<<"$out" | head -n1 || echo "runc failed: ${out:0:90}")"
  fi
}
label_attempt() {  # exec|create FIELD VALUE RUNTIME-COMMAND... (VALUE as inside a JSON string: \u0000 is a NUL)
  local at=$1 field=$2 value=$3 id=it-escape-label-$$ bundle
  shift 3
  if [ "$at" = exec ]; then
    bundle=$(make_bundle "$id" default sleep 30)
    "$@" run -d --bundle "$bundle" "$id" >/dev/null 2>&1 </dev/null || { echo "not started"; return; }
    jq --arg f "$field" --argjson v "\"$value\"" '.process + {($f): $v} | .args = ["true"]' "$bundle/config.json" >"$bundle/exec.json"
    ran_or_why "$@" exec --process "$bundle/exec.json" "$id"
  else
    bundle=$(make_bundle "$id" default true)
    jq --arg f "$field" --argjson v "\"$value\"" '.process[$f] = $v' "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
    ran_or_why "$@" run --bundle "$bundle" "$id"
  fi
  cleanup_container "$id" >/dev/null 2>&1
}
# As the kernel reads a label: a NUL ends it (runc writes a C string), so "unconfined\u0000x" is
# unconfined; AppArmor finds unconfined for a prefix of the name ("unconf", Linux 4.13+); SELinux reads
# a label that begins with a newline as none.
for label in "apparmorProfile unconfined" "selinuxLabel system_u:system_r:spc_t:s0" 'apparmorProfile unconfined\u0000x' \
  "apparmorProfile unconf" 'selinuxLabel \nsystem_u:system_r:container_t:s0'; do
  s=$(label_attempt exec $label plain_runc) h=$(label_attempt exec $label hr)
  row "runc_exec_--process_${label%% *}=${label#* }" "ran" "$s" "$h"
  s=$(label_attempt create $label plain_runc) h=$(label_attempt create $label hr)
  row "runc_run_spec_process.${label%% *}=${label#* }" "ran" "$s" "$h"
done
wx_cleanup
