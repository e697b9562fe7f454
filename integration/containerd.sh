#!/usr/bin/env bash
# Integration tests through containerd's CRI, driven by crictl as kubelet drives it: a RuntimeClass
# handler `hardened` whose BinaryName is hardened-runtime, checked on the live processes. One test per
# call, each with its own private containerd (own root, state, socket, config; stopped by PID):
#   HR_BUILD=build HR_SOURCE=. integration/containerd.sh TEST
# `stock_paths` runs the same pod on containerd's stock paths (/var/lib/containerd, /run/containerd),
# inside a private mount namespace with tmpfs over them, so the host's own are never touched.
# Network: the loopback CNI plugin only; nothing leaves 127.0.0.0/8.
source "$(dirname "$0")/lib.sh"
require containerd ctr jq go unshare
[ -x /usr/lib/cni/loopback ] || [ "${CI:-}" != true ] || fail "CI=true and this test needs containernetworking-plugins"
[ -x /usr/lib/cni/loopback ] || { echo "SKIP: this test needs containernetworking-plugins" >&2; exit 77; }
"$(dirname "$0")/build_crictl.sh" "$HR_BUILD" "$HR_SOURCE" || fail "crictl could not be built"
CRICTL=$HR_BUILD/crictl

test_name=$1
CD_DIR=$IT_DIR/cri-$test_name  # short: the sockets below must stay under 108 bytes
CD_SOCK=/run/hardened-it-$IT_TAG-cri-$test_name.sock
CD_CGROUP=/hardened-it-$IT_TAG-cri
CD_PID=""

# An image from a directory, as `docker save` writes it, imported into containerd's k8s.io namespace
# (the one the CRI plugin uses). image_import DIR NAME CONFIG_JSON
image_import() {
  local dir=$1 name=$2 config=$3 work layer_sha config_sha
  work=$(mktemp -d "$CD_DIR/image.XXXXXX")
  tar -C "$dir" -cf "$work/layer.tar" .
  layer_sha=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  jq -n --argjson c "$config" --arg diff "sha256:$layer_sha" \
    '{architecture: "amd64", os: "linux", config: $c, rootfs: {type: "layers", diff_ids: [$diff]}}' >"$work/config.json"
  config_sha=$(sha256sum "$work/config.json" | cut -d' ' -f1)
  mkdir "$work/out" "$work/out/$layer_sha"
  mv "$work/layer.tar" "$work/out/$layer_sha/layer.tar"
  mv "$work/config.json" "$work/out/$config_sha.json"
  jq -n --arg c "$config_sha.json" --arg n "$name" --arg l "$layer_sha/layer.tar" '[{Config: $c, RepoTags: [$n], Layers: [$l]}]' \
    >"$work/out/manifest.json"
  tar -C "$work/out" -cf "$work/image.tar" .
  ctr --address "$CD_SOCK" -n k8s.io image import --snapshotter native "$work/image.tar" >/dev/null
  rm -rf "$work"
}

# The pause image, built from busybox-static: sleep as the image's user 65535, as the Kubernetes pause
# image runs.
pause_rootfs() {
  local dir=$CD_DIR/pause-rootfs
  rm -rf "$dir" && mkdir -p "$dir"/{bin,proc,sys,dev,etc}
  cp /bin/busybox "$dir/bin/busybox" && ln -s busybox "$dir/bin/sleep"
  echo "$dir"
}

