# Sourced by escape_suite.sh (after escape_spelling.sh, whose helpers it uses): what a spec can reach on
# the host through fields no bind rule reads, each run by runc directly (no engine writes these).
#   hooks: runc runs them on the host, as root, outside the container; Docker's own, with another
#   container's id, moves that container's network into this one.
#   A mount that is not a bind, of the host's disk: the whole root filesystem, writable.
#   runc 1.1's recursive options ("rexec", "rrw"), applied after the mount wherever they stand:
#   "rexec" undid the appended "noexec"; "ro","rrw" looked read-only to the rules and was writable.
#   "remount": runc changes the mount already at the destination, a filesystem of the host's.
#   The mount namespace: joined by path (pivot_root moves the root of every process in it), or with
#   shared propagation (the container's mounts appear on the host, over the host's own files).
#   A user namespace mapping the container's uid 1001 (which the user rule lets through) to the
#   host's root: it reads a root-only file through a bind.
#   A second proc or sysfs, where linux.maskedPaths does not reach.
#   A destination the image's symlinks lead to /dev/null: runc init reopens stdio onto what is mounted there.
#   Docker's volume path with a bind of the host's / on it: bind_sources_allowed names the path, not that.
#   The host's mounts below a bind's source come with it, each with its own flags: "noexec" and "ro"
#   on the bind set only its top (the words reach below it as rnoexec and rro on a kernel ≥ 5.12).
hook_attempt() {  # RUNTIME-COMMAND...: "hook ran ..." when the hook ran on the host, else what happened
  local id=it-escape-hook-$$ bundle marker=$IT_DIR/hook-ran-$$ out
  rm -f "$marker"
  bundle=$(make_bundle "$id" default id -u)
  jq --arg m "$marker" '.hooks.prestart = [{"path": "/bin/sh", "args": ["sh", "-c", ("id -u > " + $m)]}]' "$bundle/config.json" >"$bundle/c" &&
    mv "$bundle/c" "$bundle/config.json"
  out=$(output_or_why "$@" run --bundle "$bundle" "$id")
  cleanup_container "$id" >/dev/null 2>&1
  if [ -f "$marker" ]; then echo "hook ran on the host as uid $(cat "$marker")"; rm -f "$marker"; else echo "$out"; fi
}
row "runc_run_spec_hooks.prestart_(sh_on_the_host)" "hook ran*" "$(hook_attempt plain_runc)" "$(hook_attempt hr)"

# Docker's own hook, whose program the profile lists, naming another container: libnetwork-setkey sends
# the id in args[2] to <exec-root>/libnetwork/<controller>.sock and dockerd moves that container's network
# sandbox into this one's namespace. The exec root here is a scratch directory where no dockerd listens:
# the hook dies once it dialed, and its message (the socket of the spec's own exec root) shows that runc
# ran dockerd with the spec's arguments.
setkey_attempt() {  # DOCKERD RUNTIME-COMMAND...
  local dockerd=$1 id=it-escape-setkey-$$ bundle out exec_root=$IT_DIR/setkey-$$
  shift
  bundle=$(make_bundle "$id" default id -u)
  jq --arg d "$dockerd" --arg r "$exec_root" --arg other "8d413a33dccbbd9e4b730c0c88ac419b7171978d6b93701a4194786aae27ffc1" \
    '.hooks.prestart = [{"path": $d, "args": ["libnetwork-setkey", ("-exec-root=" + $r), $other, "bcdfdc72d4c6"]}]' \
    "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  out=$("$@" run --bundle "$bundle" "$id" 2>&1 </dev/null) || true
  cleanup_container "$id" >/dev/null 2>&1
  if [[ $out == *"$exec_root/libnetwork/bcdfdc72d4c6.sock"* ]]; then
    echo "dockerd ran as the hook, dialing its exec root's socket with another container's id"
  elif [[ $out == *"refused by rule hooks"*"is not the id of the container being created"* ]]; then
    echo "refused by rule hooks (its args[2] is not the id of the container being created)"
  else
    echo "$(grep -o 'refused by rule [a-z_.]*' <<<"$out" | head -n1 || echo "failed: ${out:0:90}")"
  fi
}
setkey_dockerd=$(command -v /usr/sbin/dockerd /usr/bin/dockerd /usr/local/bin/dockerd | head -n1 || true)
if [ -n "$setkey_dockerd" ]; then
  row "runc_run_spec_hooks.prestart_dockerd_libnetwork-setkey_(another_container's_id)" "dockerd ran*" \
    "$(setkey_attempt "$setkey_dockerd" plain_runc)" "$(setkey_attempt "$setkey_dockerd" hr)"
