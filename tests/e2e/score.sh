#!/usr/bin/env bash
# End to end, as a user runs `revops score leads`: the hand-made leads of
# tests/fixtures/criteria imported into a store, scored with the rules of a revops.yaml
# (the numbers are worked out in tests/unit/test_score.c), as text and JSON, from --db and
# --csv alike; and the errors of what cannot be scored.
# usage: score.sh PATH/TO/revops
set -uo pipefail
revops=$1
fixtures=${REVOPS_FIXTURES:?}
work=$(mktemp -d /tmp/revops-e2e-score-XXXXXX)
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

cat >"$work/rules.yaml" <<'YAML'
revops:
  analytics:
    currency: RUB
    scoring:
      lead:
        rules:
          - {name: hot, criteria: score > 50, points: 30}
          - {name: fit, criteria: 'industry in ("ecommerce", "saas")', points: 40}
          - {name: recent, criteria: days_since(created_at) < 30, points: 50}
          - {name: unanswered, criteria: is_empty(first_response_at), points: -20}
          - {name: large, criteria: employees >= 1000, points: 10}
YAML
expect_status 0 "init" "$revops" init --db "$work/s.db"
expect_status 0 "import" "$revops" import "$fixtures/criteria" --db "$work/s.db"

# Text: rank, lead, score, points and the rules behind them, best first.
expect_status 0 "score leads" "$revops" score leads --db "$work/s.db" --config "$work/rules.yaml" --as-of 2026-03-15 --top 3
expect_in "$work/out" "Lead scores as of 2026-03-15: 5 leads scored by 5 rules, mean score 48.0" "summary"
expect_in "$work/out" "     1  L-1     100     120  hot +30, fit +40, recent +50" "first"
expect_in "$work/out" "     2  L-5      50      50  recent +50" "second"
expect_in "$work/out" "     3  L-2      40      40  fit +40" "third"
expect_in "$work/out" "  ... 2 more (--top 0 lists them all)" "more"
expect_in "$work/out" "  unanswered                   -20        2  is_empty(first_response_at)" "rule counts"
# JSON, the same from the CSV folder.
expect_status 0 "score leads json" "$revops" score leads --csv "$fixtures/criteria" --config "$work/rules.yaml" --as-of 2026-03-15 --top 0 --format json
expect_in "$work/out" '"leads_scored": 5,' "json count"
expect_in "$work/out" '"lead": "L-4",' "json lists all"
expect_in "$work/out" '"rule": "unanswered",' "json factors"
# The default rules (docs/config.md) when no file is given: L-1 scores 70.
(cd "$work" && "$revops" score leads --db "$work/s.db" --as-of 2026-03-15 --top 1 >"$work/out" 2>"$work/err") ||
    fail "score leads with the default rules"
expect_in "$work/out" "     1  L-1      70      70  referral_or_partner +20, target_industry +15, mid_size_company +15, budget_stated +10, recent +10" "default rules"

# What cannot be scored.
cat >"$work/money.yaml" <<'YAML'
revops:
  analytics:
    currency: RUB
    scoring:
      lead:
        rules:
          - {name: budget, criteria: estimated_value >= 1000000 RUB, points: 50}
YAML
expect_status 2 "money without a rate" "$revops" score leads --db "$work/s.db" --config "$work/money.yaml" --as-of 2026-03-15
expect_in "$work/err" "lead-scoring rule 'budget': lead L-5 (row 4): cannot compare an amount in GBP with one in RUB" "money error"
# Without the reporting currency, RUB and GBP both lack rates: which one the rates convert
# into is not known, and the error says to set it.
grep -v "currency: RUB" "$work/money.yaml" >"$work/nocurrency.yaml"
expect_status 2 "money, currency unknown" "$revops" score leads --db "$work/s.db" --config "$work/nocurrency.yaml" --as-of 2026-03-15
expect_in "$work/err" "lead L-2 (row 1): cannot compare an amount in USD with one in RUB: no exchange rate for RUB, and which currency the rates convert into is not known: set the reporting currency" "currency unknown"
expect_status 0 "money, --currency" "$revops" score leads --db "$work/s.db" --config "$work/nocurrency.yaml" --as-of 2026-03-11 --currency RUB
expect_in "$work/out" "     2  L-2      50      50  budget +50" "--currency RUB"