# containerd's config.toml: CRI on, the `hardened` handler (and `hardened-strict`, the same binary
# through a link named hardened-runtime-strict), loopback-only CNI. write_config ROOT STATE
write_config() {
  local root=$1 state=$2 handlers=${3:-yes} binary_dir=$CD_DIR/bin
  mkdir -p "$binary_dir" "$CD_DIR/cni" "$CD_DIR/cni-bin"
  ln -sf "$HR_BIN" "$binary_dir/hardened-runtime-strict"
  # The loopback plugin alone: the pod's netns has only lo (127.0.0.1). containerd 1.6 wants the IP of
  # an interface named eth0 in the result, so this wrapper reports lo under that name; it adds no
  # interface, address or route.
  cat >"$CD_DIR/cni-bin/it-loopback" <<'EOF'
#!/bin/sh
out=$(/usr/lib/cni/loopback) || { rc=$?; echo "$out"; exit $rc; }
if [ "$CNI_COMMAND" = ADD ]; then echo "$out" | /usr/bin/jq -c '.interfaces[0].name = "eth0"'; else echo "$out"; fi
EOF
  chmod +x "$CD_DIR/cni-bin/it-loopback"
  ln -sf /usr/lib/cni/loopback "$CD_DIR/cni-bin/loopback"  # containerd brings up lo with it first
  cat >"$CD_DIR/cni/10-loopback.conflist" <<EOF
{ "cniVersion": "0.4.0", "name": "hardened-it-loopback", "plugins": [ { "type": "it-loopback" } ] }
EOF
  cat >"$CD_DIR/config.toml" <<EOF
version = 2
root = "$root"
state = "$state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CD_SOCK"
[ttrpc]
  address = "$CD_SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CD_DIR/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "hardened-it/pause:1"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CD_DIR/cni-bin"
    conf_dir = "$CD_DIR/cni"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
EOF
  [ "$handlers" = yes ] || return 0
  cat >>"$CD_DIR/config.toml" <<EOF
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened]
      runtime_type = "io.containerd.runc.v2"
      pod_annotations = ["org.hardened-runtime.*"]
      container_annotations = ["org.hardened-runtime.*"]
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened.options]
        BinaryName = "$HR_BIN"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened-strict]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened-strict.options]
        BinaryName = "$binary_dir/hardened-runtime-strict"
EOF
}

# The host config containerd's shims pass down (BinaryName takes no arguments: the environment
# carries it): a pod may pick `strict` by annotation, and namespaces untrusted-* get it by rule.
cri_host_config() {
  custom_config cri '.annotation_profiles = ["strict", "refuse-excess"]
    | .rules = [{"annotations": {"io.kubernetes.cri.sandbox-namespace": "untrusted-*"}, "profile": "strict"},
                {"annotations": {"io.kubernetes.cri.container-type": "sandbox", "io.kubernetes.cri.sandbox-name": "it-big"},
                 "profile": "default"}]'
}

start_containerd() {  # ROOT STATE [CONFIG_TOML: the node's own, with its own /etc/hardened-runtime]
  local root=$1 state=$2 config=${3:-} env_vars=()
  unmount_under "$CD_DIR"  # a fresh containerd: no pods left from an earlier run (a fresh tmpfs is fresh already)
  mountpoint -q "$root" || rm -rf "$root"
  mountpoint -q "$state" || rm -rf "$state"
  mkdir -p "$CD_DIR" "$root" "$state"
  if [ -z "$config" ]; then
    write_config "$root" "$state"
    config=$CD_DIR/config.toml
    env_vars+=("HARDENED_RUNTIME_CONFIG=${CD_HOST_CONFIG:-$(cri_host_config)}")
  fi
  [ -z "${CD_PATH:-}" ] || env_vars+=("PATH=$CD_PATH")  # containerd's PATH, as a systemd drop-in sets it
  env "${env_vars[@]}" setsid containerd --config "$config" </dev/null >>"$CD_DIR/containerd.log" 2>&1 &
  CD_PID=$!
  for _ in $(seq 1 120); do
    ctr --address "$CD_SOCK" version >/dev/null 2>&1 && break
    kill -0 "$CD_PID" 2>/dev/null || break
    sleep 0.25
  done
  ctr --address "$CD_SOCK" version >/dev/null 2>&1 || { tail -30 "$CD_DIR/containerd.log" >&2; fail "containerd did not start"; }
  image_import "$(pause_rootfs)" hardened-it/pause:1 '{"Entrypoint": ["/bin/sleep", "2147483647"], "User": "65535:65535"}'
  image_import "$(rootfs)" hardened-it/busybox:1 '{"Env": ["PATH=/bin"], "Cmd": ["sh"]}'
}

