# Sourced by escape_suite.sh (after escape_wx.sh): Docker volumes that mount what a bind of the same
# host path would (issue 16). `docker volume create -o type=none -o o=bind -o device=DIR` is a bind
# of DIR made by dockerd, `-o type=proc`/`sysfs` a kernel filesystem of the host's namespaces; the
# container only sees a volume's _data, so the source must be judged by what is mounted there.
mv_vol=it-escape-mv-$$
mv_cleanup() { for v in etc run proc sysfs log; do dk volume rm -f "$mv_vol-$v" >/dev/null 2>&1 || true; done; }
mv_cleanup
dk volume create -o type=none -o o=bind -o device=/etc "$mv_vol-etc" >/dev/null
dk volume create -o type=none -o o=bind -o device=/run "$mv_vol-run" >/dev/null
dk volume create -o type=proc -o device=proc "$mv_vol-proc" >/dev/null
dk volume create -o type=sysfs -o device=sysfs "$mv_vol-sysfs" >/dev/null
dk volume create -o type=none -o o=bind -o device="$IT_DIR" "$mv_vol-log" >/dev/null  # the audit log's directory
volume_probe() { run_as "$1" -u 0 -v "$2:/h" -- sh -c "$3"; }
mv_row() {  # probe volume allowed_when command
  row "$1" "$3" "$(volume_probe runc "$2" "$4")" "$(volume_probe hardened "$2" "$4")"
}
mv_row "volume_bind_/etc_read_shadow" "$mv_vol-etc" "*read*" 'head -c1 /h/shadow >/dev/null 2>&1 && echo read || echo denied'
mv_row "volume_bind_/run_listed" "$mv_vol-run" "*listed*" '[ -n "$(ls -A /h 2>/dev/null)" ] && echo listed || echo empty'
# The host's pid namespace: more processes than the one this container runs.
mv_row "volume_type=proc_host_pids" "$mv_vol-proc" "*host*" 'n=$(ls /h | grep -c "^[0-9]"); [ "$n" -gt 2 ] && echo "host pids: $n" || echo "pids: $n"'
mv_row "volume_type=sysfs_listed" "$mv_vol-sysfs" "*listed*" '[ -d /h/kernel ] && echo listed || echo empty'
mv_row "volume_bind_audit_log_dir_read" "$mv_vol-log" "*read*" 'head -c1 /h/audit.log >/dev/null 2>&1 && echo read || echo denied'
mv_cleanup
