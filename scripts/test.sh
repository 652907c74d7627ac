#!/usr/bin/env bash
# README command 2: installs what is missing, builds revops twice (optimised, and with
# AddressSanitizer + UndefinedBehaviorSanitizer) and runs the whole test suite in each with
# CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
status=0

bash scripts/build.sh build
(cd build && ctest --output-on-failure -j "$jobs") || status=1

bash scripts/build.sh build-asan -DREVOPS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
(cd build-asan && ctest --output-on-failure -j "$jobs") || status=1

exit $status