cri() { "$CRICTL" --runtime-endpoint "unix://$CD_SOCK" --image-endpoint "unix://$CD_SOCK" --timeout 60s "$@"; }

unmount_under() {  # DIR: containerd's shm tmpfs and the like, deepest first
  awk -v dir="$1/" 'index($5, dir) == 1 {print $5}' /proc/self/mountinfo | sort -r | xargs -r umount -l
}

# Stops exactly the containerd this test started (its pods first, then the daemon by PID), and the
# shims it left (their parent is gone: they are found by the socket path in their command line).
stop_containerd() {
  [ -n "$CD_PID" ] || return 0
  if kill -0 "$CD_PID" 2>/dev/null; then
    local pod
    for pod in $(cri pods -q 2>/dev/null); do cri stopp "$pod" >/dev/null 2>&1 || true; cri rmp -f "$pod" >/dev/null 2>&1 || true; done
    kill -TERM "$CD_PID"
    for _ in $(seq 1 40); do kill -0 "$CD_PID" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$CD_PID" 2>/dev/null && kill -KILL "$CD_PID"
  fi
  local shim
  for shim in $(pgrep -f -- "-address $CD_SOCK" || true); do kill -KILL "$shim" 2>/dev/null || true; done
  CD_PID=""
  unmount_under "$CD_DIR"
  rm -f "$CD_SOCK" "$CD_SOCK.ttrpc"
  remove_cgroup_parent "$CD_CGROUP"
}

DK_PID=""
stop_separate_dockerd() {  # the docker_separate test's dockerd, by PID, and what it leaves mounted
  [ -n "$DK_PID" ] || return 0
  DOCKER_HOST=unix://$dk_sock docker ps -aq 2>/dev/null | xargs -r env DOCKER_HOST=unix://$dk_sock docker rm -f >/dev/null 2>&1 || true
  kill -TERM "$DK_PID" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$DK_PID" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$DK_PID" 2>/dev/null && kill -KILL "$DK_PID"
  DK_PID=""
  unmount_under "$dk_exec"
  rm -rf "$dk_exec" "$dk_sock" "$dk_state/data"
  remove_cgroup_parent "$CD_CGROUP-dk"
}

pod_config() {  # NAME NAMESPACE [ANNOTATIONS_JSON [HOST_NETWORK]]
  jq -n --arg n "$1" --arg ns "$2" --argjson a "${3:-{\}}" --arg logs "$CD_DIR/logs" --arg cg "$CD_CGROUP/$1" --argjson net "${4:-0}" \
    '{metadata: {name: $n, namespace: $ns, uid: ("uid-" + $n), attempt: 1}, hostname: $n, log_directory: $logs,
      annotations: $a, linux: {cgroup_parent: $cg, security_context: {namespace_options: {network: $net}}}}' \
    >"$CD_DIR/pod-$1.json"
  echo "$CD_DIR/pod-$1.json"
}

container_config() {  # NAME [MEMORY_BYTES]
  jq -n --arg n "$1" --argjson mem "${2:-0}" \
    '{metadata: {name: $n}, image: {image: "hardened-it/busybox:1"}, command: ["sleep", "300"], log_path: ($n + ".log"),
      linux: {resources: {memory_limit_in_bytes: $mem}}}' >"$CD_DIR/ctr-$1.json"
  echo "$CD_DIR/ctr-$1.json"
}

# A running pod with one app container: sets POD and CTR. run_pod NAME NAMESPACE [ANNOTATIONS] [HANDLER]
run_pod() {
  local pod_file
  pod_file=$(pod_config "$1" "$2" "${3:-}")
  mkdir -p "$CD_DIR/logs"
  POD=$(cri runp --runtime "${4:-hardened}" "$pod_file") || { tail -20 "$CD_DIR/containerd.log" >&2; fail "crictl runp $1 failed"; }
  CTR=$(cri create "$POD" "$(container_config app 4294967296)" "$pod_file") || fail "crictl create in $1 failed"
  cri start "$CTR" >/dev/null || fail "crictl start in $1 failed"
}

