#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine, as root: installs what is needed, builds, runs the unit
# and integration tests (real runc, real dockerd, faults), the unit tests again under AddressSanitizer
# and UBSan, and a short fuzzing run.
# With CI=true no test may skip: a missing prerequisite fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHARDENED_WERROR=ON
cmake --build build
ctest --test-dir build --output-on-failure --no-tests=error

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHARDENED_SANITIZE=ON -DHARDENED_WERROR=ON
cmake --build build-asan --target unit_tests
ctest --test-dir build-asan --output-on-failure --no-tests=error -L unit

# A short libFuzzer run of every harness (clang, ASan, UBSan), after replaying the saved regressions.
scripts/fuzz.sh 20
