#!/usr/bin/env bash
# End to end, as a user runs it: gen -> init -> import -> stats, re-import as a no-op, the
# same numbers from --csv and --db, and the exit statuses of bad input.
# usage: pipeline.sh PATH/TO/revops
set -uo pipefail
revops=$1
work=$(mktemp -d /tmp/revops-e2e-XXXXXX)
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

# Help and version come from the command table.
expect_status 0 "version" "$revops" --version
expect_in "$work/out" "revops 0." "version"
expect_status 0 "help" "$revops" --help
for cmd in demo gen init import analyze pipeline forecast stats saas cohorts revrec profitability config score route lifecycle sla task; do
    expect_in "$work/out" "  $cmd " "help lists $cmd"
done
# docs/cli.md documents every option of every command.
if [ -n "${REVOPS_SOURCE:-}" ] && [ -f "$REVOPS_SOURCE/docs/cli.md" ]; then
    for cmd in demo gen init import analyze pipeline forecast stats saas cohorts revrec profitability config score route lifecycle sla task; do
        "$revops" "$cmd" --help | sed -n 's/^  \(-[a-z], \)\{0,1\}\(--[a-z-]*\).*/\2/p' >"$work/opts"
        while read -r opt; do
            grep -qE -- "${opt}([^A-Za-z0-9_-]|$)" "$REVOPS_SOURCE/docs/cli.md" || fail "docs/cli.md does not mention $cmd $opt"
        done <"$work/opts"
        grep -q "^### $cmd\$" "$REVOPS_SOURCE/docs/cli.md" || fail "docs/cli.md has no section for $cmd"
    done
fi
expect_status 0 "import --help" "$revops" import --help
expect_in "$work/out" "--dry-run" "import help lists --dry-run"
expect_status 2 "unknown command" "$revops" frobnicate
expect_in "$work/err" "no command 'frobnicate'" "unknown command message"
expect_status 2 "unknown option" "$revops" stats --bogus
expect_in "$work/err" "unknown option '--bogus'" "unknown option message"

