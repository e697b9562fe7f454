#!/usr/bin/env bash
# Fuzzes every parser of untrusted input with libFuzzer (clang, ASan, UBSan): runc's argv, config.json
# (and exec processes, update resources), profiles, seccomp filters.
#   scripts/fuzz.sh            20 s per harness (what scripts/test.sh runs)
#   scripts/fuzz.sh 1800       the longer run, before a release
# First every saved regression input (tests/fuzz/regressions/HARNESS/) is replayed; a new crash is
# copied there, so it is replayed by every later run, and the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
build=build-fuzz
CC=clang CXX=clang++ cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHARDENED_FUZZ=ON -DHARDENED_WERROR=ON \
  -DHARDENED_STATIC=OFF -DHARDENED_TESTS=OFF >/dev/null
cmake --build $build --target fuzz_argv fuzz_spec fuzz_profile fuzz_docker_seccomp

# Seeds: the real inputs of the tests.
seeds=$build/seeds
rm -rf "$seeds" && mkdir -p "$seeds"/{argv,spec,profile,docker_seccomp}
for kind in create exec update; do
  for file in tests/data/docker-20.10/$kind/*.json; do cp "$file" "$seeds/spec/$kind-$(basename "$file")"; done
done
cp profiles/*.json integration/profiles/*.json "$seeds/profile/"
i=0
while read -r line; do
  i=$((i + 1))
  # one argv per line of argv.txt, the words NUL-separated (the harness's input format)
  printf '%s' "$line" | sed 's/^[^ ]* //' | tr ' ' '\0' >"$seeds/argv/$i"
done < <(grep -v '^#' tests/data/docker-20.10/argv.txt | grep -v '^$')
jq .seccomp profiles/default.json >"$seeds/docker_seccomp/default.json"
reference=../shared/reference/seccomp
[ ! -d "$reference" ] || cp "$reference"/*.json "$seeds/docker_seccomp/"

status=0
for harness in argv spec profile docker_seccomp; do
  regressions=tests/fuzz/regressions/$harness
  corpus=$build/corpus/$harness
  mkdir -p "$regressions" "$corpus" "$build/crashes"
  if compgen -G "$regressions/*" >/dev/null; then
    "$build/fuzz/fuzz_$harness" "$regressions"/* >"$build/$harness-regressions.log" 2>&1 ||
      { echo "FAIL: fuzz_$harness crashes on a saved regression input (see $build/$harness-regressions.log)"; status=1; continue; }
  fi
  if "$build/fuzz/fuzz_$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$harness-" "$corpus" "$seeds/$harness" >"$build/$harness.log" 2>&1; then
    echo "ok: fuzz_$harness, $seconds s: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$harness.log" | grep -o '[0-9]*$') inputs, no crash"
  else
    for crash in "$build/crashes/$harness-"*; do cp "$crash" "$regressions/"; done
    echo "FAIL: fuzz_$harness found a crash, saved in $regressions/ (see $build/$harness.log)"
    status=1
  fi
done
exit $status