pid_of_pod() { cri inspectp "$1" | jq -r '.info.pid'; }
pid_of_container() { cri inspect "$1" | jq -r '.info.pid'; }
status_field() { awk -v k="$2:" '$1 == k {print $2; exit}' "/proc/$1/status"; }
cgroup_file() {  # PID CONTROLLER FILE: read through the process's own cgroup path
  local path
  path=$(awk -F: -v c="$2" '$2 == c || $2 ~ ("(^|,)" c "(,|$)") {print $3; exit}' "/proc/$1/cgroup")
  if [ -n "$path" ] && [ -f "/sys/fs/cgroup/$2$path/$3" ]; then cat "/sys/fs/cgroup/$2$path/$3"; return; fi
  path=$(awk -F: '$1 == "0" {print $3; exit}' "/proc/$1/cgroup")  # cgroup v2
  cat "/sys/fs/cgroup$path/$4"
}
root_mount_options() { awk '$5 == "/" {print $6; exit}' "/proc/$1/mountinfo"; }

expect_hardened_pid() {  # WHAT PID UID
  local what=$1 pid=$2 uid=$3
  expect_eq "$what uid" "$(status_field "$pid" Uid)" "$uid"
  expect_eq "$what CapEff" "$(status_field "$pid" CapEff)" 0000000000000000
  expect_eq "$what CapBnd" "$(status_field "$pid" CapBnd)" 0000000000000000
  expect_eq "$what NoNewPrivs" "$(status_field "$pid" NoNewPrivs)" 1
  expect_eq "$what Seccomp" "$(status_field "$pid" Seccomp)" 2
  expect_eq "$what root mount read-only" "$(root_mount_options "$pid" | tr , '\n' | grep -cx ro)" 1
}

# The pod and its app container hardened, checked on the live processes. expect_pod_hardened PIDS_MAX
expect_pod_hardened() {
  local pids_max=${1:-100} memory=${2:-536870912} sandbox app
  sandbox=$(pid_of_pod "$POD") app=$(pid_of_container "$CTR")
  expect_hardened_pid "pause container" "$sandbox" 65535  # the image's user, in ids_allowed: kept
  expect_hardened_pid "app container" "$app" 1001
  expect_eq "app pids.max" "$(cgroup_file "$app" pids pids.max pids.max)" "$pids_max"
  expect_eq "app memory limit (asked 4 GiB)" "$(cgroup_file "$app" memory memory.limit_in_bytes memory.max)" "$memory"
  expect_eq "pause pids.max" "$(cgroup_file "$sandbox" pids pids.max pids.max)" "$pids_max"
}

trap 'stop_containerd' EXIT

case $test_name in
pod_hardened)
  start_containerd "$CD_DIR/root" "$CD_DIR/state"
  run_pod it-pod default
  expect_pod_hardened
  expect_contains "audit log" "$(tail -5 "$IT_DIR/audit.log")" "\"container\":\"$CTR\""
  ;;
exec_update)
  start_containerd "$CD_DIR/root" "$CD_DIR/state"
  run_pod it-exec default
  out=$(cri exec "$CTR" sh -c "$POSTURE")
  echo "$out"
  expect_hardened_process "$out"
  expect_eq "crictl exec: writing /" "$(value root_write "$out")" denied
  cri update --memory 8589934592 "$CTR" >/dev/null
  app=$(pid_of_container "$CTR")
  expect_eq "memory limit after crictl update --memory 8g" "$(cgroup_file "$app" memory memory.limit_in_bytes memory.max)" 536870912
  cri update --memory 67108864 "$CTR" >/dev/null
  expect_eq "a stricter crictl update applies" "$(cgroup_file "$app" memory memory.limit_in_bytes memory.max)" 67108864
  ;;