# The learned deal score on tests/fixtures/scoring (README.md there derives the training set:
# 10 open deals on 5 snapshot days, 4 won within 60 days; O-4 alone is open on 2026-04-30).
scoring=$fixtures/scoring
expect_status 0 "score deals" "$revops" score deals --csv "$scoring" --as-of 2026-04-30 --horizon 60
expect_in "$work/out" "Deal win scores as of 2026-04-30: model blend, the chance to be won within 60 days" "deals title"
expect_in "$work/out" "  train  10 deal snapshots (4 positive) on 5 days 2025-11-01 .. 2026-03-01, outcomes known by 2026-04-30" "deals training set"
expect_in "$work/out" "  1 open deal scored" "deals scored"
expect_in "$work/out" "     1  O-4   qualification" "deals listed"
expect_in "$work/out" "  days_in_stage_vs_median    constant in training: not used" "constant feature"
expect_status 0 "score deals json" "$revops" score deals --csv "$scoring" --as-of 2026-04-30 --horizon 60 --model bayes --format json
expect_in "$work/out" '"model": "bayes",' "json model"
expect_in "$work/out" '"examples": 10,' "json examples"
expect_in "$work/out" '"deal": "O-4",' "json deal"
expect_in "$work/out" '"name": "stage",' "json factors"
# Trained on what was known by 2026-02-28, no deal had been won: an error, not a model.
expect_status 2 "evaluate, one outcome" "$revops" score deals --csv "$scoring" --as-of 2026-04-30 --horizon 60 --evaluate --cut 2026-02-28
expect_in "$work/err" "the training examples are all negative (2 of them): a model needs both outcomes to learn from" "one outcome"
expect_status 2 "evaluate, late cut" "$revops" score deals --csv "$scoring" --as-of 2026-04-30 --horizon 60 --evaluate --cut 2026-04-01
expect_in "$work/err" "leaves no test snapshot" "late cut"
expect_status 2 "deals, rules" "$revops" score deals --csv "$scoring" --model rules
expect_status 2 "leads, bad model" "$revops" score leads --csv "$scoring" --model forest
expect_in "$work/err" "--model must be rules, bayes, logistic or blend, not 'forest'" "bad model"
expect_status 2 "leads, evaluate without a model" "$revops" score leads --csv "$scoring" --evaluate
expect_status 2 "cut without evaluate" "$revops" score deals --csv "$scoring" --cut 2026-01-01
expect_status 2 "bad horizon" "$revops" score deals --csv "$scoring" --horizon 0

# Churn risk and expansion of the two paying accounts (README.md there derives the signals).
expect_status 0 "score churn" "$revops" score churn --csv "$scoring" --as-of 2026-04-30 --evaluate
expect_in "$work/out" "Churn risk as of 2026-04-30: 2 paying accounts, 2 scored, mean 0.76" "churn title"
expect_in "$work/out" "  1 churned in the 90 days after; AUC 1.0000" "churn evaluation"
expect_in "$work/out" "     1  A-2       1.00         7000.00            n/a              n/a                   n/a            1.00  churned" "churn first"
expect_in "$work/out" "     2  A-1       0.51        15000.00           0.47             0.50                  0.50            0.62" "churn second"
expect_status 0 "score expansion json" "$revops" score expansion --csv "$scoring" --as-of 2026-04-30 --format json
expect_in "$work/out" '"score": "expansion",' "expansion json"
expect_in "$work/out" '"value_reason": "no MRR 90 days before",' "expansion reason"
expect_in "$work/out" '"flagged": 0,' "expansion flagged"
expect_status 2 "churn evaluate, no future" "$revops" score churn --csv "$scoring" --as-of 2026-06-01 --evaluate
expect_in "$work/err" "evaluating needs the data to reach 2026-08-30" "churn no future"
expect_status 2 "churn, model" "$revops" score churn --csv "$scoring" --model bayes
expect_status 2 "score nothing" "$revops" score
expect_status 2 "score bad --top" "$revops" score leads --db "$work/s.db" --top -1
expect_status 2 "score bad currency" "$revops" score leads --db "$work/s.db" --currency rub

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "score: all checks passed"
