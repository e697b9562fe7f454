#!/usr/bin/env bash
# Regenerates cmake/hot-path.ld, the order in which the linker puts the code runc's calls run.
#
# Every call starts a fresh process, and each first touch of a 64 KiB window of code costs a page
# fault (~3.5 µs here) plus cold caches and TLB. Left to the linker's order (by object file) a create
# touched 25 windows spread over 2 MiB; with the code it runs put first, grouped by the call that first
# runs it (pass-through, then create, exec, update), it touches a third of that (README, "Performance").
#
# The list is measured, not guessed: callgrind records which instructions each kind of call runs, the
# link map says which input section holds each, and the script writes one linker-script line per
# section. A stale list only costs speed (a pattern that matches nothing is ignored); regenerate it
# after changing what a call runs:   scripts/hot-path.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; }
cmake --build "$build" --target hardened-runtime runc-standin
bin=$build/hardened-runtime
map=$build/hardened-runtime.map
data=tests/data/docker-20.10
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundle"
id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
for kind in remembered unremembered; do
  state=$work/state; [ $kind = unremembered ] && state=""
  printf '{"runtime":"%s","profiles_dir":"%s","log_file":"%s","state_dir":"%s"}\n' \
    "$PWD/$build/runc-standin" "$PWD/profiles" "$work/audit.log" "$state" >"$work/$kind.json"
done

# One run per kind of call, in the order the lines go out; callgrind stops at the exec of runc.
n=0
record() {
  local config=$1; shift
  n=$((n + 1))
  valgrind -q --tool=callgrind --dump-instr=yes --compress-pos=no --compress-strings=no --dump-before='*execv*' \
    --callgrind-out-file="$work/cg.$n" \
    "$bin" --config "$work/$config.json" --root "$work/runc" --log "$work/log.json" --log-format json "$@" >/dev/null 2>&1 || true
}
create() {
  cp "$data/create/default.json" "$work/bundle/config.json"
  rm -f "$work/state/$id.json"
  "$@" create --bundle "$work/bundle" --pid-file "$work/init.pid" "$id"
}
# The create that finds its seccomp meet (nearly every create) goes right after pass-through, so that
# its code lies together: the meet is remembered first by a run that is not recorded. Then the creates
# that compute the meet (without and with remembering it), exec and update.
create "$bin" --config "$work/remembered.json" --root "$work/runc" >/dev/null 2>&1 || true
record remembered state "$id"
create record remembered
create record unremembered
rm -rf "$work/state/seccomp-meets"
create record remembered  # the first create after a change: computes its meet and remembers it
cp "$data/exec/default.json" "$work/process.json"
record remembered exec --process "$work/process.json" --detach "$id"
record remembered update --resources "$data/update/docker-update.json" "$id"

# The instructions each run ran, as offsets in the binary ("RUN OFFSET"), the runs in the order above.
# Addresses, not function names: callgrind names the part of a function GCC moved out (".cold") or
# not, depending on where the layout put it, and a list made from names lost such parts every other
# time it was regenerated. valgrind loads the binary at a base of its own: each call's target address
# less the called function's address in the binary says which (the most common answer is taken).
# Within a run the lines are sorted (below), so that a regenerated list differs only where the code did.
export LC_ALL=C
# A hexadecimal number (with or without 0x) as a number: mawk has no strtonum.
hex_fn='function hex(s,   i, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
  for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
  return v }'
