#!/bin/sh
# hardened-runtime node installer (run by node-installer.yaml's DaemonSet, or by hand on a node).
#   install.sh install     copy the binary and the profiles onto the node, add the `hardened` handler to
#                          containerd's config.toml, restart containerd, label the node
#   install.sh uninstall   take the handler out, restart containerd, remove the label (the binary stays:
#                          shims of pods still running call it to stop them)
# Environment (defaults for the DaemonSet):
#   NODE_ROOT=/host        where the node's / is mounted
#   SOURCE=<this dir>      holds hardened-runtime and profiles/
#   HANDLER=hardened       the RuntimeClass handler;  PROFILE=  a profile the handler selects (optional)
#   CONTAINERD_CONFIG=/etc/containerd/config.toml  (the node's path)
#   RESTART="nsenter -t 1 -m -u -i -n -p -- systemctl restart containerd"
#   LABEL="kubectl label node --overwrite $NODE_NAME"   (skipped without NODE_NAME)
#   KEEP_RUNNING=1         after install, sleep so the DaemonSet's pod stays Running
set -eu
action=${1:-install}
NODE_ROOT=${NODE_ROOT:-/host}
SOURCE=${SOURCE:-$(cd "$(dirname "$0")" && pwd)}
HANDLER=${HANDLER:-hardened}
PROFILE=${PROFILE:-}
CONTAINERD_CONFIG=${CONTAINERD_CONFIG:-/etc/containerd/config.toml}
RESTART=${RESTART:-nsenter -t 1 -m -u -i -n -p -- systemctl restart containerd}
LABEL_KEY=hardened-runtime.io/installed
NODE_BIN=/usr/local/bin/hardened-runtime
log() { echo "hardened-runtime installer: $*"; }

label() {  # VALUE ("true", or "-" to remove)
  [ -n "${NODE_NAME:-}" ] || { log "NODE_NAME unset: not labelling"; return 0; }
  if [ "$1" = - ]; then set -- "$LABEL_KEY-"; else set -- "$LABEL_KEY=$1"; fi
  ${LABEL:-kubectl label node --overwrite "$NODE_NAME"} "$1"
}

configure() {
  profile_flag=""
  [ -z "$PROFILE" ] || profile_flag="--profile=$PROFILE"
  "$SOURCE/hardened-runtime" configure containerd --handler "$HANDLER" $profile_flag "$@" \
    --node-root "$NODE_ROOT" --binary "$NODE_BIN" --config-file "$NODE_ROOT$CONTAINERD_CONFIG"
}

case $action in
install)
  mkdir -p "$NODE_ROOT/usr/local/bin" "$NODE_ROOT/etc/hardened-runtime/profiles"
  # Replaced by a rename, so a shim starting a container meanwhile runs the old binary or the new one.
  cp "$SOURCE/hardened-runtime" "$NODE_ROOT$NODE_BIN.new" && chmod 0755 "$NODE_ROOT$NODE_BIN.new"
  mv -f "$NODE_ROOT$NODE_BIN.new" "$NODE_ROOT$NODE_BIN"
  for profile in "$SOURCE"/profiles/*.json; do
    cp "$profile" "$NODE_ROOT/etc/hardened-runtime/profiles/.new" && mv -f "$NODE_ROOT/etc/hardened-runtime/profiles/.new" \
      "$NODE_ROOT/etc/hardened-runtime/profiles/$(basename "$profile")"
  done
  "$NODE_ROOT$NODE_BIN" validate --config "$NODE_ROOT/etc/hardened-runtime/config.json" >/dev/null 2>&1 ||
    [ ! -e "$NODE_ROOT/etc/hardened-runtime/config.json" ] || { log "the node's policy does not validate; not registering"; exit 1; }
  out=$(configure)
  echo "$out"
  case $out in *"nothing changed"*) log "containerd already has handler $HANDLER" ;; *) $RESTART ;; esac
  label true
  log "installed; pods with runtimeClassName: $HANDLER now run hardened on this node"
  if [ "${KEEP_RUNNING:-1}" = 1 ] && [ -z "${HR_INSTALL_ONCE:-}" ]; then exec sleep 2147483647; fi
  ;;
uninstall)
  label - || true
  out=$(configure --remove)
  echo "$out"
  case $out in *"nothing changed"*) ;; *) $RESTART ;; esac
  log "uninstalled handler $HANDLER (the binary stays at $NODE_BIN for the pods still running)"
  ;;
*) echo "usage: install.sh install|uninstall" >&2; exit 2 ;;
esac
