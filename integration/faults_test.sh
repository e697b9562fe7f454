#!/usr/bin/env bash
# Fault injection around the rewrite of config.json: the wrapper killed at every step, a full and a
# read-only bundle filesystem, 100 creates at once, runc missing, a profile corrupted between two
# creates. runc is the static stand-in here: what is under test is what happens before it runs.
#   HR_BUILD=build HR_SOURCE=. integration/faults_test.sh TEST
source "$(dirname "$0")/lib.sh"
require strace jq

dir=$IT_DIR/faults-$1-$$
mkdir -p "$dir"
mounted=()
cleanup() {
  for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

# Docker's default spec, without its hook: that runs dockerd through /proc/<pid>/exe of the machine it
# was captured on, which the hooks rule refuses here.
FIXTURE=$IT_DIR/faults-fixture.json
mkdir -p "$IT_DIR" && jq -c 'del(.hooks)' "$FIXTURES/create/default.json" >"$FIXTURE"  # compact, as dockerd writes it
config=$dir/hardened.json
jq -n --arg runc "$HR_BUILD/runc-standin" --arg profiles "$(profiles_dir)" --arg log "$dir/audit.log" \
  '{runtime: $runc, profiles_dir: $profiles, log_file: $log, state_dir: ($log + ".state")}' >"$config"

bundle_with_fixture() {  # DIR: a bundle whose config.json is the Docker fixture
  mkdir -p "$1" && cp "$FIXTURE" "$1/config.json"
}
create() {  # BUNDLE [ID]: hardened-runtime create, status only
  "$HR_BIN" --config "$config" create --bundle "$1" "${2:-fault}" >/dev/null 2>"$dir/stderr"
}
temporaries() { find "$1" -name '.config.json.hardened-*' | wc -l; }
expect_intact() {  # WHAT BUNDLE: config.json is byte-identical to the fixture and no temporary is left
  expect_eq "$1: config.json unchanged" "$(sha256sum <"$2/config.json")" "$(sha256sum <"$FIXTURE")"
  expect_eq "$1: temporary files" "$(temporaries "$2")" 0
}

case $1 in
kill_sweep)
  # The hardened file a complete create writes, to compare against.
  bundle_with_fixture "$dir/reference"
  create "$dir/reference"
  hardened_sum=$(sha256sum <"$dir/reference/config.json")
  # Every call of the rewrite, as strace sees them, then a SIGKILL at each one in turn.
  calls="openat,write,fchmod,fchown,fsync,linkat,rename,close,getdents64,unlinkat"
  bundle_with_fixture "$dir/b"
  strace -f -qq -o "$dir/trace" -e trace=$calls "$HR_BIN" --config "$config" create --bundle "$dir/b" fault >/dev/null
  runs=0
  for call in ${calls//,/ }; do
    count=$(grep -c "^[0-9]* *$call(" "$dir/trace" || true)
    for n in $(seq 1 "$count"); do
      rm -rf "$dir/b" && bundle_with_fixture "$dir/b"
      strace -f -qq -o /dev/null -e trace=$call -e inject=$call:signal=KILL:when=$n \
        "$HR_BIN" --config "$config" create --bundle "$dir/b" fault >/dev/null 2>&1 || true
      runs=$((runs + 1))
      jq empty "$dir/b/config.json" 2>/dev/null || fail "killed at $call #$n: config.json does not parse"
      sum=$(sha256sum <"$dir/b/config.json")
      [ "$sum" = "$(sha256sum <"$FIXTURE")" ] || [ "$sum" = "$hardened_sum" ] || fail "killed at $call #$n: config.json is neither the old nor the new file"
      left=$(temporaries "$dir/b")
      if [ "$left" != 0 ]; then
        # Only a kill between naming the finished file and renaming it leaves one: complete, and
        # removed by the next create.
        [ "$call" = rename ] || fail "killed at $call #$n: $left temporary files left"
        jq empty "$dir/b"/.config.json.hardened-* || fail "killed at $call #$n: the named temporary is not complete"
        create "$dir/b" || fail "the create after a kill at $call #$n failed: $(cat "$dir/stderr")"
        expect_eq "create after a kill at $call #$n removes the temporary" "$(temporaries "$dir/b")" 0
      fi
    done
  done
  [ $runs -ge 10 ] || fail "only $runs injection points were found in the trace"
  echo "ok: $runs kills, each left config.json whole (old or new)"
  ;;
enospc)
  mkdir -p "$dir/full" && mount -t tmpfs -o size=12k tmpfs "$dir/full" && mounted+=("$dir/full")
  bundle_with_fixture "$dir/full"
  create "$dir/full" && fail "create succeeded on a full filesystem"
  expect_contains "the error" "$(cat "$dir/stderr")" "No space left on device"
  expect_intact "a full bundle filesystem" "$dir/full"
  ;;
readonly_bundle)
  mkdir -p "$dir/ro" && mount -t tmpfs tmpfs "$dir/ro" && mounted+=("$dir/ro")
  bundle_with_fixture "$dir/ro"
  mount -o remount,ro "$dir/ro"
  create "$dir/ro" && fail "create succeeded in a read-only bundle"
  expect_contains "the error" "$(cat "$dir/stderr")" "Read-only file system"
  expect_intact "a read-only bundle" "$dir/ro"
  ;;
concurrent_creates)
  for i in $(seq 1 100); do bundle_with_fixture "$dir/c$i"; done
  pids=()
  for i in $(seq 1 100); do create "$dir/c$i" "concurrent-$i" & pids+=($!); done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  expect_eq "creates that failed" "$failed" 0
  hardened=0
  for i in $(seq 1 100); do [ "$(jq .process.user.uid "$dir/c$i/config.json")" = 1001 ] && hardened=$((hardened + 1)); done
  expect_eq "bundles hardened" "$hardened" 100
  expect_eq "audit lines" "$(wc -l <"$dir/audit.log")" 100
  expect_eq "audit lines that parse, one per container" "$(jq -r .container "$dir/audit.log" | sort -u | wc -l)" 100
  ;;
runc_missing)
  jq '.runtime = "/nonexistent/runc"' "$config" >"$dir/c.json" && mv "$dir/c.json" "$config"
  bundle_with_fixture "$dir/b"
  create "$dir/b" && fail "create succeeded without runc"
  expect_contains "the error" "$(cat "$dir/stderr")" "/nonexistent/runc"
  expect_intact "runc missing" "$dir/b"
  ;;
profile_corrupted)
  profiles=$dir/profiles
  mkdir -p "$profiles" && cp "$HR_SOURCE"/profiles/*.json "$profiles/"
  jq --arg p "$profiles" '.profiles_dir = $p' "$config" >"$dir/c.json" && mv "$dir/c.json" "$config"
  bundle_with_fixture "$dir/first"
  create "$dir/first" || fail "the first create failed: $(cat "$dir/stderr")"
  head -c 3000 "$HR_SOURCE/profiles/default.json" >"$profiles/default.json"  # cut short, as by a bad copy
  bundle_with_fixture "$dir/second"
  create "$dir/second" && fail "create succeeded with a corrupted profile"
  expect_contains "the error" "$(cat "$dir/stderr")" "cannot load profile 'default'"
  expect_intact "a corrupted profile" "$dir/second"
  ;;
*) fail "unknown test $1" ;;
esac
echo "PASS: $1"
