#!/usr/bin/env bash
# End to end, as a user runs `revops lifecycle run` and `revops sla`: the hand-made set of
# tests/fixtures/lifecycle (README.md there works out every change, task and number) imported
# into a store; the run for real, in one transaction; a second run changing nothing; the SLA
# report after it; an opportunity transition; a failing run leaving the store as it was; and
# the errors of bad usage. (The dry run and the SLA report before the run are golden files.)
# usage: lifecycle.sh PATH/TO/revops
set -uo pipefail
revops=$1
fixtures=${REVOPS_FIXTURES:?}
work=$(mktemp -d /tmp/revops-e2e-lifecycle-XXXXXX)
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

fresh_store() { # path
    rm -f "$1" "$1-wal" "$1-shm"
    "$revops" init --db "$1" >/dev/null && "$revops" import "$fixtures/lifecycle" --db "$1" >/dev/null ||
        fail "importing the fixture into $1"
}

fresh_store "$work/l.db"

# The run: 6 changes, 4 tasks created, 7 updated, stored in one transaction.
expect_status 0 "run" "$revops" lifecycle run --db "$work/l.db" --now $now
expect_in "$work/out" "Lifecycle run as of $now: 13 leads and 5 opportunities; 6 stage changes, 4 handoff tasks created, 7 updated (stored)" "run summary"
expect_in "$work/out" "  LC-3     lead        A-2      mql -> sql  (mql_to_sql)" "A-2 to sql"
expect_in "$work/out" "  TASK-13  marketing_to_sales         lead        A-13     owner R-5    clock 2026-03-12T09:00:00Z due 2026-03-13T09:00:00Z, open" "backfilled task"
expect_status 0 "stats" "$revops" stats --db "$work/l.db" --format json
expect_in "$work/out" '"lifecycle_change": 6' "change log rows"
expect_in "$work/out" '"task": 14' "task rows"
expect_status 0 "A-2 moved" "$revops" route --db "$work/l.db" --lead A-2 --now $now
expect_in "$work/out" "Lead A-2 (stage sql," "A-2 stored at sql"

# Idempotent: the same time again finds nothing to do.
expect_status 0 "run again" "$revops" lifecycle run --db "$work/l.db" --now $now --format json
expect_in "$work/out" '"stored": false,' "second run stores nothing"
expect_in "$work/out" '"changes_total": 0,' "second run changes"
expect_in "$work/out" '"tasks_created_total": 0,' "second run tasks"
expect_in "$work/out" '"tasks_updated_total": 0,' "second run updates"
expect_status 0 "stats again" "$revops" stats --db "$work/l.db" --format json
expect_in "$work/out" '"lifecycle_change": 6' "no duplicate changes"
expect_in "$work/out" '"task": 14' "no duplicate tasks"

# The SLA report after the run: TASK-11 and TASK-12 pending, TASK-13 overdue by 2 d 14 h 59 min
# 59 s (3779.98 min), TASK-14 within 360 min.
expect_status 0 "sla" "$revops" sla --db "$work/l.db" --as-of 2026-03-15
expect_in "$work/out" "Handoff SLA as of 2026-03-15: 13 tasks created by the end of the day, 4 breaches" "sla summary"
expect_in "$work/out" "  9 handoffs: 5 responded (median 360 min, p90 2376 min), 3 within the SLA, 3 breached (2 late, 1 overdue), 3 pending" "marketing_to_sales after the run"
expect_in "$work/out" "  SLA compliance 50.0%; accepted 3, rejected 2, open 4: acceptance 60.0% (target 80.0%: below)" "marketing_to_sales rates"
expect_in "$work/out" "  3 handoffs: 2 responded (median 870 min, p90 1278 min), 2 within the SLA, 1 breached (0 late, 1 overdue), 0 pending" "customer success after the run"
expect_in "$work/out" "  TASK-13  marketing_to_sales         lead        A-13     owner R-5    due 2026-03-13T09:00:00Z, no response, 2d 14h 59m late" "TASK-13 breach"
expect_status 0 "sla json" "$revops" sla --db "$work/l.db" --as-of 2026-03-15 --format json --top 0
expect_in "$work/out" '"breaches_total": 4,' "json breaches"
expect_in "$work/out" '"minutes_late": 3779.983333333333' "json minutes late"

# An opportunity transition: O-3 has been in proposal for 42 days.
cat >"$work/opp.yaml" <<'YAML'
revops:
  process_alignment:
    end_to_end_process:
      transitions:
        - name: stale_proposal
          entity: opportunity
          from: [proposal]
          to: closed_lost
          criteria: days_since(created_at) > 30
YAML
fresh_store "$work/o.db"
expect_status 0 "opportunity run" "$revops" lifecycle run --db "$work/o.db" --config "$work/opp.yaml" --now $now
expect_in "$work/out" "1 stage changes, 2 handoff tasks created, 7 updated (stored)" "opportunity run summary"
expect_in "$work/out" "  LC-1     opportunity O-3      proposal -> closed_lost  (stale_proposal)" "O-3 lost"
expect_status 0 "opportunity stats" "$revops" stats --db "$work/o.db" --format json
expect_in "$work/out" '"stage_change": 10' "a stage_change row for O-3"
expect_status 0 "opportunity run again" "$revops" lifecycle run --db "$work/o.db" --config "$work/opp.yaml" --now $now
expect_in "$work/out" "0 stage changes, 0 handoff tasks created, 0 updated (nothing to store)" "opportunity run again"

# A run that fails half way leaves the store as it was: A-1 moves first, then a lead whose
# amount is in GBP, without an exchange rate, cannot be compared with roubles.
cat >"$work/money.yaml" <<'YAML'
revops:
  process_alignment:
    end_to_end_process:
      transitions:
        - {name: warm, from: [lead], to: mql, criteria: score >= 50}
        - {name: big, from: [lead], to: sql, criteria: estimated_value > 1000 RUB}
YAML
fresh_store "$work/m.db"
printf 'id,created_at,stage,estimated_value,currency,score\nA-99,2026-03-12T09:00:00Z,lead,500,GBP,1\n' >"$work/lead.csv"
expect_status 0 "import a GBP lead" "$revops" import "$work/lead.csv" --db "$work/m.db"
expect_status 2 "failing run" "$revops" lifecycle run --db "$work/m.db" --config "$work/money.yaml" --now $now
expect_in "$work/err" "lead A-99: transition 'big'" "failing run names lead and transition"
expect_in "$work/err" "GBP" "failing run names the currency"
expect_status 0 "stats after the failure" "$revops" stats --db "$work/m.db" --format json
expect_in "$work/out" '"lifecycle_change": 0' "nothing stored by the failed run"

# Bad usage.
expect_status 2 "csv without dry run" "$revops" lifecycle run --csv "$fixtures/lifecycle"
expect_in "$work/err" "add --dry-run" "csv message"
expect_status 2 "unknown action" "$revops" lifecycle start --db "$work/l.db"
expect_in "$work/err" "no lifecycle action 'start': use run" "unknown action message"
expect_status 2 "bad now" "$revops" lifecycle run --db "$work/l.db" --now 2026-02-30
expect_status 2 "sla bad as-of" "$revops" sla --db "$work/l.db" --as-of tomorrow

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "lifecycle: all checks passed"
