# One pass of runc's bats suite with a given binary as RUNC, one bats process per file, each under
# script(1) so that the tests running `runc run` with a terminal have a controlling tty. Results go to
# RESULTS/MODE.txt as "file<TAB>test<TAB>ok|not ok|skip" lines, the raw TAP beside them. Sourced by
# integration/runc_suite.sh.

# The user of a rootless pass: a uid no account uses, so the run changes no account on the host.
ROOTLESS_UID=${ROOTLESS_UID:-$(for uid in $(seq 61000 61999); do getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null || { echo "$uid"; break; }; done)}

# hardened-runtime in MODE behind a script the suite can call as "$RUNC": the host config names the
# real runc by absolute path, so hardened-runtime never finds the wrapper again.
hardened_wrapper() {  # USER MODE
  local dir=$SUITE_DIR/hardened-$1-$2
  rm -rf "$dir"
  mkdir -p "$dir/state"
  cp "$HR_SOURCE"/profiles/*.json "$dir/"
  jq -n --arg runc "$REAL_RUNC" --arg dir "$dir" --arg mode "$2" \
    '{runtime: $runc, profiles_dir: $dir, default_profile: "default", mode: $mode,
      log_file: ($dir + "/audit.log"), state_dir: ($dir + "/state")}' >"$dir/config.json"
  printf '#!/bin/sh\nexec %q --config %q "$@"\n' "$HR_BIN" "$dir/config.json" >"$dir/runc"
  chmod 755 "$dir/runc"
  touch "$dir/audit.log"
  [ "$1" = root ] || chown -R "$ROOTLESS_UID:$ROOTLESS_UID" "$dir/state" "$dir/audit.log"
  echo "$dir/runc"
}

# The suite's files: all of them, or RUNC_SUITE_FILES.
suite_files() {
  local dir=$SUITE_SRC/tests/integration
  if [ -n "${RUNC_SUITE_FILES:-}" ]; then
    local f
    for f in $RUNC_SUITE_FILES; do echo "$dir/$f"; done
  else
    ls "$dir"/*.bats
  fi
}

# bats -t output (TAP, with \r from the pty) to result lines.
tap_results() {  # FILE-NAME < TAP
  tr -d '\r' | gawk -v file="$1" '
    match($0, /^(not ok|ok) [0-9]+ (.*)$/, m) {
      name = m[2]; result = m[1]
      if (match(name, / # skip( .*)?$/)) { name = substr(name, 1, RSTART - 1); result = "skip" }
      print file "\t" name "\t" result
    }'
}

run_suite() {  # USER MODE RUNC RESULTS
  local user=$1 mode=$2 runc=$3 results=$4 file name started
  local as_user=() tmp=$SUITE_DIR/tmp-$user
  mkdir -p "$results/$mode" "$tmp"
  : >"$results/$mode.txt"
  if [ "$user" = rootless ]; then
    chown "$ROOTLESS_UID:$ROOTLESS_UID" "$tmp"
    # no subuid/newuidmap and no delegated cgroup: the suite's "rootless with no features" pass
    as_user=(setpriv --reuid "$ROOTLESS_UID" --regid "$ROOTLESS_UID" --clear-groups --reset-env
      env HOME="$tmp" ROOTLESS_FEATURES=)
  fi
  started=$SECONDS
  echo "== $user / $mode: RUNC=$runc" >&2
  while read -r file; do
    name=$(basename "$file")
    # a hung test must not hang the run: the file's missing tests then count as differences
    (cd "$tmp" && "${as_user[@]}" env PATH="$PATH" TMPDIR="$tmp" RUNC="$runc" \
      timeout -k 10 900 script -qefc "bats -t $(printf %q "$file")" /dev/null) </dev/null >"$results/$mode/$name.tap" 2>&1 &
    reap_when_done "$!" "$results/$mode/$name.tap" "$tmp"
    tap_results "$name" <"$results/$mode/$name.tap" >>"$results/$mode.txt"
    printf '  %-28s %s\n' "$name" "$(counts <(grep -P "^\Q$name\E\t" "$results/$mode.txt"))" >&2
  done < <(suite_files)
  echo "== $user / $mode: $(counts "$results/$mode.txt") in $((SECONDS - started)) s" >&2
}

# A test that fails before its own cleanup (update.bats "update devices" when its run is refused) leaves
# its recvtty running, holding the pty, and bats then never ends. Five seconds after every planned test
# has reported, such a recvtty (one of this pass: its socket is under TMP) is stopped by its pid.
reap_when_done() {  # PID TAP TMP
  local planned reported pid all_reported=
  while kill -0 "$1" 2>/dev/null; do
    sleep 0.5
    if [ -z "$all_reported" ]; then
      planned=$(tr -d '\r' <"$2" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' | head -1)
      reported=$(tr -d '\r' <"$2" | grep -cE '^(not )?ok [0-9]+' || true)
      [ -n "$planned" ] && [ "$reported" -ge "$planned" ] && all_reported=$SECONDS
    elif [ $((SECONDS - all_reported)) -ge 5 ]; then
      for pid in $(pgrep -x recvtty || true); do
        grep -qF "$3/" "/proc/$pid/cmdline" 2>/dev/null && kill "$pid" 2>/dev/null || true
      done
    fi
  done
  wait "$1" || true
}

counts() {  # RESULT-FILE
  gawk -F'\t' '{n[$3]++} END {printf "%d ok, %d not ok, %d skip", n["ok"], n["not ok"], n["skip"]}' "$1"
}
