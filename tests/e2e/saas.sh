#!/usr/bin/env bash
# End to end, as a user runs the recurring-revenue commands: every output format, the same
# report from --csv and --db, the month range, and the errors of bad options.
# usage: saas.sh PATH/TO/revops
set -uo pipefail
revops=$1
work=$(mktemp -d /tmp/revops-e2e-saas-XXXXXX)
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

# saas: text, JSON from both sources, CSV files.
expect_status 0 "saas text" "$revops" saas --db "$work/demo.db"
expect_in "$work/out" "== Recurring revenue" "saas text title"
expect_in "$work/out" "MRR movements by month" "saas text movements"
expect_in "$work/out" "Churn and retention by month" "saas text rates"
expect_not_in "$work/out" "Pipeline" "saas alone"
expect_status 0 "saas json db" "$revops" saas --db "$work/demo.db" --as-of 2026-03-31 --format json \
    -o "$work/db.json"
expect_status 0 "saas json csv" "$revops" saas --csv "$work/data" --as-of 2026-03-31 --format json \
    -o "$work/csv.json"
cmp -s "$work/db.json" "$work/csv.json" || fail "saas: --db and --csv reports differ"
for key in '"saas": {' '"months": [' '"reactivation"' '"quick_ratio"' '"nrr_monthly"' \
    '"measured_on": "2026-03-31"' '"unit_economics": {' '"by_quarter": [' '"by_month": [' \
    '"cac_payback_months"' '"ltv_to_cac"'; do
    expect_in "$work/db.json" "$key" "saas json key"
done
expect_not_in "$work/db.json" '"movements_text"' "text-only tables stay out of JSON"
expect_status 0 "saas csv" "$revops" saas --db "$work/demo.db" --format csv -o "$work/csv"
[ -f "$work/csv/saas.months.csv" ] || fail "saas csv: no saas.months.csv"
[ -f "$work/csv/saas.summary.csv" ] || fail "saas csv: no saas.summary.csv"
[ ! -f "$work/csv/saas.movements_text.csv" ] || fail "saas csv: a text-only table was written"
head -1 "$work/csv/saas.months.csv" >"$work/head"
expect_in "$work/head" "month,mrr,arr,new,expansion,contraction,churn,reactivation,customers,arpa" \
    "saas csv header"

# The month range chooses rows only.
expect_status 0 "saas range" "$revops" saas --db "$work/demo.db" --from 2025-01 --to 2025-03 \
    --format json
# Three months in the months table and three in the unit economics by month.
[ "$(grep -c '"month": "2025-0[1-3]"' "$work/out")" -eq 6 ] || fail "saas range: not 3 months"
[ "$(grep -c '"measured_on"' "$work/out")" -eq 4 ] || fail "saas range: other months shown"

# The analysis has the section, and the scorecard grades from it.
expect_status 0 "analyze saas" "$revops" analyze --db "$work/demo.db" --section saas,scorecard \
    --format json
expect_in "$work/out" '"saas": {' "analyze saas section"
expect_not_in "$work/out" "computed by the saas section" "scorecard has the saas KPIs"

# A gross margin given replaces the measured one.
expect_status 0 "saas gross margin" "$revops" saas --db "$work/demo.db" --gross-margin 0.7 \
    --format json
expect_in "$work/out" '"gross_margin": 0.7,' "given gross margin"

# cohorts: both triangles, one in CSV on standard output, quarters.
expect_status 0 "cohorts text" "$revops" cohorts --db "$work/demo.db"
expect_in "$work/out" "Logo retention by cohort" "cohorts text logo"
expect_in "$work/out" "Revenue retention by cohort" "cohorts text revenue"
expect_status 0 "cohorts json" "$revops" cohorts --db "$work/demo.db" --by quarter --format json
expect_in "$work/out" '"by": "quarter"' "cohorts by quarter"
expect_in "$work/out" '"cells": [' "cohorts cells"
expect_status 0 "cohorts csv" "$revops" cohorts --db "$work/demo.db" --metric revenue --format csv
head -1 "$work/out" >"$work/head"
cp "$work/out" "$work/revenue-db.csv"
expect_in "$work/head" "cohort,customers,mrr,m0,m1," "cohorts csv header"
expect_status 0 "cohorts csv file" "$revops" cohorts --csv "$work/data" --metric revenue \
    --format csv -o "$work/revenue.csv"
