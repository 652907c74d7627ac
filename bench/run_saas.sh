#!/usr/bin/env bash
# The recurring-revenue benchmark: generates the data set (unless WORK already holds one of
# the same scale), loads it once, and times the MRR grid with its movements, the monthly
# rates, the cohort triangles and the revenue-recognition engine, each the median of RUNS
# runs in the same process (compute only: the load is timed once, apart).
#
#   bench/run_saas.sh [SCALE] [RUNS]      defaults: 1000000 and 3; WORK=/tmp/revops-bench-saas
#                                         BUILD=build-bench (a release build folder)
#
# At scale 1,000,000 the data set is about 4.9 GB of CSV and the load takes a few minutes and
# about 6 GB of memory.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1000000}
runs=${2:-3}
work=${WORK:-/tmp/revops-bench-saas}
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREVOPS_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target revops bench_saas >/dev/null
if [ "$(cat "$work/scale" 2>/dev/null)" != "$scale" ]; then
    rm -rf "$work"
    mkdir -p "$work"
    "$build/revops" gen --out "$work/data" --scale "$scale" --seed 7 >/dev/null
    echo "$scale" >"$work/scale"
fi
echo "recurring-revenue benchmark: scale $scale, median of $runs runs, $(nproc) cores" >&2
"$build/bench_saas" "$work/data" "$runs"
