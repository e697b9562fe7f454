#!/usr/bin/env bash
# The speed goals, as figures: builds a Release tree, runs hardened-bench (the wrapper alone, against
# the floor of one extra exec), then times `docker run --rm` with --runtime=hardened against
# --runtime=runc on a private dockerd (started and stopped here). Asserts nothing; prints figures.
#   scripts/bench.sh [ROUNDS [DOCKER_ROUNDS]]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2000} docker_rounds=${2:-40}
scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release >/dev/null
build-release/hardened-bench build-release profiles tests/data/docker-20.10/create/default.json "$rounds"

export HR_BUILD=$PWD/build-release HR_SOURCE=$PWD HR_IT_DIR=$PWD/build-release/bench-it
source integration/lib.sh
integration/dockerd.sh start bench >/dev/null
trap 'integration/dockerd.sh stop bench >/dev/null' EXIT
build-release/hardened-bench --docker "unix://$(docker_socket bench)" "$IMAGE" "$docker_rounds"
