#!/usr/bin/env bash
# Builds crictl (kubelet's CRI client, a test tool only) from the vendored cri-tools source into the
# build tree, offline. Cached: does nothing when BUILD/crictl exists. Usage: build_crictl.sh BUILD [SOURCE]
set -euo pipefail
build=$(realpath "$1")
source_dir=${2:-$(cd "$(dirname "$0")/.." && pwd)}
[ -x "$build/crictl" ] && exit 0
tarball=${CRI_TOOLS_TARBALL:-$source_dir/../shared/third_party/cri-tools-v1.26.1.tar.gz}
[ -f "$tarball" ] || tarball=/work/shared/third_party/cri-tools-v1.26.1.tar.gz
if [ ! -f "$tarball" ]; then echo "build_crictl: no cri-tools tarball (looked for $tarball)" >&2; exit 1; fi
command -v go >/dev/null || { echo "build_crictl: go missing (apt-get install golang-go)" >&2; exit 1; }
work=$build/third_party
mkdir -p "$work"
rm -rf "$work/cri-tools-1.26.1"
tar -xzf "$tarball" -C "$work"
src=$(find "$work" -maxdepth 1 -type d -name 'cri-tools*' | head -1)
# The temporary name, then a rename: an interrupted build leaves no half-written crictl that the cache
# check above would take for a finished one.
(cd "$src" && GOFLAGS=-mod=vendor GOPROXY=off CGO_ENABLED=0 GOCACHE="$work/gocache" GOPATH="$work/gopath" \
  nice -n 10 go build -o "$build/crictl.tmp" ./cmd/crictl)
mv "$build/crictl.tmp" "$build/crictl"