refusal)
  start_containerd "$CD_DIR/root" "$CD_DIR/state"
  mkdir -p "$CD_DIR/logs"
  if out=$(cri runp --runtime hardened "$(pod_config it-hostnet default '{}' 2)" 2>&1); then
    fail "a hostNetwork pod was not refused"
  fi
  echo "$out"
  expect_contains "crictl runp output" "$out" "hardened-runtime: cannot create container"
  expect_contains "crictl runp output" "$out" "deny.host_namespaces"
  expect_contains "crictl runp output" "$out" "hostNetwork"
  expect_contains "crictl runp output" "$out" "default handler"
  case $out in *"docker run"*) fail "a Kubernetes user was told a docker run flag: $out" ;; esac
  # Refuse instead of clamp (resources.beyond_ceilings "refuse"): a 4 GiB container fails at start,
  # with the limit named, instead of running at 512 MiB unknown to kubelet. The pod's sandbox gets the
  # default profile by a host rule: containerd gives the pause container oomScoreAdj -998, which
  # "refuse" would refuse.
  pod_file=$(pod_config it-big default '{"org.hardened-runtime.profile": "refuse-excess"}')
  POD=$(cri runp --runtime hardened "$pod_file") || fail "the pod of refuse-excess did not start"
  CTR=$(cri create "$POD" "$(container_config app 4294967296)" "$pod_file") || fail "crictl create failed"
  if out=$(cri start "$CTR" 2>&1); then fail "a 4 GiB container under beyond_ceilings refuse started"; fi
  echo "$out"
  expect_contains "crictl start output" "$out" "refused by rule resources.limits: linux.resources.memory.limit 4294967296 is above"
  expect_contains "crictl start output" "$out" "resources.limits.memory in the pod spec"
  ;;
profile_annotation)
  start_containerd "$CD_DIR/root" "$CD_DIR/state"
  run_pod it-annotated default '{"org.hardened-runtime.profile": "strict"}'
  expect_pod_hardened 50 268435456
  ;;
namespace_rule)
  start_containerd "$CD_DIR/root" "$CD_DIR/state"
  run_pod it-ns untrusted-team
  expect_pod_hardened 50 268435456
  expect_contains "audit log" "$(grep "\"container\":\"$CTR\"" "$IT_DIR/audit.log" | tail -1)" "io.kubernetes.cri.sandbox-namespace=untrusted-*"
  ;;
handler_link)
  # BinaryName takes no arguments: the link's name hardened-runtime-strict selects the profile.
  start_containerd "$CD_DIR/root" "$CD_DIR/state"
  run_pod it-link default '{}' hardened-strict
  expect_pod_hardened 50 268435456
  ;;
stock_paths)
  # The stock paths, each covered by a private tmpfs in a private mount namespace: the same pod, and
  # containerd's own sandbox files (shm, resolv.conf, hostname, hosts) allowed by the default profile.
  if [ "${HR_IN_PRIVATE_MOUNTS:-}" != 1 ]; then
    trap - EXIT
    exec unshare -m --propagation private env HR_IN_PRIVATE_MOUNTS=1 "$0" "$@"
  fi
  for dir in /var/lib/containerd /run/containerd /var/run/netns; do mkdir -p "$dir" && mount -t tmpfs -o mode=0711 tmpfs "$dir"; done
  start_containerd /var/lib/containerd /run/containerd
  run_pod it-stock default
  expect_pod_hardened
  app=$(pid_of_container "$CTR")
  for file in /etc/hosts /etc/hostname /etc/resolv.conf; do  # mountinfo's 4th field: the file within its filesystem
    expect_contains "$file in the app container" "$(awk -v f="$file" '$5 == f {print $4; exit}' "/proc/$app/mountinfo")" \
      "/io.containerd.grpc.v1.cri/sandboxes/$POD/"
  done
  expect_eq "/dev/shm in the app container" "$(awk '$5 == "/dev/shm"' "/proc/$app/mountinfo" | sed -n 's/.* - \([^ ]*\) .*/\1/p' | head -1)" tmpfs
  # Escape attempt: another pod asks for the first pod's shm and hosts as hostPath volumes (the
  # same kind of path as its own sandbox files): refused, its own still work.
  first=$POD
  pod_file=$(pod_config it-other default)
  other=$(cri runp --runtime hardened "$pod_file") || fail "the second pod did not start"
  for path in "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/$first/shm" \
              "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/$first/hosts"; do
    jq --arg p "$path" '.metadata.name = "thief" | .mounts = [{container_path: "/stolen", host_path: $p}]' \
      "$(container_config thief)" >"$CD_DIR/ctr-thief-mount.json"
    cri rm -f "$(cri ps -a -q --name thief 2>/dev/null)" >/dev/null 2>&1 || true
    if thief=$(cri create "$other" "$CD_DIR/ctr-thief-mount.json" "$pod_file" 2>&1) && out=$(cri start "$thief" 2>&1); then
      fail "a pod was given another pod's $path"
    fi
    echo "${out:-$thief}"
    expect_contains "another pod's $(basename "$path")" "${out:-$thief}" "deny.bind_sources"
    unset out
  done
  ;;
