#!/usr/bin/env bash
# The code runc's calls run is laid out first (cmake/hot-path.ld): the functions that pass-through and
# create cannot do without must sit inside .text.hardened_path. A rename or a new signature makes the
# generated list miss them silently (slower, not wrong): this says so and how to regenerate it.
set -euo pipefail
binary=$1
read -r start size < <(readelf -SW "$binary" | awk '$2 == ".text.hardened_path" {print $4, $6}') || true
if [ -z "${start:-}" ]; then
  echo "no .text.hardened_path section in $binary: is cmake/hot-path.ld linked in?" >&2
  exit 1
fi
start=$((16#$start)); end=$((start + 16#$size))
symbols=$(nm -C --defined-only "$binary")
missing=0
for fn in 'hardened::plan_fast_passthrough(' 'hardened::run_runtime(' 'hardened::plan_bundle(' 'hardened::parse_json_around' \
          'hardened::find_member_span(' 'hardened::parse_profile(' 'hardened::decide_spec(' 'hardened::recall_seccomp_meet(' \
          'hardened::dump_json(' 'hardened::replace_file_atomically(' 'hardened::write_audit_line('; do
  address=$(awk -v fn="$fn" 'index($0, fn) {print $1; exit}' <<<"$symbols")
  if [ -z "$address" ]; then echo "$fn: not in the binary" >&2; missing=1; continue; fi
  a=$((16#$address))
  if [ "$a" -lt "$start" ] || [ "$a" -ge "$end" ]; then
    echo "$fn is outside .text.hardened_path" >&2
    missing=1
  fi
done
if [ "$missing" != 0 ]; then
  echo "regenerate the hot path order: scripts/hot-path.sh" >&2
  exit 1
fi
echo "hot path: $(( (end - start) / 1024 )) KiB at the start of the code, holding the calls' functions"
