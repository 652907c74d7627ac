#!/usr/bin/env bash
# The foundation benchmark: the generator, the import into a new SQLite store, and the
# dataset load from the store and from the CSV folder, each the median of RUNS runs in its
# own process (so its peak RSS is its own), beside a reference run in the same go: the sqlite3
# shell's own .import of the same opportunity.csv into an empty table.
#
#   bench/run.sh [SCALE] [RUNS]        defaults: 1000000 and 3; WORK=/tmp/revops-bench
#
# At scale 1,000,000 the data set is about 57 million rows and 4.8 GB of CSV (and a 7 GB
# store): one run of everything takes about 20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1000000}
runs=${2:-3}
work=${WORK:-/tmp/revops-bench}
bash scripts/build.sh build >/dev/null
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }
bin=build/bench_foundation
rm -rf "$work"
mkdir -p "$work"

# Median of the numbers on stdin.
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# The value of key=<number> in lines on stdin.
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

run_step() { # name, command...: runs it RUNS times, prints "<median s> <median MB> <rows> <bytes>"
    local name=$1 out=""
    shift
    for _ in $(seq "$runs"); do
        [ "$name" = gen ] && rm -rf "$work/data"
        [ "$name" = import ] && rm -f "$work/store.db" "$work/store.db-wal" "$work/store.db-shm"
        out+="$("$@")"$'\n'
    done
    printf '%s %s %s %s\n' "$(echo "$out" | field seconds | median)" \
        "$(echo "$out" | field peak_rss_mb | median)" "$(echo "$out" | head -1 | field rows)" \
        "$(echo "$out" | head -1 | field bytes)"
}

echo "foundation benchmark: scale $scale, median of $runs runs, $(nproc) cores" >&2
read -r gen_s gen_mb gen_rows gen_bytes < <(run_step gen "$bin" gen "$work/data" "$scale" 7)
read -r imp_s imp_mb imp_rows _ < <(run_step import "$bin" import "$work/data" "$work/store.db")
read -r ls_s ls_mb _ _ < <(run_step load-store "$bin" load-store "$work/store.db")
read -r lc_s lc_mb _ _ < <(run_step load-csv "$bin" load-csv "$work/data")

ref=""
for _ in $(seq "$runs"); do
    rm -f "$work/ref.db"
    t0=$(date +%s.%N)
    sqlite3 "$work/ref.db" ".mode csv" ".import $work/data/opportunity.csv opportunity"
    t1=$(date +%s.%N)
    ref+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')"$'\n'
done
ref_s=$(echo "$ref" | grep . | median)
opp_rows=$(($(wc -l <"$work/data/opportunity.csv") - 1))
opp_bytes=$(stat -c %s "$work/data/opportunity.csv")
store_bytes=$(stat -c %s "$work/store.db")

awk -v scale="$scale" -v runs="$runs" \
    -v gen_s="$gen_s" -v gen_mb="$gen_mb" -v rows="$gen_rows" -v bytes="$gen_bytes" \
    -v imp_s="$imp_s" -v imp_mb="$imp_mb" -v imp_rows="$imp_rows" \
    -v ls_s="$ls_s" -v ls_mb="$ls_mb" -v lc_s="$lc_s" -v lc_mb="$lc_mb" \
    -v ref_s="$ref_s" -v opp_rows="$opp_rows" -v opp_bytes="$opp_bytes" -v store="$store_bytes" '
BEGIN {
    printf "%-26s %10s %14s %10s %12s\n", "step", "seconds", "rows/s", "MB/s", "peak RSS MB"
    printf "%-26s %10.1f %14.0f %10.1f %12d\n", "gen", gen_s, rows / gen_s, bytes / 1e6 / gen_s, gen_mb
    printf "%-26s %10.1f %14.0f %10.1f %12d\n", "import (new store)", imp_s, imp_rows / imp_s, bytes / 1e6 / imp_s, imp_mb
    printf "%-26s %10.1f %14.0f %10s %12d\n", "dataset load, store", ls_s, imp_rows / ls_s, "-", ls_mb
    printf "%-26s %10.1f %14.0f %10.1f %12d\n", "dataset load, CSV", lc_s, imp_rows / lc_s, bytes / 1e6 / lc_s, lc_mb
    printf "%-26s %10.1f %14.0f %10.1f %12s\n", "sqlite3 .import (reference)", ref_s, opp_rows / ref_s, opp_bytes / 1e6 / ref_s, "-"
    printf "\ndata set: %d rows, %.0f MB of CSV; store %.0f MB. The reference imports only\n", rows, bytes / 1e6, store / 1e6
    printf "opportunity.csv (%d rows, %.0f MB) as untyped text, with no key, index or check.\n", opp_rows, opp_bytes / 1e6
}'
