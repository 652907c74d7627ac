#!/usr/bin/env bash
# End to end, as a user runs `revops task`: the hand-made set of tests/fixtures/lifecycle
# (README.md there works out every task) imported into a store and run through the lifecycle
# at 2026-03-15T12:00:00Z; then the open tasks listed, one accepted and one rejected by hand,
# what the SLA report makes of that, a later lifecycle run keeping the decisions, and the
# errors of bad usage and of deciding twice.
# usage: task.sh PATH/TO/revops
set -uo pipefail
revops=$1
fixtures=${REVOPS_FIXTURES:?}
work=$(mktemp -d /tmp/revops-e2e-task-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
now=2026-03-15T12:00:00Z
later=2026-03-15T13:00:00Z

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
    ! grep -qF -- "$2" "$1" || fail "$3: '$2' in $1"
}

db=$work/l.db
"$revops" init --db "$db" >/dev/null && "$revops" import "$fixtures/lifecycle" --db "$db" >/dev/null &&
    "$revops" lifecycle run --db "$db" --now $now >/dev/null || fail "setting up the store"

# Open at 12:00: TASK-7 (due 03-12T10:00, 74 h = 4440 min overdue), TASK-13 (due 03-13T09:00,
# 51 h = 3060 min overdue), then TASK-4 (due 03-16T10:00), TASK-11 and TASK-12 (03-16T12:00).
expect_status 0 "list" "$revops" task list --db "$db" --now $now
expect_in "$work/out" "  Tasks   5" "open tasks"
order=$(grep -o '^  TASK-[0-9]*' "$work/out" | tr -d ' ' | tr '\n' ' ')
[ "$order" = "TASK-7 TASK-13 TASK-4 TASK-11 TASK-12 " ] || fail "list order: $order"
expect_in "$work/out" "  TASK-7   sales_to_customer_success  O-2     R-6    open    2026-03-10T10:00:00Z  2026-03-12T10:00:00Z  3d 2h 0m" "TASK-7 row"
expect_status 0 "overdue of R-5" "$revops" task list --db "$db" --now $now --overdue --owner R-5 --format json
expect_in "$work/out" '"matched": 1,' "one overdue task of R-5"
expect_in "$work/out" '"id": "TASK-13",' "TASK-13 overdue"
expect_in "$work/out" '"overdue_minutes": 3060,' "TASK-13 minutes overdue"
expect_status 0 "the CSV folder" "$revops" task list --csv "$fixtures/lifecycle" --now $now --status all --top 0
expect_in "$work/out" "  Tasks   9" "tasks of the folder by now: TASK-1 to 10 but TASK-9, created later"

# By hand at 13:00: TASK-13 accepted 76 h after its creation, 52 h past due; TASK-4 rejected
# 3 h after its creation, within its SLA.
expect_status 0 "accept" "$revops" task accept TASK-13 --db "$db" --by R-5 --now $later
expect_in "$work/out" "TASK-13 accepted at $later by R-5: lead A-13 (handoff marketing_to_sales), 4560 minutes after it was handed over, 3120 minutes past its SLA (due 2026-03-13T09:00:00Z)" "accept message"
expect_status 0 "reject" "$revops" task reject TASK-4 --db "$db" --by R-5 --reason "duplicate of A-13" --now $later
expect_in "$work/out" "TASK-4 rejected at $later by R-5: lead A-9 (handoff marketing_to_sales), 180 minutes after it was handed over, within its SLA (due 2026-03-16T10:00:00Z)" "reject message"
expect_in "$work/out" "reason: duplicate of A-13" "reject reason"
expect_status 0 "decided list" "$revops" task list --db "$db" --now $later --status rejected --format json --top 1
expect_in "$work/out" '"matched": 3,' "three rejected by then"
expect_in "$work/out" '"decided_by": "R-5",' "decided by"
expect_in "$work/out" '"reason": "duplicate of A-13"' "reason stored"