nm --defined-only "$bin" | awk '$2 ~ /^[tTwW]$/ {print $3, $1}' >"$work/symbols"
for f in $(ls "$work"/cg.* | sort -t. -k2,2n -k3,3n); do
  run=${f#"$work"/cg.}; run=${run%%.*}
  awk -v run="$run" "$hex_fn"'
    FILENAME == ARGV[1] { offset[$1] = hex($2); next }
    /^cfn=/ { called = substr($0, 5); next }
    /^calls=/ { seen[$2] = 1; if (called in offset) votes[hex($2) - offset[called]]++; called = ""; next }
    /^0x/ { seen[$1] = 1 }
    END {
      for (b in votes) if (votes[b] > best) { best = votes[b]; base = b }
      if (best == 0) exit
      for (a in seen) printf "%d %x\n", run, hex(a) - base
    }
  ' "$work/symbols" "$f"
done >"$work/ordered"
[ -s "$work/ordered" ] || { echo "no instructions recorded: did valgrind run the binary?" >&2; exit 1; }

# Input sections of .text from the link map, "ADDRESS SIZE SECTION FILE" (a long section name stands
# on a line of its own, its address, size and file on the next).
awk '
  /^Linker script and memory map/ { on = 1 }
  !on { next }
  $1 ~ /^\.text/ && NF == 1 { pending = $1; next }
  pending != "" && NF >= 3 && $1 ~ /^0x/ { if ($2 != "0x0") print $1, $2, pending, $3; pending = ""; next }
  { pending = "" }
  $1 ~ /^\.text/ && NF >= 4 && $2 ~ /^0x/ && $3 != "0x0" { print $2, $3, $1, $4 }
' "$map" >"$work/sections"

{
  echo "/* Generated by scripts/hot-path.sh: the code runc's calls run, grouped by the call that first runs it."
  echo "   Inserted before .text, so these calls touch a few 64 KiB windows of code instead of the"
  echo "   whole binary. Regenerate after changing what a call runs; a stale line only costs speed. */"
  echo "SECTIONS"
  echo "{"
  echo "  .text.hardened_path :"
  echo "  {"
  # The section holding each instruction (binary search by address), as a linker-script pattern.
  awk "$hex_fn"'
    FILENAME == ARGV[1] { start[n] = hex($1); end[n] = start[n] + hex($2); name[n] = $3; file[n] = $4; n++; next }
    {
      a = hex($2); lo = 0; hi = n - 1; hit = -1
      while (lo <= hi) { mid = int((lo + hi) / 2); if (start[mid] <= a) { hit = mid; lo = mid + 1 } else hi = mid - 1 }
      if (hit < 0 || a >= end[hit]) next
      section = name[hit]; member = file[hit]
      if (match(member, /lib[^\/()]*\.a\(/)) {
        archive = substr(member, RSTART, RLENGTH - 1); object = substr(member, RSTART + RLENGTH); sub(/\)$/, "", object)
        # glibc picks a string function variant for the CPU at run time (valgrind reports AVX2, the
        # host may take EVEX): every variant of the function goes in, after the rest, so that the
        # variants this CPU does not take do not spread the code it runs.
        # Within them, the AVX-512 (evex) variants first, then the AVX2 ones: a CPU takes one kind.
        if (archive == "libc.a" && object ~ /^[a-z0-9_]+-(sse|avx|evex)/) {
          sub(/-.*/, "-*.o", object); line = "*libc.a:" object
          if (!seen[line]++) variants = variants "97 " line "(.text.evex .text.evex512 .text.avx512)\n" \
                                                 "98 " line "(.text.avx)\n" "99 " line "(.text .text.*)\n"
          next
        }
        line = (section ~ /^\.text\../ && archive != "libc.a") ? "*(" section ")" : "*" archive ":" object "(" section ")"
      } else if (section ~ /^\.text\../) {
        line = "*(" section ")"   # a function section of ours: its name is the function
      } else {
        line = member; sub(/.*\//, "", line); line = "*" line "(" section ")"
      }
      if (!seen[line]++) print $1, line
    }
    # What callgrind does not see run: the entry point and what glibc and the C runtime set up before
    # it, and the exec of runc itself (each run is dumped before it).
    END { printf "%s", variants "0 *rcrt1.o(.text)\n0 *crtbeginS.o(.text)\n0 *libc.a:dl-object.o(.text)\n" \
                                "0 *libc.a:dl-setup_hash.o(.text)\n0 *libc.a:dl-lookup.o(.text)\n0 *libc.a:execve.o(.text)\n" }
  ' "$work/sections" "$work/ordered" | sort -k1,1n -k2 | sed 's/^[0-9]* /    /' 
  echo "  }"
  echo "}"
  echo "INSERT BEFORE .text;"
} >cmake/hot-path.ld
echo "cmake/hot-path.ld: $(grep -c '^    \*' cmake/hot-path.ld) input sections for the $(wc -l <"$work/ordered") instructions the calls ran"
