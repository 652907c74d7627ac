#!/usr/bin/env bash
# End to end, as a user runs `revops analyze` and `revops pipeline`: every output format, the
# same report from --csv and --db, sections chosen and refused, and the errors of bad options.
# usage: analyze.sh PATH/TO/revops
set -uo pipefail
revops=$1
work=$(mktemp -d /tmp/revops-e2e-analyze-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

expect_status() { # expected, description, command...
    local want=$1 what=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$what: exit status $got, expected $want"
        sed 's/^/  | /' "$work/err" >&2
    fi
}

expect_in() { # file, text, description
    grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $1"; sed 's/^/  | /' "$1" | head -20 >&2; }
}

expect_not_in() { # file, text, description
    if grep -qF -- "$2" "$1"; then fail "$3: '$2' in $1"; fi
}

expect_status 0 "gen" "$revops" gen --out "$work/data" --scale 1200 --seed 5
expect_status 0 "init" "$revops" init --db "$work/demo.db"
expect_status 0 "import" "$revops" import "$work/data" --db "$work/demo.db"

# Text: the scorecard first, then the sections.
expect_status 0 "analyze text" "$revops" analyze --db "$work/demo.db"
cp "$work/out" "$work/report.txt"
expect_in "$work/report.txt" "== KPI scorecard" "text has the scorecard"
expect_in "$work/report.txt" "== Pipeline" "text has the pipeline"
first=$(grep -n "^== " "$work/report.txt" | head -1)
case $first in *"KPI scorecard"*) ;; *) fail "the scorecard is not first: $first" ;; esac

# JSON from the store and from the CSV files are the same report.
expect_status 0 "analyze json db" "$revops" analyze --db "$work/demo.db" --as-of 2026-03-31 \
    --period 2026-Q1 --format json -o "$work/db.json"
expect_status 0 "analyze json csv" "$revops" analyze --csv "$work/data" --as-of 2026-03-31 \
    --period 2026-Q1 --format json -o "$work/csv.json"
cmp -s "$work/db.json" "$work/csv.json" || fail "--db and --csv reports differ"
expect_in "$work/db.json" '"as_of": "2026-03-31"' "json as-of"
expect_in "$work/db.json" '"period": "2026-Q1"' "json period"
for key in '"pipeline": {' '"scorecard": {' '"pipeline_weighted"' '"coverage_ratio"' \
    '"slippage_rate"' '"pipeline_movement"' '"kpis"'; do
    expect_in "$work/db.json" "$key" "json key"
done

# One CSV file per table.
expect_status 0 "analyze csv" "$revops" analyze --db "$work/demo.db" --section pipeline \
    --format csv -o "$work/csvout"
expect_in "$work/err" "CSV files to" "csv summary line"
[ -f "$work/csvout/pipeline.at_risk.csv" ] || fail "no pipeline.at_risk.csv"
[ -f "$work/csvout/pipeline.summary.csv" ] || fail "no pipeline.summary.csv"
[ -f "$work/csvout/scorecard.kpis.csv" ] && fail "scorecard written though not asked for"
expect_in "$work/csvout/pipeline.summary.csv" "pipeline_total," "csv summary row"

# The deals at risk alone, in each format; every row names a reason.
expect_status 0 "at risk" "$revops" pipeline --db "$work/demo.db" --at-risk
expect_in "$work/out" "reasons" "at-risk heading"
expect_status 0 "at risk csv" "$revops" pipeline --db "$work/demo.db" --at-risk --format csv \
    -o "$work/risk.csv"
head -1 "$work/risk.csv" | grep -q "^id,name,owner_id,owner,stage,amount,close_date,days_in_stage,reasons$" ||
    fail "at-risk CSV header: $(head -1 "$work/risk.csv")"
[ "$(wc -l <"$work/risk.csv")" -gt 1 ] || fail "no deal at risk in the demo data"
if awk -F, 'NR > 1 && $NF == ""' "$work/risk.csv" | grep -q .; then fail "an at-risk row without a reason"; fi
expect_status 0 "at risk json" "$revops" pipeline --db "$work/demo.db" --at-risk --format json
head -c 1 "$work/out" | grep -q '\[' || fail "at-risk JSON is not an array"

# Bad options say what is wrong and change nothing.
expect_status 2 "bad section" "$revops" analyze --db "$work/demo.db" --section pipline
expect_in "$work/err" "no section 'pipline'" "bad section message"
expect_status 2 "bad period" "$revops" analyze --db "$work/demo.db" --period 2026-Q5
expect_in "$work/err" "--period must be YYYY-MM, YYYY-Qn or YYYY, not '2026-Q5'" "bad period message"
expect_status 2 "bad as-of" "$revops" analyze --db "$work/demo.db" --as-of 2026-02-30
expect_in "$work/err" "--as-of must be a date" "bad as-of message"
expect_status 2 "bad format" "$revops" analyze --db "$work/demo.db" --format xml
expect_status 2 "csv without -o" "$revops" analyze --db "$work/demo.db" --format csv
expect_in "$work/err" "give -o DIR" "csv without -o message"
expect_status 2 "bad currency" "$revops" analyze --db "$work/demo.db" --currency EURO
expect_in "$work/err" "not 'EURO'" "bad currency message"
expect_status 2 "bad fraction" "$revops" analyze --db "$work/demo.db" --ramp-threshold abc
expect_in "$work/err" "--ramp-threshold must be a number" "bad fraction message"
expect_status 2 "no data source" "$revops" analyze
expect_status 2 "missing store" "$revops" analyze --db "$work/none.db"
expect_status 2 "unwritable output" "$revops" analyze --db "$work/demo.db" -o "$work/no/such/dir/x.txt"
expect_in "$work/err" "cannot write into $work/no/such/dir" "unwritable output message"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all analyze checks passed"
