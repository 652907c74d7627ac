#!/usr/bin/env bash
# The analysis benchmark: loading the data set from its CSV folder and from a store, the
# analysis alone (all sections, and the five core ones: pipeline, funnel, win/loss, team and
# scorecard), and `revops analyze --csv` from start to exit, each the median of RUNS runs
# in its own process (so its peak RSS is its own), beside a reference run in the same go:
# `cat | wc -l` over the same CSV files, which only reads them. The machine may be shared:
# the steps take turns, and the CPU seconds show what each cost whatever else ran.
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

# Prints "<s> <cpu s> <MB> <rows> <bytes>": the medians of the lines given (one per run).
summary() {
    printf '%s %s %s %s %s\n' "$(echo "$1" | field seconds | median)" \
        "$(echo "$1" | field cpu_seconds | median)" "$(echo "$1" | field peak_rss_mb | median)" \
        "$(echo "$1" | head -1 | field rows)" "$(echo "$1" | head -1 | field bytes)"
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
# The steps take turns, run after run, so that what else the machine is doing meanwhile
# weighs on each of them alike.
ref="" lc="" ls="" an="" an5="" e2e="" old=""
for _ in $(seq "$runs"); do
    t0=$(date +%s.%N)
    cat "$work"/data/*.csv | wc -l >/dev/null
    t1=$(date +%s.%N)
    ref+="ref seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')"$'\n'
    lc+="$("$bin" load-csv "$work/data")"$'\n'
    if [ -f "$work/store.db" ] && [ "${STORE:-1}" != 0 ]; then
        ls+="$("$bin" load-store "$work/store.db")"$'\n'
    fi
    an+="$("$bin" analyze "$work/data" 5)"$'\n'
    an5+="$("$bin" analyze "$work/data" 5 31)"$'\n'
    e2e+="$("$bin" run "$build/revops" analyze --csv "$work/data" --format json -o /dev/null)"$'\n'
    if [ -n "${REF:-}" ]; then
        old+="$("$REF" load-csv "$work/data")"$'\n'
    fi
done
ref_s=$(echo "$ref" | field seconds | median)
read -r lc_s lc_cpu lc_mb rows bytes < <(summary "$lc")
ls_s=0 ls_cpu=0 ls_mb=0 old_s=0 old_mb=0
[ -n "$ls" ] && read -r ls_s ls_cpu ls_mb _ _ < <(summary "$ls")
read -r an_s an_cpu an_mb _ _ < <(summary "$an")
read -r an5_s an5_cpu _ _ _ < <(summary "$an5")
read -r e2e_s _ e2e_mb _ _ < <(summary "$e2e")
[ -n "$old" ] && read -r old_s _ old_mb _ _ < <(summary "$old")

awk -v rows="$rows" -v bytes="$bytes" -v ref_s="$ref_s" \
    -v lc_s="$lc_s" -v lc_cpu="$lc_cpu" -v lc_mb="$lc_mb" \
    -v ls_s="$ls_s" -v ls_cpu="$ls_cpu" -v ls_mb="$ls_mb" \
    -v an_s="$an_s" -v an_cpu="$an_cpu" -v an5_s="$an5_s" -v an5_cpu="$an5_cpu" \
    -v e2e_s="$e2e_s" -v e2e_mb="$e2e_mb" \
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
    row("  the five core sections", an5_s, an5_cpu, 0, 0)
    row("revops analyze --csv, end to end", e2e_s, 0, 0, e2e_mb)
    row("cat | wc -l of the CSV (reference)", ref_s, 0, bytes / 1e6 / ref_s, 0)
    printf "\ndata set: %d rows, %.0f MB of CSV. End to end: load %.0f %%, analysis %.0f %%,\n",
        rows, bytes / 1e6, 100 * lc_s / e2e_s, 100 * an_s / e2e_s
    printf "the rest (JSON, freeing, exit) %.0f %%. Load average at the end: %s.\n",
        100 * (e2e_s - lc_s - an_s) / e2e_s, load
}'
