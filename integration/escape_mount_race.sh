#!/bin/bash
# Escape attempt: swap a bind source between the check and runc's mount (issue 16, "no race").
# A symlink flipped in a loop between a harmless directory and the host's /run, and a directory
# swapped by rename with one that holds an engine socket (docker.sock); each container reports what it got on /h. Stock runc: some get /run. Hardened:
# every container either is refused (it saw /run) or gets the harmless directory: 0 of N wrong.
# Usage: escape_mount_race.sh HARDENED_RUNTIME_BINARY [N]
set -u
HR=${1:?hardened-runtime binary}
N=${2:-30}
T=$(mktemp -d /tmp/hr-race-XXXXXX)
# A directory only root can change (the harmless side of variant 3); /tmp is not one.
R=$(mktemp -d /run/hr-race-root-XXXXXX)
cleanup() { [ -n "${FLIP:-}" ] && kill "$FLIP" 2>/dev/null; wait 2>/dev/null; rm -rf "$T" "$R"; }
trap cleanup EXIT
mkdir -p "$T/b/rootfs/bin" "$T/b/rootfs/h" "$T/shared/safe" "$T/shared/evil"
cp /bin/busybox "$T/b/rootfs/bin/" && ln -s busybox "$T/b/rootfs/bin/sh" && ln -s busybox "$T/b/rootfs/bin/ls"
echo SAFE > "$T/shared/safe/marker"
# The swapped-in directory holds a container engine's socket (as /run/docker does): refused when seen.
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/shared/evil/docker.sock"
chmod 1777 "$T/shared"  # a directory another container (or user) can write: the attacker's
echo "{\"state_dir\":\"$T/state\",\"log_file\":\"$T/audit.log\",\"profiles_dir\":\"$(cd "$(dirname "$0")/.." && pwd)/profiles\"}" >"$T/hr.json"
(cd "$T/b" && runc spec && python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
d = json.load(open('config.json'))
d['process']['terminal'] = False
d['process']['args'] = ['sh', '-c', 'if [ -e /h/marker ]; then echo GOT=safe; else echo GOT=other; fi']
d['mounts'].append({'destination': '/h', 'type': 'bind', 'source': t + '/shared/link', 'options': ['rbind', 'ro']})
json.dump(d, open('config.json.orig', 'w'))
PY
)
run_all() {  # $1: runtime label
  local wrong=0 refused=0 safe=0 i out
  for i in $(seq 1 "$N"); do
    cp "$T/b/config.json.orig" "$T/b/config.json"
    if [ "$1" = stock ]; then out=$(cd "$T/b" && timeout 20 runc run "race$$-$i" 2>&1)
    else out=$(cd "$T/b" && HARDENED_RUNTIME_CONFIG=${HR_CONFIG:-$T/hr.json} timeout 20 "$HR" run "race$$-$i" 2>&1); fi
    case "$out" in *GOT=safe*) safe=$((safe + 1)) ;; *GOT=other*) wrong=$((wrong + 1)) ;; *) refused=$((refused + 1)) ;; esac
    runc delete -f "race$$-$i" >/dev/null 2>&1
  done
  echo "$1 $2: $wrong of $N got another object ($safe the checked one, $refused refused)"
  [ "$1" = stock ] || [ "$wrong" -eq 0 ]
}
status=0
# Variant 1: symlink swap (link -> safe / link -> /run).
ln -sfn "$T/shared/safe" "$T/shared/link"
( while :; do ln -sfn /run "$T/shared/l.new" && mv -T "$T/shared/l.new" "$T/shared/link"; ln -sfn "$T/shared/safe" "$T/shared/l.new" && mv -T "$T/shared/l.new" "$T/shared/link"; done ) &
FLIP=$!
run_all stock symlink-swap
run_all hardened symlink-swap || status=1
kill "$FLIP"; wait "$FLIP" 2>/dev/null; FLIP=
# Variant 2: directory swap (rename safe <-> evil under the name "link").
rm -f "$T/shared/link"; mv "$T/shared/safe" "$T/shared/link"
( while :; do mv -T "$T/shared/link" "$T/shared/tmp" && mv -T "$T/shared/evil" "$T/shared/link" && mv -T "$T/shared/tmp" "$T/shared/evil2" \
    && mv -T "$T/shared/link" "$T/shared/evil" && mv -T "$T/shared/evil2" "$T/shared/link"; done ) 2>/dev/null &
FLIP=$!
run_all stock dir-swap
run_all hardened dir-swap || status=1
kill "$FLIP"; wait "$FLIP" 2>/dev/null; FLIP=
# Variant 3: a host config without state_dir (nothing staged), the link flipped between a directory
# only root can change and /run. What the link points at is root's alone, but the link is not: rule
# mount_race must see the user's directory on runc's way (links followed), not only the real path.
echo "{\"state_dir\":\"\",\"log_file\":\"$T/audit.log\",\"profiles_dir\":\"$(cd "$(dirname "$0")/.." && pwd)/profiles\"}" >"$T/hr-unstaged.json"
echo SAFE >"$R/marker"
rm -rf "$T/shared/link"; ln -sfn "$R" "$T/shared/link"
( while :; do ln -sfn /run "$T/shared/l.new" && mv -T "$T/shared/l.new" "$T/shared/link"; ln -sfn "$R" "$T/shared/l.new" && mv -T "$T/shared/l.new" "$T/shared/link"; done ) &
FLIP=$!
run_all stock link-to-root-only-swap
HR_CONFIG=$T/hr-unstaged.json run_all hardened link-to-root-only-swap-no-state_dir || status=1
exit $status
