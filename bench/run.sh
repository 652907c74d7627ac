#!/usr/bin/env bash
# The foundation benchmark: generator, import, dataset load from the store and from CSV, each
# the median of RUNS runs, beside a reference run in the same go: the sqlite3 shell's own
# .import of the same opportunity.csv into an empty table.
#
#   bench/run.sh [SCALE] [RUNS]      (defaults: 1000000 and 3; WORK=/tmp/revops-bench)
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

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

declare -A secs rss
record() { # step, output lines of all runs
    secs[$1]=$(echo "$2" | field seconds | median)
    rss[$1]=$(echo "$2" | field peak_rss_mb | median)
}

out=""
for r in $(seq "$runs"); do
    rm -rf "$work/data"
    out+=$("$bin" gen "$work/data" "$scale" 7)$'\n'
done
record gen "$out"
gen_rows=$(echo "$out" | head -1 | field rows)
gen_bytes=$(echo "$out" | head -1 | field bytes)

out=""
for r in $(seq "$runs"); do
    rm -f "$work/store.db" "$work/store.db-wal" "$work/store.db-shm"
    out+=$("$bin" import "$work/data" "$work/store.db")$'\n'
done
record import "$out"
import_rows=$(echo "$out" | head -1 | field rows)

out=""
for r in $(seq "$runs"); do out+=$("$bin" load-store "$work/store.db")$'\n'; done
record load-store "$out"
out=""
for r in $(seq "$runs"); do out+=$("$bin" load-csv "$work/data")$'\n'; done
record load-csv "$out"

ref=""
for r in $(seq "$runs"); do
    rm -f "$work/ref.db"
    t0=$(date +%s.%N)
    sqlite3 "$work/ref.db" ".mode csv" ".import $work/data/opportunity.csv opportunity"
    t1=$(date +%s.%N)
    ref+="$(echo "$t1 - $t0" | bc -l)"$'\n'
done
ref_secs=$(echo "$ref" | grep . | median)
opp_rows=$(($(wc -l <"$work/data/opportunity.csv") - 1))
opp_bytes=$(stat -c %s "$work/data/opportunity.csv")

echo "foundation benchmark: scale $scale, median of $runs runs, $(nproc) cores"
printf '%-12s %10s %14s %12s %12s\n' step seconds rows/s MB/s peak_RSS_MB
printf '%-12s %10.2f %14.0f %12.1f %12s\n' gen "${secs[gen]}" "$(echo "$gen_rows / ${secs[gen]}" | bc -l)" "$(echo "$gen_bytes / 1000000 / ${secs[gen]}" | bc -l)" "${rss[gen]}"
printf '%-12s %10.2f %14.0f %12.1f %12s\n' import "${secs[import]}" "$(echo "$import_rows / ${secs[import]}" | bc -l)" "$(echo "$gen_bytes / 1000000 / ${secs[import]}" | bc -l)" "${rss[import]}"
printf '%-12s %10.2f %14.0f %12s %12s\n' load-store "${secs[load-store]}" "$(echo "$import_rows / ${secs[load-store]}" | bc -l)" - "${rss[load-store]}"
printf '%-12s %10.2f %14.0f %12.1f %12s\n' load-csv "${secs[load-csv]}" "$(echo "$import_rows / ${secs[load-csv]}" | bc -l)" "$(echo "$gen_bytes / 1000000 / ${secs[load-csv]}" | bc -l)" "${rss[load-csv]}"
echo
echo "reference: sqlite3 .import of opportunity.csv ($opp_rows rows, $((opp_bytes / 1000000)) MB): $ref_secs s, $(echo "$opp_rows / $ref_secs" | bc -l | cut -d. -f1) rows/s"
echo "data set: $gen_rows rows, $((gen_bytes / 1000000)) MB of CSV; store $(($(stat -c %s "$work/store.db") / 1000000)) MB"
