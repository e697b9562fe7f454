#!/usr/bin/env bash
# The escape-attempt suite: the same attempts in a container started by stock Docker (runtime runc)
# and by hardened-runtime, as a table `probe | stock | hardened`. Fails if any hardened cell is not
# blocked. Needs the test dockerd (ctest fixture docker.start); starts and stops a lockdown daemon.
#   HR_BUILD=build HR_SOURCE=. integration/escape_suite.sh
source "$(dirname "$0")/lib.sh"
require dockerd jq
dk info >/dev/null 2>&1 || fail "the test dockerd is not running (ctest starts it as the fixture docker.start)"

name=it-escape-$$
placeholder=""
cleanup() {
  dk rm -f "$name-stock" "$name-hardened" >/dev/null 2>&1 || true
  [ -z "$placeholder" ] || rm -f "$placeholder"
  "$(dirname "$0")/dockerd.sh" stop lockdown >/dev/null 2>&1 || true
}
trap cleanup EXIT

rows=()  # "probe|stock|hardened|hardened verdict"
add() { rows+=("$1|$2|$3|$4"); }

# 1. The probe program (integration/probe.c) inside each container.
stock=$(dk run --rm --runtime=runc --network none "$IMAGE" probe)
hardened=$(dk run --rm --runtime=hardened --network none "$IMAGE" probe)
while read -r probe verdict detail; do
  s=$(probe_result "$probe" "$stock")
  add "$probe" "${s% *} (${s#* })" "$verdict ($detail)" "$verdict"
done <<<"$hardened"

# 2. What a user asks docker for.
verdict_of() { [ "$1" = blocked ] && echo blocked || echo allowed; }
for runtime in runc hardened; do dk run -d --name "$name-$runtime" --runtime=$runtime --network none "$IMAGE" sleep 300 >/dev/null; done
dk rename "$name-runc" "$name-stock"
s=$(dk exec -u 0 "$name-stock" id -u) h=$(dk exec -u 0 "$name-hardened" id -u)
add "docker_exec_-u_0" "$( [ "$s" = 0 ] && echo allowed || echo blocked) (uid=$s)" "$( [ "$h" = 0 ] && echo allowed || echo blocked) (uid=$h)" "$( [ "$h" = 0 ] && echo allowed || echo blocked)"
capeff() {  # (a host without every capability in its bounding set cannot start a --privileged exec)
  local v
  v=$(dk exec --privileged "$1" grep CapEff /proc/self/status 2>&1 | cut -f2 || true)
  [[ $v =~ ^[0-9a-f]{16}$ ]] && echo "$v" || echo "exec failed on this host"
}
s=$(capeff "$name-stock") h=$(capeff "$name-hardened")
cap_verdict() { case $1 in 0000000000000000) echo blocked ;; *[!0-9a-f]*) echo "n/a" ;; *) echo allowed ;; esac; }
add "docker_exec_--privileged" "$(cap_verdict "$s") (CapEff=$s)" \
  "$( [ "$h" = 0000000000000000 ] && echo blocked || echo allowed) (CapEff=$h)" "$( [ "$h" = 0000000000000000 ] && echo blocked || echo allowed)"
pids_after_update() {
  dk update --pids-limit 100000 "$1" >/dev/null
  cat "/sys/fs/cgroup/pids$(docker_cgroup_parent main)/$(dk inspect -f '{{.Id}}' "$1")/pids.max"
}
s=$(pids_after_update "$name-stock") h=$(pids_after_update "$name-hardened")
add "docker_update_past_ceiling" "$( [ "$s" = 100000 ] && echo allowed || echo blocked) (pids.max=$s)" \
  "$( [ "$h" = 100000 ] && echo allowed || echo blocked) (pids.max=$h)" "$( [ "$h" = 100000 ] && echo allowed || echo blocked)"
started() {  # docker run ARGS...: "allowed (started)" or "blocked (refused by rule ...)"
  local out
  if out=$(dk run --rm --network none "$@" "$IMAGE" true 2>&1); then echo "allowed (started)"; else
    echo "blocked ($(grep -o 'refused by rule [a-z_.]*' <<<"$out" | head -n1 || echo "failed to start here"))"
  fi
}
if [ ! -e /var/run/docker.sock ]; then placeholder=/var/run/docker.sock && : >"$placeholder"; fi
for ask in "--privileged" "-v /var/run/docker.sock:/var/run/docker.sock" "--pid=host" "--cap-add=SYS_ADMIN" "-v /:/host"; do
  s=$(started --runtime=runc $ask) h=$(started --runtime=hardened $ask)
  add "docker_run_${ask// /_}" "$s" "$h" "${h%% *}"
done
# 3. Identity and resource attempts (integration/escape_identity.sh).
source "$(dirname "$0")/escape_identity.sh"
source "$(dirname "$0")/escape_wx.sh"  # W^X, device nodes, stdio
source "$(dirname "$0")/escape_spelling.sh"  # keys runc's decoder reads as another field, --help=false, crun's annotations
source "$(dirname "$0")/escape_spec_reach.sh"  # hooks, a mount of the host's disk, runc's recursive mount options
source "$(dirname "$0")/escape_memo.sh"  # a forged seccomp memo entry
source "$(dirname "$0")/escape_mounts.sh"  # volumes: binds of /etc, /run, the audit log dir; proc, sysfs
"$(dirname "$0")/dockerd.sh" start lockdown --lockdown >/dev/null
s=$(dk run --rm --runtime=runc --network none "$IMAGE" id -u) h=$(DAEMON=lockdown dk run --rm --runtime=runc --network none "$IMAGE" id -u)
add "--runtime=runc_(lockdown_on)" "$( [ "$s" = 0 ] && echo allowed || echo blocked) (uid=$s)" "$( [ "$h" = 0 ] && echo allowed || echo blocked) (uid=$h)" \
  "$( [ "$h" = 0 ] && echo allowed || echo blocked)"

# The table, for the test log and the README.
table=$IT_DIR/escape-table.md
{
  echo "| probe | stock Docker (runc) | hardened-runtime |"
  echo "| --- | --- | --- |"
  for row in "${rows[@]}"; do IFS='|' read -r probe s h _ <<<"$row"; echo "| \`$probe\` | $s | $h |"; done
} >"$table"
cat "$table"
open=0
for row in "${rows[@]}"; do
  IFS='|' read -r probe _ h verdict <<<"$row"
  [ "$verdict" = blocked ] || { echo "NOT BLOCKED under hardened-runtime: $probe: $h" >&2; open=$((open + 1)); }
done
[ ${#rows[@]} -ge 30 ] || fail "only ${#rows[@]} probes ran (30 or more expected)"
[ $open = 0 ] || fail "$open of ${#rows[@]} probes were not blocked under hardened-runtime"
echo "PASS: all ${#rows[@]} probes blocked under hardened-runtime ($table)"