node_installer)
  # deploy/kubernetes/install.sh against a directory standing for a node's root: the node's containerd
  # (private, started from the node's config.toml) sees the node's /usr/local/bin and
  # /etc/hardened-runtime through bind mounts in a private mount namespace.
  if [ "${HR_IN_PRIVATE_MOUNTS:-}" != 1 ]; then
    trap - EXIT
    exec unshare -m --propagation private env HR_IN_PRIVATE_MOUNTS=1 "$0" "$@"
  fi
  node=$CD_DIR/node package=$CD_DIR/package
  rm -rf "$node" "$package" && mkdir -p "$node/etc/containerd" "$node/etc/hardened-runtime" "$node/usr/local/bin" "$package/profiles"
  write_config "$CD_DIR/root" "$CD_DIR/state" no
  cp "$CD_DIR/config.toml" "$node/etc/containerd/config.toml"
  jq '.profiles_dir = "/etc/hardened-runtime/profiles"' "$(host_config)" >"$node/etc/hardened-runtime/config.json"
  cp "$HR_BIN" "$package/hardened-runtime" && cp "$HR_SOURCE"/profiles/*.json "$package/profiles/"
  cp "$HR_SOURCE/deploy/kubernetes/install.sh" "$package/install.sh"
  mount --bind "$node/usr/local/bin" /usr/local/bin
  mkdir -p /etc/hardened-runtime && mount --bind "$node/etc/hardened-runtime" /etc/hardened-runtime
  export NODE_ROOT=$node SOURCE=$package NODE_NAME=it-node HR_INSTALL_ONCE=1 RESTART="touch $CD_DIR/restarted" LABEL="echo label:"
  out=$("$package/install.sh" install)
  echo "$out"
  expect_contains "install.sh install" "$out" "label: hardened-runtime.io/installed=true"
  [ -f "$CD_DIR/restarted" ] || fail "install.sh did not restart containerd"
  [ -x "$node/usr/local/bin/hardened-runtime" ] || fail "install.sh did not copy the binary"
  [ -f "$node/etc/hardened-runtime/profiles/default.json" ] || fail "install.sh did not copy the profiles"
  expect_contains "the node's config.toml" "$(cat "$node/etc/containerd/config.toml")" '/usr/local/bin/hardened-runtime'
  expect_contains "the node's config.toml keeps its settings" "$(cat "$node/etc/containerd/config.toml")" "$CD_DIR/cni"
  rm -f "$CD_DIR/restarted"
  out=$("$package/install.sh" install)
  expect_contains "install.sh install, twice" "$out" "nothing changed"
  [ ! -f "$CD_DIR/restarted" ] || fail "a second install.sh restarted containerd for nothing"
  start_containerd "$CD_DIR/root" "$CD_DIR/state" "$node/etc/containerd/config.toml"
  run_pod it-node default
  expect_pod_hardened
  stop_containerd
  out=$("$package/install.sh" uninstall)
  echo "$out"
  expect_contains "install.sh uninstall" "$out" "label: hardened-runtime.io/installed-"
  case $(cat "$node/etc/containerd/config.toml") in *hardened-runtime*) fail "uninstall left the handler in config.toml" ;; esac
  ;;
lockdown)
  # configure containerd --lockdown: the drop-in's PATH given to the private containerd. Then what
  # starts runc without BinaryName (the default `runc` handler, ctr run --no-pivot) is hardened too.
  lock=$CD_DIR/lockdown-files
  rm -rf "$lock" && mkdir -p "$lock"
  "$HR_BIN" configure containerd --lockdown --config-file "$lock/config.toml" --dropin-dir "$lock/containerd.service.d" \
    --lockdown-dir "$lock/lockdown"
  expect_eq "the lockdown runc" "$(readlink "$lock/lockdown/runc")" "$(realpath "$HR_BIN")"
  CD_PATH=$(sed -n 's/^Environment="PATH=\(.*\)"$/\1/p' "$lock/containerd.service.d/hardened-runtime-lockdown.conf")
  expect_contains "the drop-in's PATH" "$CD_PATH" "$lock/lockdown:"
  CD_HOST_CONFIG=$(host_config --find-runc) start_containerd "$CD_DIR/root" "$CD_DIR/state"
  run_pod it-side default '{}' runc
  expect_pod_hardened
  out=$(ctr --address "$CD_SOCK" -n k8s.io run --rm --no-pivot --snapshotter native --cgroup "$CD_CGROUP/nopivot" \
    docker.io/hardened-it/busybox:1 "it-nopivot-$$" id -u)
  expect_eq "ctr run --no-pivot (runc from containerd's PATH)" "$out" 1001
  ;;
docker_separate)
  # Debian's layout: docker.service talks to a separate containerd.service. configure docker --lockdown
  # writes a drop-in for both; containerd's PATH (from its drop-in) is what the shims search, so
  # `docker run --runtime=runc` is hardened, while dockerd's own PATH has no lockdown at all.
  require dockerd
  lock=$CD_DIR/lockdown-files dk_state=$CD_DIR/dockerd
  dk_sock=/run/hardened-it-$IT_TAG-cri-dk.sock dk_exec=/run/hardened-it-$IT_TAG-cri-dk
  rm -rf "$lock" && mkdir -p "$lock" "$dk_state"
  "$HR_BIN" configure docker --lockdown --config-file "$lock/daemon.json" --systemd-dir "$lock/systemd" --lockdown-dir "$lock/lockdown"
  [ -f "$lock/systemd/docker.service.d/hardened-runtime-lockdown.conf" ] || fail "no docker.service drop-in"
  CD_PATH=$(sed -n 's/^Environment="PATH=\(.*\)"$/\1/p' "$lock/systemd/containerd.service.d/hardened-runtime-lockdown.conf")
  expect_contains "containerd.service's PATH" "$CD_PATH" "$lock/lockdown:"
  CD_HOST_CONFIG=$(host_config --find-runc) start_containerd "$CD_DIR/root" "$CD_DIR/state"
  echo '{}' >"$dk_state/daemon.json"
  setsid dockerd --containerd "$CD_SOCK" --data-root "$dk_state/data" --exec-root "$dk_exec" --pidfile "$dk_state/dockerd.pid" \
    -H "unix://$dk_sock" --storage-driver vfs --iptables=false --ip6tables=false --bridge=none \
    --config-file "$dk_state/daemon.json" --cgroup-parent "$CD_CGROUP-dk" </dev/null >"$dk_state/dockerd.log" 2>&1 &
  DK_PID=$!
  trap 'stop_separate_dockerd; stop_containerd' EXIT
  for _ in $(seq 1 120); do DOCKER_HOST=unix://$dk_sock docker info >/dev/null 2>&1 && break; sleep 0.5; done
  DOCKER_HOST=unix://$dk_sock docker info >/dev/null 2>&1 || { tail -20 "$dk_state/dockerd.log" >&2; fail "dockerd did not start"; }
  tar -C "$(rootfs)" -c . | DOCKER_HOST=unix://$dk_sock docker import - "$IMAGE" >/dev/null
  out=$(DOCKER_HOST=unix://$dk_sock docker run --rm --runtime=runc --network none "$IMAGE" id -u)
  expect_eq "docker run --runtime=runc on a separate containerd" "$out" 1001
  ;;
*) fail "unknown test $test_name" ;;
esac
echo "PASS: cri.$test_name"
