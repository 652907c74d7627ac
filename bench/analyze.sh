#!/usr/bin/env bash
# The analysis benchmark: loading the data set from its CSV folder and from a store, the
# analysis alone, and `revops analyze --csv` from start to exit, each the median of RUNS runs
# in its own process (so its peak RSS is its own), beside a reference run in the same go:
# `wc -l` over the same CSV files, which only reads them.
#
#   bench/analyze.sh [SCALE] [RUNS]     defaults: 1000000 and 3; WORK=/tmp/revops-bench
#
# The data set (WORK/data) and the store (WORK/store.db) are reused when they are there and
# made when they are not: at scale 1,000,000 that is a minute for the 4.9 GB of CSV and about
# 7 minutes (and 7 GB) for the store; STORE=0 skips the store. REF=path/to/bench_foundation of
# an earlier build adds that build's CSV load, for a before-and-after in the same go. The
# build is a Release one in BUILD (default build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1000000}
runs=${2:-3}
work=${WORK:-/tmp/revops-bench}
build=${BUILD:-build-release}
bash scripts/build.sh "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
bin=$build/bench_analyze
mkdir -p "$work"

# Median of the numbers on stdin.
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# The value of key=<number> in lines on stdin.
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
load_avg() { cut -d' ' -f1 /proc/loadavg; }

run_step() { # name, command...: runs it RUNS times, prints "<s> <cpu s> <MB> <rows> <bytes>"
    local out=""
    shift
    for _ in $(seq "$runs"); do
        out+="$("$@")"$'\n'
    done
    printf '%s %s %s %s %s\n' "$(echo "$out" | field seconds | median)" \
        "$(echo "$out" | field cpu_seconds | median)" "$(echo "$out" | field peak_rss_mb | median)" \
        "$(echo "$out" | head -1 | field rows)" "$(echo "$out" | head -1 | field bytes)"
}

if [ ! -f "$work/data/activity.csv" ]; then
    echo "analysis benchmark: generating scale $scale into $work/data" >&2
    "$build/revops" gen --out "$work/data" --scale "$scale" --seed 7 >/dev/null
fi
if [ "${STORE:-1}" != 0 ] && [ ! -f "$work/store.db" ]; then
    echo "analysis benchmark: importing into $work/store.db" >&2
    "$build/bench_foundation" import "$work/data" "$work/store.db" >/dev/null
fi

echo "analysis benchmark: scale $scale, median of $runs runs, $(nproc) cores, load average $(load_avg)" >&2
ref=""
for _ in $(seq "$runs"); do
    t0=$(date +%s.%N)
    cat "$work"/data/*.csv | wc -l >/dev/null
    t1=$(date +%s.%N)
    ref+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')"$'\n'
done
ref_s=$(echo "$ref" | grep . | median)
read -r lc_s lc_cpu lc_mb rows bytes < <(run_step load-csv "$bin" load-csv "$work/data")
if [ -f "$work/store.db" ] && [ "${STORE:-1}" != 0 ]; then
    read -r ls_s ls_cpu ls_mb _ _ < <(run_step load-store "$bin" load-store "$work/store.db")
else
    ls_s=0 ls_cpu=0 ls_mb=0
fi
read -r an_s an_cpu an_mb _ _ < <(run_step analyze "$bin" analyze "$work/data" 5)
read -r e2e_s _ e2e_mb _ _ < <(run_step e2e "$bin" run "$build/revops" analyze --csv "$work/data" \
    --format json -o /dev/null)
if [ -n "${REF:-}" ]; then
    read -r old_s _ old_mb _ _ < <(run_step old "$REF" load-csv "$work/data")
else
    old_s=0 old_mb=0
fi

awk -v rows="$rows" -v bytes="$bytes" -v ref_s="$ref_s" \
    -v lc_s="$lc_s" -v lc_cpu="$lc_cpu" -v lc_mb="$lc_mb" \
    -v ls_s="$ls_s" -v ls_cpu="$ls_cpu" -v ls_mb="$ls_mb" \
    -v an_s="$an_s" -v an_cpu="$an_cpu" -v e2e_s="$e2e_s" -v e2e_mb="$e2e_mb" \
    -v old_s="$old_s" -v old_mb="$old_mb" -v load="$(load_avg)" '
function row(name, s, cpu, mb, rss,    c, m, r) {
    c = (cpu > 0) ? sprintf("%.2f", cpu) : "-"
    m = (mb > 0) ? sprintf("%.1f", mb) : "-"
    r = (rss > 0) ? sprintf("%d", rss) : "-"
    printf "%-34s %9.2f %9s %9s %12s\n", name, s, c, m, r
}
BEGIN {
    printf "%-34s %9s %9s %9s %12s\n", "step", "seconds", "CPU s", "MB/s", "peak RSS MB"
    row("dataset load, CSV", lc_s, lc_cpu, bytes / 1e6 / lc_s, lc_mb)
    if (old_s > 0)
        row("dataset load, CSV (REF build)", old_s, 0, bytes / 1e6 / old_s, old_mb)
    if (ls_s > 0)
        row("dataset load, store", ls_s, ls_cpu, 0, ls_mb)
    row("revops_analyze alone", an_s, an_cpu, 0, 0)
    row("revops analyze --csv, end to end", e2e_s, 0, 0, e2e_mb)
    row("cat | wc -l of the CSV (reference)", ref_s, 0, bytes / 1e6 / ref_s, 0)
    printf "\ndata set: %d rows, %.0f MB of CSV. End to end: load %.0f %%, analysis %.0f %%,\n",
        rows, bytes / 1e6, 100 * lc_s / e2e_s, 100 * an_s / e2e_s
    printf "the rest (JSON, freeing, exit) %.0f %%. Load average at the end: %s.\n",
        100 * (e2e_s - lc_s - an_s) / e2e_s, load
}'