else
  row "runc_run_spec_hooks.prestart_dockerd_libnetwork-setkey_(another_container's_id)" "dockerd ran*" "n/a (no dockerd here)" "n/a (no dockerd here)"
fi

# The host's root filesystem by its device (derived from this host: whatever / is mounted from).
root_dev=$(findmnt -no SOURCE / 2>/dev/null || true) root_type=$(findmnt -no FSTYPE / 2>/dev/null || true)
if [ -b "$root_dev" ]; then
  spelling_row "runc_run_mount_type=${root_type}_of_the_host's_${root_dev}" "[0-9]*" create \
    ".mounts += [{\"destination\": \"/host\", \"type\": \"$root_type\", \"source\": \"$root_dev\", \"options\": [\"rw\"]}]"
else
  row "runc_run_mount_of_the_host's_root_device" "[0-9]*" "n/a (/ is $root_type from $root_dev, not a block device)" \
    "n/a (/ is $root_type from $root_dev, not a block device)"
fi

# A writable bind with "rexec": a program copied there runs unless noexec holds (busybox as "true").
reach_dir=$IT_DIR/escape-reach-$$
mkdir -p "$reach_dir" && chmod 1777 "$reach_dir"
spelling_row "runc_run_bind_rbind,rexec_(exec_what_was_written)" "*exec-ok*" create \
  ".mounts += [{\"destination\": \"/h\", \"type\": \"bind\", \"source\": \"$reach_dir\", \"options\": [\"rbind\", \"rexec\"]}]
   | .process.args = [\"sh\", \"-c\", \"d=\$(mktemp -d -p /h) && cp /bin/busybox \$d/true && \$d/true && echo exec-ok\"]"
# The same directory bound writable on /w and read-only on /x: written through one, run through the other.
spelling_row "runc_run_bind_twice_rw_and_ro_(write_through_one,_exec_through_the_other)" "*exec-ok*" create \
  ".mounts += [{\"destination\": \"/w\", \"type\": \"bind\", \"source\": \"$reach_dir\", \"options\": [\"rbind\"]},
               {\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"$reach_dir\", \"options\": [\"rbind\", \"ro\"]}]
   | .process.args = [\"sh\", \"-c\", \"d=\$(mktemp -d -p /w) && cp /bin/busybox \$d/true && /x/\${d#/w/}/true && echo exec-ok\"]"
# The same directory, world-writable (as a volume another container writes to is to that container),
# bound only read-only: a program another user left there runs unless noexec holds.
mkdir -p "$reach_dir/other" && cp "$(rootfs)/bin/busybox" "$reach_dir/other/true" && chown -R 65534:65534 "$reach_dir/other"
spelling_row "runc_run_bind_ro_of_a_directory_others_write_(exec_what_they_left)" "*exec-ok*" create \
  ".mounts += [{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"$reach_dir\", \"options\": [\"rbind\", \"ro\"]}]
   | .process.args = [\"sh\", \"-c\", \"/x/other/true && echo exec-ok\"]"
# "ro","rrw" on the directory of the audit log and the host config: writable, so refused (runtime_paths).
spelling_row "runc_run_bind_of_the_runtime's_dir_ro,rrw_(write)" "*wrote*" create \
  ".mounts += [{\"destination\": \"/h\", \"type\": \"bind\", \"source\": \"$IT_DIR\", \"options\": [\"rbind\", \"ro\", \"rrw\"]}]
   | .process.args = [\"sh\", \"-c\", \"touch /h/escape-reach-written-\$\$ && echo wrote\"]"
rm -rf "$reach_dir" "$IT_DIR"/escape-reach-written-*

# A host directory with a tmpfs mounted below it (exec and writable, as a disk or a USB stick would
# be), bound in writable and read-only: a program copied below runs, a file written below stays.
below_dir=$IT_DIR/escape-below-$$
mkdir -p "$below_dir/sub" && mount -t tmpfs -o size=4m,mode=1777 tmpfs "$below_dir/sub"
if [ "$(uname -r | awk -F. '{ print ($1 > 5 || ($1 == 5 && $2 >= 12)) }')" = 1 ]; then
  spelling_row "runc_run_bind_rbind_a_host_mount_below_(exec_what_was_written_there)" "*exec-ok*" create \
    ".mounts += [{\"destination\": \"/h\", \"type\": \"bind\", \"source\": \"$below_dir\", \"options\": [\"rbind\", \"rw\"]}]
     | .process.args = [\"sh\", \"-c\", \"d=\$(mktemp -d -p /h/sub) && cp /bin/busybox \$d/true && \$d/true && echo exec-ok\"]"
  spelling_row "runc_run_bind_rbind,ro_a_host_mount_below_(write_there)" "*wrote*" create \
    ".mounts += [{\"destination\": \"/h\", \"type\": \"bind\", \"source\": \"$below_dir\", \"options\": [\"rbind\", \"ro\"]}]
     | .process.args = [\"sh\", \"-c\", \"touch /h/sub/written-\$\$ && echo wrote\"]"
else  # open there: docs/threat-model.md
  echo "kernel $(uname -r) < 5.12: no recursive mount flags, the rows for a host mount below a bind are not run" >&2
fi
umount "$below_dir/sub" && rm -rf "$below_dir"

# Joining an existing mount namespace by path: runc's pivot_root moves the root of every process in
# it into the bundle's rootfs. A victim namespace (unshare -m) stands in for the host's /proc/1/ns/mnt.
mntns_attempt() {  # RUNTIME-COMMAND...
  local id=it-escape-mntns-$$ bundle victim out
  unshare -m --propagation private sleep 300 >/dev/null 2>&1 &
  victim=$!
  sleep 0.3
  bundle=$(make_bundle "$id" default id -u)
  jq --arg p "/proc/$victim/ns/mnt" '.linux.namespaces = [.linux.namespaces[] | select(.type != "mount")] + [{"type": "mount", "path": $p}]' \
    "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  out=$(output_or_why "$@" run --bundle "$bundle" "$id")
  cleanup_container "$id" >/dev/null 2>&1
  if [ "$(stat -Lc %d:%i "/proc/$victim/root/")" != "$(stat -Lc %d:%i /)" ]; then echo "the victim's root is now the bundle's"; else echo "$out"; fi
  kill "$victim" 2>/dev/null
  wait "$victim" 2>/dev/null || true
}
row "runc_run_namespace_mount_path_(another_namespace's_root_moved)" "*bundle's*" "$(mntns_attempt plain_runc)" "$(mntns_attempt hr)"

# Shared propagation: a host directory on a shared mount (as / is on a systemd host; a scratch tmpfs
# made shared stands in), bound in with rootfsPropagation rshared, then a tmpfs over it: the
# container's tmpfs appears on the host, over the host's directory, and stays after the container.
shared_attempt() {  # RUNTIME-COMMAND...
  local id=it-escape-shared-$$ bundle base=$IT_DIR/escape-shared-$$ out
  mkdir -p "$base" && mount -t tmpfs -o size=1m tmpfs "$base" && mount --make-shared "$base"
  mkdir -p "$base/target" && echo host >"$base/target/file"
  bundle=$(make_bundle "$id" default id -u)
  jq --arg s "$base/target" '.linux.rootfsPropagation = "rshared"
      | .mounts += [{"destination": "/c", "type": "bind", "source": $s, "options": ["rbind", "rw"]},
                    {"destination": "/c", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}]' \
    "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  out=$(output_or_why "$@" run --bundle "$bundle" "$id")
  cleanup_container "$id" >/dev/null 2>&1
  if [ ! -e "$base/target/file" ]; then echo "the container's mount covers the host's directory"; else echo "$out"; fi
  while umount "$base/target" 2>/dev/null; do :; done
  umount "$base" && rmdir "$base"
}
row "runc_run_rootfsPropagation_rshared_(a_mount_on_the_host)" "*covers*" "$(shared_attempt plain_runc)" "$(shared_attempt hr)"

# A user namespace that maps the container's uid 1001 to the host's 0: a root-only 0600 file behind
# a 0700 directory, bound in, is read. (sysfs and Docker's ping_group_range sysctl need the network
# namespace's owner: left out here.)
secret_dir=$IT_DIR/escape-userns-$$
mkdir -p "$secret_dir" && echo root-only-secret >"$secret_dir/secret" && chmod 600 "$secret_dir/secret" && chmod 700 "$secret_dir"
spelling_row "runc_run_uidMappings_1001_to_host_0_(read_a_root-only_file)" "*root-only-secret*" create \
  ".process.user = {\"uid\": 1001, \"gid\": 1001} | .linux.namespaces += [{\"type\": \"user\"}]
   | .linux.uidMappings = [{\"containerID\": 0, \"hostID\": 200000, \"size\": 1}, {\"containerID\": 1001, \"hostID\": 0, \"size\": 1}]
   | .linux.gidMappings = .linux.uidMappings | del(.linux.sysctl)
   | .mounts = [.mounts[] | select(.destination != \"/sys\" and .destination != \"/sys/fs/cgroup\") | .options = [(.options // [])[] | select(. != \"gid=5\")]]
   | .mounts += [{\"destination\": \"/h\", \"type\": \"bind\", \"source\": \"$secret_dir\", \"options\": [\"rbind\"]}]
   | .process.args = [\"cat\", \"/h/secret\"]"
rm -rf "$secret_dir"

# An image's symlink nul -> /dev/null and a host file bound on /nul: runc mounts the file over the
# container's /dev/null, and runc init, still root, reopens the container's stdout (a pipe, which looks
# like that /dev/null) onto it, read-write: the container user writes a root-only 0600 host file.
devnull_attempt() {  # RUNTIME-COMMAND...
  local id=it-escape-devnull-$$ bundle dir=$IT_DIR/escape-devnull-$$ out
  mkdir -p "$dir" && chmod 700 "$dir" && : >"$dir/file" && chmod 600 "$dir/file"
  bundle=$(make_bundle --own-rootfs "$id" default sh -c 'echo written-by-uid-$(id -u)')
  ln -s /dev/null "$bundle/rootfs/nul"
  jq --arg s "$dir/file" '.mounts += [{"destination": "/nul", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]' \
    "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  out=$(output_or_why "$@" run --bundle "$bundle" "$id")
  cleanup_container "$id" >/dev/null 2>&1
  if grep -q written-by-uid "$dir/file"; then echo "the root-only host file holds: $(cat "$dir/file")"; else echo "$out"; fi
  rm -rf "$dir" "$bundle"
}
row "runc_run_bind_on_an_image's_symlink_to_/dev/null_(write_a_root-only_host_file)" "*holds*" "$(devnull_attempt plain_runc)" \
  "$(devnull_attempt hr)"

# A volume whose _data is the root of a filesystem the host also mounts elsewhere (docker volume create
# -o type=none -o o=bind -o device=/): its mount's root is "/", as the mount holding an ordinary volume's
# plain directory is. The default profile's bind_sources_allowed names Docker's volume path; what is
# mounted there is judged by the host's own name for it (/), not let through by the pattern. The path is
# made in a private mount namespace (a tmpfs over /var/lib/docker, or over /var/lib without one), the
# host's / bound on it, and the container gets it read-only.
fsroot_attempt() {  # stock|hardened
  local id=it-escape-fsroot-$$ bundle holder out runtime
  bundle=$(make_bundle "$id" default sh -c '[ -f /h/etc/os-release ] && echo "read the host root filesystem" || echo nothing there')
  jq '.mounts += [{"destination": "/h", "type": "bind", "source": "/var/lib/docker/volumes/v/_data", "options": ["rbind", "ro"]}]' \
    "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  unshare -m --propagation private sh -c 'over=/var/lib/docker; [ -d "$over" ] || over=/var/lib
    mount -t tmpfs -o size=1m,mode=755 tmpfs "$over" && mkdir -p /var/lib/docker/volumes/v/_data &&
    mount --bind / /var/lib/docker/volumes/v/_data && echo ready && exec sleep 300' >"$IT_DIR/fsroot-$$" 2>&1 &
  holder=$!
  for _ in $(seq 50); do grep -q ready "$IT_DIR/fsroot-$$" 2>/dev/null && break; sleep 0.1; done
  if [ "$1" = stock ]; then runtime=(runc --root "$RUNC_ROOT"); else runtime=("$HR_BIN" --config "$(host_config)" --root "$RUNC_ROOT"); fi
  out=$(output_or_why nsenter -t "$holder" -m -- "${runtime[@]}" run --bundle "$bundle" "$id")
  cleanup_container "$id" >/dev/null 2>&1
  kill "$holder" 2>/dev/null
  wait "$holder" 2>/dev/null || true
  rm -f "$IT_DIR/fsroot-$$"
  echo "$out"
}
# Plain runc must reach the host's / here, or the hardened cell would be "blocked" by a set-up that failed.
fsroot_stock=$(fsroot_attempt stock)
[[ $fsroot_stock == "read the host"* ]] || fail "Docker's volume path with the host's / on it was not reached under plain runc: $fsroot_stock"
row "runc_run_bind_of_Docker's_volume_path_holding_a_bind_of_/_(volume_device=/,_ro)" "*read the host*" "$fsroot_stock" \
  "$(fsroot_attempt hardened)"

# A second sysfs, on /sysfs2: linux.maskedPaths hides /sys/firmware (a tmpfs or /dev/null over it), not
# /sysfs2/firmware. (A name of its own: runc makes the destination in the shared rootfs, which the
# engines' tests import as their image.)
spelling_row "runc_run_second_sysfs_on_/sysfs2_(what_maskedPaths_hide)" "unmasked*" create \
  ".mounts += [{\"destination\": \"/sysfs2\", \"type\": \"sysfs\", \"source\": \"sysfs\", \"options\": [\"ro\"]}]
   | .process.args = [\"sh\", \"-c\", \"ls /sysfs2/firmware | grep -q . && echo unmasked: /sysfs2/firmware holds \$(ls /sysfs2/firmware)\"]"

# "remount" on a mount entry: runc passes it to mount(2), which changes the mount already there. Here a
# scratch tmpfs of the host's, bound in, then "remounted" read-only by a proc entry on the same place:
# the host's own mount turns read-only (on / it would be the host's disk).
remount_attempt() {  # RUNTIME-COMMAND...
  local id=it-escape-remount-$$ bundle scratch=$IT_DIR/remount-scratch-$$ out
  mkdir -p "$scratch" && mount -t tmpfs -o size=1m tmpfs "$scratch"
  bundle=$(make_bundle "$id" default id -u)
  jq --arg s "$scratch" '.mounts += [{"destination": "/data", "type": "bind", "source": $s, "options": ["rbind", "rw"]},
                                     {"destination": "/data", "type": "proc", "source": "proc", "options": ["remount", "ro"]}]' \
    "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  out=$(output_or_why "$@" run --bundle "$bundle" "$id")
  cleanup_container "$id" >/dev/null 2>&1
  if findmnt -no OPTIONS "$scratch" | grep -q '^ro'; then echo "the host's mount is now read-only"; else echo "$out"; fi
  umount "$scratch" && rmdir "$scratch"
}
row "runc_run_mount_option_remount_(the_host's_mount_made_ro)" "*read-only*" "$(remount_attempt plain_runc)" "$(remount_attempt hr)"

# linux.cgroupsPath naming a cgroup that is someone else's: runc joins it (only warning that it is not
# empty), writes the container's limits into it, and pause/kill --all reach everything there. The
# victim is a cgroup made here in every hierarchy mounted, with one sleep in it; the cell says whether
# the container's process ended up in the victim's cgroups.
cgroup_victim_attempt() {  # VICTIM VICTIM-PID RUNTIME-COMMAND...
  local victim=$1 victim_pid=$2 id=it-cg-join-$$ bundle out pid
  shift 2
  bundle=$(make_bundle "$id" default sleep 30)
  jq --arg v "$victim" '.linux.cgroupsPath = $v' "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  # the container's stdio are files: a pipe of $(...) would be held open by it until it ends
  if "$@" run -d --bundle "$bundle" "$id" </dev/null >/dev/null 2>"$IT_DIR/cg-join-$$.err"; then
    pid=$(plain_runc state "$id" | jq -r .pid)
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/cgroup")" = "$(cat "/proc/$victim_pid/cgroup")" ]; then
      echo "joined the victim's cgroup $victim ($(wc -l <"$(findmnt -rn -t cgroup,cgroup2 -o TARGET | head -n1)$victim/cgroup.procs") processes in it)"
    else
      echo "started in a cgroup of its own"
    fi
  else
    out=$(cat "$IT_DIR/cg-join-$$.err")
    out=${out#*msg=\"}
    echo "$(grep -o 'refused by rule [a-z_.]*' <<<"$out" | head -n1 || echo "failed: ${out:0:90}")"
  fi
  cleanup_container "$id" >/dev/null 2>&1
  rm -f "$IT_DIR/cg-join-$$.err"
}
cgroup_victim() {  # ACTION(make|remove) PATH [PID]
  local mount
  for mount in $(findmnt -rn -t cgroup,cgroup2 -o TARGET); do
    if [ "$1" = remove ]; then rmdir "$mount$2" 2>/dev/null || true; continue; fi
    mkdir -p "$mount$2"
    # a new v1 cpuset cgroup has no CPUs or memory nodes, and takes no process until given its parent's
    if [ -f "$mount/cpuset.cpus" ] && [ -f "$mount$2/cpuset.cpus" ]; then cat "$mount/cpuset.cpus" >"$mount$2/cpuset.cpus" && cat "$mount/cpuset.mems" >"$mount$2/cpuset.mems"; fi
    echo "$3" >"$mount$2/cgroup.procs"
  done
}
cg_victim=/it-cg-victim-$$
sleep 600 >/dev/null 2>&1 </dev/null &
cg_victim_pid=$!
cgroup_victim make "$cg_victim" "$cg_victim_pid"
cg_plain=$(cgroup_victim_attempt "$cg_victim" "$cg_victim_pid" plain_runc)
cg_hr=$(cgroup_victim_attempt "$cg_victim" "$cg_victim_pid" hr)
kill "$cg_victim_pid" 2>/dev/null || true; wait "$cg_victim_pid" 2>/dev/null || true
cgroup_victim remove "$cg_victim"
row "runc_run_linux.cgroupsPath_of_another's_cgroup_(joined)" "joined*" "$cg_plain" "$cg_hr"
