#!/usr/bin/env bash
# The scoring benchmark: generates the data set (unless WORK already holds one of the same
# scale), loads it once, and times the learned lead and deal scores phase by phase (indexes,
# training snapshots, naive Bayes, logistic regression, batch scoring) and the churn risk, each
# the median of RUNS runs in the same process.
#
#   bench/run_scoring.sh [SCALE] [RUNS]   defaults: 1000000 and 3; WORK=/tmp/revops-bench-scoring
#                                         BUILD=build-bench (a release build folder)
#
# At scale 1,000,000 the data set is about 4.9 GB of CSV and the load takes a few minutes and
# about 6 GB of memory.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1000000}
runs=${2:-3}
work=${WORK:-/tmp/revops-bench-scoring}
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREVOPS_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target revops bench_scoring >/dev/null
if [ "$(cat "$work/scale" 2>/dev/null)" != "$scale" ]; then
    rm -rf "$work"
    mkdir -p "$work"
    "$build/revops" gen --out "$work/data" --scale "$scale" --seed 7 >/dev/null
    echo "$scale" >"$work/scale"
fi
echo "scoring benchmark: scale $scale, median of $runs runs, $(nproc) cores" >&2
/usr/bin/time -v "$build/bench_scoring" "$scale" "$runs" "$work/data" 2>"$work/time.txt"
grep -E "Maximum resident|Elapsed" "$work/time.txt" >&2
