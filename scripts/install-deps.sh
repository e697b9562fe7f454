#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need on Debian 12. Run as root.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: run as root (apt-get installs packages, and the tests start containers)" >&2
  exit 1
fi
packages=(
  cmake ninja-build g++ pkg-config
  nlohmann-json3-dev rapidjson-dev libseccomp-dev libcap-ng-dev libexpected-dev
  libgtest-dev
  runc crun busybox-static jq docker.io strace
  clang libclang-rt-14-dev
  debhelper dpkg-dev lintian man-db
  containerd containernetworking-plugins golang-go libtomlplusplus-dev
  podman conmon
  # runc's own bats suite (integration/runc_suite.sh)
  bats gawk criu iproute2 gcc libc6-dev make xz-utils bsdutils util-linux
)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
