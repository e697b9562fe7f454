#!/usr/bin/env bash
# A private dockerd for the integration tests: its own data-root, exec-root, socket and pidfile, no
# iptables and no bridge (containers use --network none or host). Stops exactly the daemon it started.
#   dockerd.sh start NAME [--lockdown]   start it, register hardened-runtime, import the busybox image
#   dockerd.sh stop NAME                 remove its containers and stop it
# With --lockdown its PATH starts with a directory whose `runc` is hardened-runtime (the side door
# `--runtime=runc` closed).
source "$(dirname "$0")/lib.sh"
require dockerd jq
action=$1 name=$2
state=$(docker_state "$name")
sock=$(docker_socket "$name")

stop() {
  [ -f "$state/dockerd.pid" ] || return 0
  local pid
  pid=$(cat "$state/dockerd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    ids=$(DOCKER_HOST=unix://$sock /usr/bin/docker ps -aq 2>/dev/null || true)
    [ -z "$ids" ] || DOCKER_HOST=unix://$sock /usr/bin/docker rm -f $ids >/dev/null 2>&1 || true
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$state/dockerd.pid"
  # dockerd leaves its mounts (the host netns file, ...) behind: unmount them, deepest first.
  local root
  root=$(docker_exec_root "$name")
  awk -v root="$root/" 'index($5, root) == 1 {print $5}' /proc/self/mountinfo | sort -r | xargs -r umount -l
  rm -rf "$root" "$(docker_socket "$name")" "$state/data"
  remove_cgroup_parent "$(docker_cgroup_parent "$name")"
}

case $action in
start)
  stop
  mkdir -p "$state"
  lockdown_path="" config=$(host_config)
  if [ "${3:-}" = --lockdown ]; then
    mkdir -p "$state/lockdown"
    ln -sf "$HR_BIN" "$state/lockdown/runc"
    lockdown_path=$state/lockdown:
    config=$(host_config --find-runc)
  fi
  # Registered both ways: "runtimes" in daemon.json (with our own --config) and --add-runtime (which
  # finds the host config through the environment dockerd passes down to the shim).
  jq -n --arg bin "$HR_BIN" --arg config "$config" \
    '{runtimes: {hardened: {path: $bin, runtimeArgs: ["--config", $config]},
                 "hardened-web-hostnet": {path: $bin, runtimeArgs: ["--config", $config, "--profile", "web-hostnet"]}},
      "default-runtime": "hardened"}' >"$state/daemon.json"
  PATH=$lockdown_path$PATH HARDENED_RUNTIME_CONFIG=$config setsid dockerd \
    --data-root "$state/data" --exec-root "$(docker_exec_root "$name")" --pidfile "$state/dockerd.pid" \
    -H "unix://$sock" --storage-driver vfs --iptables=false --ip6tables=false --bridge=none \
    --config-file "$state/daemon.json" --add-runtime "hardened-flag=$HR_BIN" --cgroup-parent "$(docker_cgroup_parent "$name")" \
    </dev/null >"$state/dockerd.log" 2>&1 &
  for _ in $(seq 1 120); do
    DOCKER_HOST=unix://$sock /usr/bin/docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  DOCKER_HOST=unix://$sock /usr/bin/docker info >/dev/null 2>&1 || { tail -20 "$state/dockerd.log" >&2; fail "dockerd $name did not start"; }
  tar -C "$(rootfs)" -c . | DOCKER_HOST=unix://$sock /usr/bin/docker import - "$IMAGE" >/dev/null
  echo "dockerd $name is up at $sock"
  ;;
stop)
  stop
  echo "dockerd $name stopped"
  ;;
*) fail "usage: dockerd.sh start|stop NAME [--lockdown]" ;;
esac