# The SLA report: TASK-13 now responded (late by 3120 min) and TASK-4 within (180 min), so 7
# of 9 responded: 30, 60, 180, 360, 1620, 2880, 4560 min, median 360, p90 2880 + 0.4 x 1680
# = 3552; 4 within of 7 judged; accepted 4, rejected 3.
expect_status 0 "sla" "$revops" sla --db "$db" --as-of 2026-03-15
expect_in "$work/out" "  9 handoffs: 7 responded (median 360 min, p90 3552 min), 4 within the SLA, 3 breached (3 late, 0 overdue), 2 pending" "sla after the decisions"
expect_in "$work/out" "  SLA compliance 57.1%; accepted 4, rejected 3, open 2: acceptance 57.1% (target 80.0%: below)" "sla rates"
expect_in "$work/out" "  TASK-13  marketing_to_sales         lead        A-13     owner R-5    due 2026-03-13T09:00:00Z, accepted, 2d 4h 0m late" "late acceptance in the breaches"
expect_status 0 "sla json" "$revops" sla --db "$db" --as-of 2026-03-15 --format json --top 0
expect_in "$work/out" '"response": "acceptance",' "the acceptance stopped the clock"

# A decision is final: twice is a conflict, and a later lifecycle run keeps it.
expect_status 2 "accept twice" "$revops" task accept TASK-13 --db "$db" --now $later
expect_in "$work/err" "task TASK-13 was accepted already, at $later by R-5; a decision is final" "conflict message"
expect_status 2 "reject an accepted task" "$revops" task reject TASK-13 --db "$db" --reason no --now $later
expect_status 0 "later run" "$revops" lifecycle run --db "$db" --now 2026-03-16T12:00:00Z
expect_status 0 "list after the run" "$revops" task list --db "$db" --now 2026-03-16T12:00:00Z --status all --top 0 --format json
expect_in "$work/out" '"reason": "duplicate of A-13"' "the rejection survives the run"
grep -A13 '"id": "TASK-13"' "$work/out" | grep -qF '"decided_by": "R-5"' || fail "the acceptance survives the run"

# Errors: nothing is written.
expect_status 2 "reject without a reason" "$revops" task reject TASK-11 --db "$db" --now $later
expect_in "$work/err" "a rejection needs --reason TEXT" "reason message"
expect_status 2 "unknown task" "$revops" task accept TASK-404 --db "$db" --now $later
expect_in "$work/err" "no task TASK-404 in the store" "unknown task message"
expect_status 2 "unknown rep" "$revops" task accept TASK-11 --db "$db" --by R-404 --now $later
expect_in "$work/err" "no rep R-404 in the store" "unknown rep message"
expect_status 2 "before creation" "$revops" task accept TASK-11 --db "$db" --now 2026-03-15T11:00:00Z
expect_in "$work/err" "task TASK-11 was created at 2026-03-15T12:00:00Z, after 2026-03-15T11:00:00Z" "before creation message"
expect_status 2 "control character" "$revops" task reject TASK-11 --db "$db" --reason "$(printf 'a\tb')" --now $later
expect_in "$work/err" "control character at byte 2" "control character message"
expect_status 2 "long reason" "$revops" task reject TASK-11 --db "$db" --reason "$(head -c 501 /dev/zero | tr '\0' x)" --now $later
expect_in "$work/err" "the reason is 501 bytes; at most 500 are kept" "long reason message"
expect_status 0 "still open" "$revops" task list --db "$db" --now $later --format json --top 0
expect_in "$work/out" '"id": "TASK-11",' "TASK-11 still open"
expect_status 2 "accept from a folder" "$revops" task accept TASK-11 --csv "$fixtures/lifecycle"
expect_in "$work/err" "give --db FILE" "folder message"
expect_status 2 "no id" "$revops" task accept --db "$db"
expect_status 2 "id to list" "$revops" task list TASK-11 --db "$db"
expect_status 2 "unknown action" "$revops" task close TASK-11 --db "$db"
expect_in "$work/err" "no task action 'close': use list, accept or reject" "unknown action message"
expect_status 2 "bad status" "$revops" task list --db "$db" --status done
expect_status 2 "latest" "$revops" task accept TASK-11 --db "$db" --now latest
expect_status 2 "list option to accept" "$revops" task accept TASK-11 --db "$db" --owner R-2
expect_not_in "$work/out" "accepted" "nothing decided by bad usage"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "task: all checks passed"