cmp -s "$work/revenue-db.csv" "$work/revenue.csv" || fail "cohorts csv: --db and --csv differ"
expect_status 0 "cohorts csv folder" "$revops" cohorts --db "$work/demo.db" --format csv \
    -o "$work/coh"
[ -f "$work/coh/cohorts.logo.csv" ] && [ -f "$work/coh/cohorts.revenue.csv" ] ||
    fail "cohorts csv folder: triangles missing"
expect_status 2 "cohorts bad by" "$revops" cohorts --db "$work/demo.db" --by week
expect_status 2 "cohorts bad metric" "$revops" cohorts --db "$work/demo.db" --metric arr

# revrec: by month, into scheduled months, one contract in every format.
expect_status 0 "revrec text" "$revops" revrec --db "$work/demo.db"
expect_in "$work/out" "== Revenue recognition" "revrec text title"
expect_status 0 "revrec json" "$revops" revrec --db "$work/demo.db" --as-of 2026-03-31 --to 2026-09 \
    --format json -o "$work/rr-db.json"
expect_status 0 "revrec json csv" "$revops" revrec --csv "$work/data" --as-of 2026-03-31 \
    --to 2026-09 --format json -o "$work/rr-csv.json"
cmp -s "$work/rr-db.json" "$work/rr-csv.json" || fail "revrec: --db and --csv reports differ"
expect_in "$work/rr-db.json" '"status": "scheduled"' "revrec scheduled months"
expect_in "$work/rr-db.json" '"deferred_revenue"' "revrec deferred"
contract=$(sed -n '2s/^[^,]*,\([^,]*\),.*/\1/p' "$work/data/contract_line.csv")
expect_status 0 "revrec contract" "$revops" revrec --db "$work/demo.db" --contract "$contract" \
    --format json
expect_in "$work/out" "\"contract_id\": \"$contract\"" "revrec contract id"
expect_in "$work/out" '"schedule": [' "revrec contract schedule"
expect_status 0 "revrec contract csv" "$revops" revrec --db "$work/demo.db" --contract "$contract" \
    --format csv -o "$work/rr"
for f in revrec.months revrec.contracts revrec.contracts.lines revrec.contracts.lines.schedule \
    revrec.contracts.invoices revrec.contracts.months; do
    [ -f "$work/rr/$f.csv" ] || fail "revrec csv: no $f.csv"
done
head -1 "$work/rr/revrec.contracts.lines.schedule.csv" >"$work/head"
expect_in "$work/head" "contract_id,id,month,amount,cumulative" "revrec schedule csv header"
expect_status 2 "revrec unknown contract" "$revops" revrec --db "$work/demo.db" --contract K-NONE
expect_in "$work/err" "no contract 'K-NONE'" "unknown contract message"

# profitability: the deals won in the quarter, rated.
expect_status 0 "profitability" "$revops" profitability --db "$work/demo.db" --format json
expect_in "$work/out" '"profitability": {' "profitability section"
expect_in "$work/out" '"rating": "' "profitability ratings"
expect_status 0 "profitability text" "$revops" profitability --db "$work/demo.db" --period 2025
expect_in "$work/out" "Won deals, lowest margin first" "profitability text"
expect_status 2 "profitability thresholds" "$revops" profitability --db "$work/demo.db" \
    --good-margin 0.1 --fair-margin 0.2
expect_in "$work/err" "is above --good-margin" "profitability thresholds message"

# Everything at once.
expect_status 0 "analyze all" "$revops" analyze --db "$work/demo.db" --format json
for key in '"saas": {' '"cohorts": {' '"revrec": {' '"profitability": {'; do
    expect_in "$work/out" "$key" "analyze has every section"
done

# Bad options.
expect_status 2 "bad gross margin" "$revops" saas --db "$work/demo.db" --gross-margin 1.5
expect_status 2 "bad month" "$revops" saas --db "$work/demo.db" --from 2025-13
expect_in "$work/err" "--from must be a month (YYYY-MM)" "bad month message"
expect_status 2 "a date for a month" "$revops" saas --db "$work/demo.db" --to 2025-03-01
expect_status 2 "to before from" "$revops" saas --db "$work/demo.db" --from 2025-05 --to 2025-03
expect_in "$work/err" "is before --from" "to before from message"
expect_status 2 "bad format" "$revops" saas --db "$work/demo.db" --format xml
expect_status 2 "csv without -o" "$revops" saas --db "$work/demo.db" --format csv
expect_status 2 "no source" "$revops" saas

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all recurring-revenue checks passed"