# gen is deterministic.
expect_status 0 "gen" "$revops" gen --out "$work/data" --scale 1500 --seed 7
expect_status 0 "gen again" "$revops" gen --out "$work/again" --scale 1500 --seed 7
for f in "$work"/data/*.csv; do
    cmp -s "$f" "$work/again/$(basename "$f")" || fail "gen is not deterministic: $(basename "$f")"
done
[ "$(ls "$work"/data/*.csv | wc -l)" -eq 22 ] || fail "gen wrote $(ls "$work"/data/*.csv | wc -l) files, expected 22"
expect_status 2 "gen with a bad scale" "$revops" gen --out "$work/x" --scale 0
expect_in "$work/err" "--scale must be a whole number" "bad scale message"

# init, import, stats.
expect_status 2 "import without a store" "$revops" import "$work/data" --db "$work/none.db"
expect_in "$work/err" "revops init --db" "missing store hint"
expect_status 0 "init" "$revops" init --db "$work/demo.db"
expect_in "$work/out" "created store" "init message"
expect_status 0 "init again" "$revops" init --db "$work/demo.db"
expect_in "$work/out" "already existed" "init again message"
expect_status 0 "import" "$revops" import "$work/data" --db "$work/demo.db" --currency RUB --format json
expect_in "$work/out" '"rejected": 0' "import rejects nothing"
opps=$(wc -l <"$work/data/opportunity.csv")
expect_in "$work/out" "\"rows\": $((opps - 1))," "opportunity rows imported"
expect_status 0 "re-import" "$revops" import "$work/data" --db "$work/demo.db" --currency RUB --format json
expect_in "$work/out" '"inserted": 0,' "re-import inserts nothing"
expect_in "$work/out" '"updated": 0,' "re-import updates nothing"

expect_status 0 "stats --db" "$revops" stats --db "$work/demo.db" --format json
cp "$work/out" "$work/stats-db.json"
expect_in "$work/stats-db.json" "\"opportunity\": 1500" "stats counts opportunities"
expect_in "$work/stats-db.json" '"data_quality"' "stats has data quality"
expect_status 0 "stats --csv" "$revops" stats --csv "$work/data" --format json
cmp -s "$work/out" "$work/stats-db.json" || fail "stats from --csv and --db differ"
expect_status 0 "stats text" "$revops" stats --db "$work/demo.db"
expect_in "$work/out" "Data quality:" "stats text headline"
expect_status 2 "stats without a source" "$revops" stats
expect_status 2 "stats with a bad date" "$revops" stats --db "$work/demo.db" --as-of 2026-13-01

# forecast: the same seed gives the same report from --db and --csv; a backtest runs; bad
# options are refused before the data are loaded.
expect_status 0 "forecast --db" "$revops" forecast --db "$work/demo.db" --period 2026-Q3 --as-of 2026-07-15 --seed 3 --backtest 2 --format json
cp "$work/out" "$work/forecast-db.json"
expect_in "$work/forecast-db.json" '"probability_of_target"' "forecast has the chance of target"
expect_in "$work/forecast-db.json" '"accuracy_summary": [' "forecast has a backtest summary"
expect_status 0 "forecast --csv" "$revops" forecast --csv "$work/data" --period 2026-Q3 --as-of 2026-07-15 --seed 3 --backtest 2 --format json --threads 1
cmp -s "$work/out" "$work/forecast-db.json" || fail "forecast from --csv (1 thread) and --db differ"
expect_status 0 "forecast text" "$revops" forecast --db "$work/demo.db" --target 150000000
expect_in "$work/out" "Expected bookings" "forecast text leads with the expected bookings"
expect_status 2 "forecast with no runs" "$revops" forecast --db "$work/demo.db" --sims 0
expect_status 2 "forecast with a bad target" "$revops" forecast --db "$work/demo.db" --target lots
expect_status 2 "forecast weights without backtest" "$revops" forecast --db "$work/demo.db" --weights backtest

# Bad input: some rows rejected -> 3, the rest imported; nothing valid -> 2.
mkdir -p "$work/bad"
head -1 "$work/data/account.csv" >"$work/bad/account.csv"
sed -n '2,3p' "$work/data/account.csv" >>"$work/bad/account.csv"
echo "A-NEW-1,,,,,,,,,,,2026-01-01" >>"$work/bad/account.csv"
expect_status 3 "partly bad import" "$revops" import "$work/bad" --db "$work/demo.db"
expect_in "$work/err" "1 of 3 rows were rejected" "partial import message"
[ -f "$work/bad/account.rejects.csv" ] || fail "no rejects file written"
expect_in "$work/bad/account.rejects.csv" "name: required, but empty" "rejects reason"
printf 'id,name,created_at\nA-X,"open quote,2026-01-01\n' >"$work/bad/account.csv"
expect_status 2 "broken CSV" "$revops" import "$work/bad" --db "$work/demo.db"
expect_in "$work/err" "account.csv:2" "broken CSV location"
expect_in "$work/err" "never closed" "broken CSV reason"
printf 'id,name\nA-X,Acme\n' >"$work/bad/account.csv"
expect_status 2 "missing column" "$revops" import "$work/bad" --db "$work/demo.db"
expect_in "$work/err" "lacks required column(s) created_at" "missing column message"
printf 'id,name,created_at\nA-Y,,2026-01-01\n' >"$work/bad/account.csv"
expect_status 2 "all rows bad" "$revops" import "$work/bad" --db "$work/demo.db"
expect_in "$work/err" "nothing imported" "all rows bad message"
expect_status 0 "dry run" "$revops" import "$work/data/team.csv" --db "$work/demo.db" --dry-run

# demo does everything in one go and can run twice.
expect_status 0 "demo" "$revops" demo --dir "$work/demo" --db "$work/demo2.db" --scale 800
expect_in "$work/out" "Data quality:" "demo summary"
expect_status 0 "demo again" "$revops" demo --dir "$work/demo" --db "$work/demo2.db" --scale 800
expect_in "$work/out" "0 new, 0 updated" "demo again changes nothing"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all end-to-end checks passed"
