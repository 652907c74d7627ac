#!/usr/bin/env bash
# End to end, as a user runs `revops route`: the hand-made set of tests/fixtures/routing
# (README.md there derives every number) imported into a store; one lead by id and one as JSON
# on standard input; the errors of bad input; then --unassigned writing the owners and the
# change log in one transaction, a second run finding nothing left, and round robin going on
# after the last rep the log names. (The read-only cases are golden files in the fixture.)
# usage: route.sh PATH/TO/revops
set -uo pipefail
revops=$1
fixtures=${REVOPS_FIXTURES:?}
work=$(mktemp -d /tmp/revops-e2e-route-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
now=2026-03-15T12:00:00Z

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

expect_status() { # expected, description, command...
    local want=$1 what=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err" <"${stdin:-/dev/null}"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$what: exit status $got, expected $want"
        sed 's/^/  | /' "$work/err" >&2
    fi
}

expect_in() { # file, text, description
    grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $1"; sed 's/^/  | /' "$1" | head -20 >&2; }
}

expect_status 0 "init" "$revops" init --db "$work/r.db"
expect_status 0 "import" "$revops" import "$fixtures/routing" --db "$work/r.db"

# One lead of the store.
expect_status 0 "route U-1" "$revops" route --db "$work/r.db" --lead U-1 --now $now
expect_in "$work/out" "-> R-1 Anna Petrova, score 0.800: highest score: 0.800 against 0.410 for R-2" "U-1 to R-1"

# A lead as JSON on standard input: Moscow, ecommerce, 1,200,000 RUB (mid), like U-1.
echo '{"company":"Acme","industry":"ecommerce","region":"Moscow","estimated_value":"1200000 RUB"}' >"$work/lead.json"
stdin="$work/lead.json" expect_status 0 "route -" "$revops" route --db "$work/r.db" - --now $now --format json
expect_in "$work/out" '"lead": "(input)",' "json lead id"
expect_in "$work/out" '"chosen": "R-1",' "json lead chosen"
expect_in "$work/out" '"score": 0.8,' "json lead score"
expect_in "$work/out" '"tier": "mid",' "json lead tier"
# 40,000 USD at 90 RUB = 3,600,000 RUB: enterprise, which R-2 serves and R-1 does not.
echo '{"region": "Kazan", "industry": "fintech", "estimated_value": 40000, "currency": "USD"}' >"$work/usd.json"
stdin="$work/usd.json" expect_status 0 "route - usd" "$revops" route --csv "$fixtures/routing" - --now $now --explain
expect_in "$work/out" "tier enterprise" "usd lead tier"
expect_in "$work/out" "-> R-2 Boris Ivanov, score 0.960" "usd lead chosen"

# Bad input: clear errors, exit status 2, nothing done.
printf '{"company": "Acme",\n "region": "Moscow",}\n' >"$work/bad.json"
stdin="$work/bad.json" expect_status 2 "malformed json" "$revops" route --db "$work/r.db" -
expect_in "$work/err" "standard input:2:21: expected a key after ',', found '}' (JSON has no trailing commas)" "malformed json message"
echo '{"compnay": "Acme"}' >"$work/typo.json"
stdin="$work/typo.json" expect_status 2 "unknown field" "$revops" route --db "$work/r.db" -
expect_in "$work/err" "standard input:1:2: no lead field 'compnay': did you mean 'company'?" "unknown field message"
: >"$work/empty.json"
stdin="$work/empty.json" expect_status 2 "empty input" "$revops" route --db "$work/r.db" -
expect_in "$work/err" "standard input:1:1: expected a value" "empty input message"
expect_status 2 "unknown lead" "$revops" route --db "$work/r.db" --lead U-9
expect_in "$work/err" "no lead 'U-9' in the data" "unknown lead message"
expect_status 2 "two sources" "$revops" route --db "$work/r.db" --lead U-1 --unassigned
expect_in "$work/err" "give one of --lead ID, - (a JSON lead on standard input) or --unassigned" "two sources message"
expect_status 2 "csv cannot be written" "$revops" route --csv "$fixtures/routing" --unassigned
expect_in "$work/err" "add --dry-run" "csv write message"
expect_status 2 "bad now" "$revops" route --db "$work/r.db" --lead U-1 --now yesterday
expect_status 2 "bad method" "$revops" route --db "$work/r.db" --lead U-1 --method random
expect_status 2 "bad role" "$revops" route --db "$work/r.db" --lead U-1 --role wizard
expect_in "$work/err" "no role 'wizard'" "bad role message"

# A dry run writes nothing: the same answer twice.
expect_status 0 "dry run" "$revops" route --db "$work/r.db" --unassigned --dry-run --now $now
expect_in "$work/out" "4 unassigned leads as of $now, routed weighted: 4 would be assigned (dry run: nothing written)" "dry run summary"
cp "$work/out" "$work/dry1"
expect_status 0 "dry run again" "$revops" route --db "$work/r.db" --unassigned --dry-run --now $now
cmp -s "$work/out" "$work/dry1" || fail "a dry run changed the store"

# The batch: U-1 -> R-1, U-2 -> R-2, U-3 -> R-8, U-4 -> R-2 (README.md), stored.
expect_status 0 "batch" "$revops" route --db "$work/r.db" --unassigned --now $now --format json
expect_in "$work/out" '"stored": true,' "batch stored"
expect_in "$work/out" '"routed": 4,' "batch routed"
expect_status 0 "owner stored" "$revops" route --db "$work/r.db" --lead U-3 --now $now
expect_in "$work/out" "owner R-8" "U-3 now owned by R-8"
# Running it again finds nothing to route and writes nothing.
expect_status 0 "batch again" "$revops" route --db "$work/r.db" --unassigned --now $now
expect_in "$work/out" "0 unassigned leads as of $now, routed weighted: 0 assigned, 0 without an eligible rep" "second batch"

# A new lead, round robin: the change log's last routing gave U-4 to R-2, so the next
# eligible rep by id is R-8 (R-1 is at capacity since U-1).
printf 'id,created_at,stage\nU-6,2026-03-14T09:00:00Z,lead\n' >"$work/lead.csv"
expect_status 0 "import U-6" "$revops" import "$work/lead.csv" --db "$work/r.db"
expect_status 0 "round robin" "$revops" route --db "$work/r.db" --unassigned --method round_robin --now $now
expect_in "$work/out" "  U-6   R-8" "round robin after the log"
expect_in "$work/out" "round robin: the next eligible rep by id after R-2, who had the last lead" "round robin reason"
# The change log holds the five routing rows (LC-1 from the fixture, LC-2..LC-6), readable
# as CSV data of the store like any entity.
expect_status 0 "stats" "$revops" stats --db "$work/r.db" --format json
expect_in "$work/out" '"lifecycle_change": 6' "change log rows"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "route: all checks passed"
