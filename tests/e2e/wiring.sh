#!/usr/bin/env bash
# End to end: revops.yaml reaches every analysing command (forecast, saas, cohorts, revrec,
# profitability, as analyze and pipeline in config.sh), and an option given on the command
# line wins over the file. The numbers come from the hand-made sets of tests/fixtures, whose
# README.md files derive them; the comments repeat the arithmetic.
# usage: wiring.sh PATH/TO/revops
set -uo pipefail
revops=$(realpath "$1")
fixtures=${REVOPS_FIXTURES:?}
work=$(mktemp -d /tmp/revops-e2e-wiring-XXXXXX)
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

expect_same() { # expected file, description: the last output equals it byte for byte
    cmp -s "$work/out" "$1" || { fail "$2: differs from $1"; diff "$1" "$work/out" | head -10 >&2; }
}

# The value of "key" (a JSON string or number) at its first occurrence after a line holding
# `text` in the last output (text "" for the first occurrence anywhere).
value_after() { # text, key
    awk -v anchor="$1" -v key="\"$2\": " '
        anchor == "" || index($0, anchor) { found = 1 }
        found && index($0, key) {
            v = substr($0, index($0, key) + length(key)); gsub(/[",]/, "", v); print v; exit
        }' "$work/out"
}

# The same in the object that follows "anchor": { (anchor "": anywhere).
json_value() { # anchor, key
    if [ -z "$1" ]; then value_after "" "$2"; else value_after "\"$1\": {" "$2"; fi
}

expect_value() { # anchor, key, value, description
    local got
    got=$(json_value "$1" "$2")
    [ "$got" = "$3" ] || fail "$4: $2 is '$got', expected '$3'"
}

fc="$fixtures/forecast"
fc_args=(--csv "$fc" --as-of 2026-07-15 --period 2026-Q3 --format json)
saas="$fixtures/saas"

# ---- forecast: the stages and their probabilities ----
cat >"$work/stages.yaml" <<'EOF'
revops:
  process_alignment:
    end_to_end_process:
      stages:
        - {name: qualification, probability: 10%}
        - {name: discovery, probability: 25%}
        - {name: proposal, probability: 40%}
        - {name: negotiation, probability: 60%}
        - {name: closed_won, outcome: won}
        - {name: closed_lost, outcome: lost}
  analytics:
    window_days: 30
EOF
# tests/fixtures/forecast/README.md with negotiation 0.60 and proposal 0.40, and the window
# of the file, 2026-06-16 .. 07-15: only C-5 closed (Ann, won 300,000), so the team rate is
# 1, both rep factors (1 + 10) / (1 + 10) and (0 + 10) / (0 + 10) are 1, and the win rate by
# value is 1. q: O-1 0.60, O-2 0.40 x 0.5 (overdue), O-3 0.10 x 0.5 (aged): 300,000 +
# 240,000 + 200,000 + 4,000 = 744,000.
expect_status 0 "forecast --config stages" "$revops" forecast "${fc_args[@]}" --config "$work/stages.yaml"
expect_value pipeline_weighted value 744000.00 "forecast: configured probabilities and window"
expect_value "" win_rate_value 1 "forecast: window from the file"
# --window-days 365 wins over the file: the README's rep factors 15/13 and 0.833333 and win
# rate 600,000 / 800,000 = 0.75 with the file's probabilities: O-1 0.60 x 15/13 = 0.692308,
# O-2 0.40 x 0.5 x 0.833333 = 0.166667, O-3 0.10 x 0.5 x 0.833333 = 0.041667; 300,000 +
# 276,923.08 + 166,666.67 + 3,333.33 = 746,923.08.
expect_status 0 "forecast --window-days" "$revops" forecast "${fc_args[@]}" --config "$work/stages.yaml" --window-days 365
expect_value "" win_rate_value 0.75 "forecast: window from the command line"
expect_value pipeline_weighted value 746923.08 "forecast: probabilities still from the file"
# ./revops.yaml is read when no --config is given.
mkdir -p "$work/here"
cp "$work/stages.yaml" "$work/here/revops.yaml"
(cd "$work/here" && "$revops" forecast "${fc_args[@]}" >"$work/out" 2>"$work/err") ||
    fail "forecast with ./revops.yaml failed"
expect_value pipeline_weighted value 744000.00 "forecast: ./revops.yaml"
# The configured stages check the CSV rows: without discovery, O-4's row is left out.
sed '/discovery/d' "$work/stages.yaml" >"$work/no-discovery.yaml"
expect_status 0 "forecast --config without discovery" "$revops" forecast "${fc_args[@]}" --config "$work/no-discovery.yaml"
expect_in "$work/err" "were invalid and left out" "forecast: rows checked against the configured stages"

# ---- forecast: revops.analytics.forecast ----
cat >"$work/overdue.yaml" <<'EOF'
revops:
  analytics:
    forecast:
      overdue_factor: 1
      simulations: 2000
EOF
# overdue_factor 1: O-2 (overdue) keeps 0.50 x 1 x 0.833333 = 0.416667, the others as in the
# README: 300,000 + 346,153.85 + 416,666.67 + 3,333.33 = 1,066,153.85.
expect_status 0 "forecast overdue_factor" "$revops" forecast "${fc_args[@]}" --config "$work/overdue.yaml"
expect_value pipeline_weighted value 1066153.85 "forecast: overdue_factor from the file"
expect_value simulation runs 2000 "forecast: simulations from the file"
expect_status 0 "forecast --sims" "$revops" forecast "${fc_args[@]}" --config "$work/overdue.yaml" --sims 500
expect_value simulation runs 500 "forecast: --sims wins over the file"
# The forecast section of analyze reads the same settings (and backtests 4 quarters).
expect_status 0 "analyze forecast overdue_factor" "$revops" analyze "${fc_args[@]}" --section forecast --config "$work/overdue.yaml"
expect_value pipeline_weighted value 1066153.85 "analyze: overdue_factor from the file"
expect_value simulation runs 2000 "analyze: simulations from the file"
# rep_shrinkage 0: the reps' own rates over the team's 0.6: Ann 3/3 / 0.6 = 1.666667, so O-1's
# 0.75 x 1.666667 = 1.25 is capped at 1; Boris 0/2: O-2 and O-3 0. 300,000 + 400,000.
printf 'revops:\n  analytics:\n    forecast: {rep_shrinkage: 0}\n' >"$work/shrink.yaml"
expect_status 0 "forecast rep_shrinkage" "$revops" forecast "${fc_args[@]}" --config "$work/shrink.yaml"
expect_value pipeline_weighted value 700000.00 "forecast: rep_shrinkage from the file"

# The method weights need a history on which every method runs: generated data.
expect_status 0 "gen" "$revops" gen --out "$work/gen" --scale 1200 --seed 5
cat >"$work/weights.yaml" <<'EOF'
revops:
  analytics:
    forecast:
      method_weights: {pipeline_weighted: 20%, historical_trend: 0.2, regression: 0, time_series: 0}
EOF
gen_args=(--csv "$work/gen" --sims 200 --format json)
expect_status 0 "forecast method_weights" "$revops" forecast "${gen_args[@]}" --config "$work/weights.yaml"
# 0.2 and 0.2 renormalised: 0.5 each; the ensemble is the mean of pipeline_weighted and
# historical_trend, to the cent.
expect_value pipeline_weighted weight 0.5 "forecast: pipeline_weighted weight from the file"
expect_value historical_trend weight 0.5 "forecast: historical_trend weight from the file"
expect_value regression weight 0 "forecast: regression weight from the file"
pw=$(json_value pipeline_weighted value)
ht=$(json_value historical_trend value)
ens=$(json_value ensemble value)
awk -v pw="$pw" -v ht="$ht" -v e="$ens" 'BEGIN { d = (pw + ht) / 2 - e; exit !(d < 0.01 && d > -0.01) }' ||
    fail "forecast: ensemble $ens is not the mean of $pw and $ht"
# Without the file, the default weights 0.40 / 0.25 / 0.20 / 0.15 (every method runs).
expect_status 0 "forecast default weights" "$revops" forecast "${gen_args[@]}"
expect_value pipeline_weighted weight 0.4 "forecast: default pipeline_weighted weight"
expect_value time_series weight 0.15 "forecast: default time_series weight"
# --weights backtest replaces the configured weights.
expect_status 0 "forecast --weights backtest" "$revops" forecast "${gen_args[@]}" --config "$work/weights.yaml" --backtest 2 --weights backtest
expect_value ensemble weights backtest "forecast: --weights backtest wins over the file"
[ "$(json_value regression weight)" != 0 ] || fail "forecast: --weights backtest kept the file's 0 for regression"

# ---- analyze, team section: revops.analytics.activity_targets ----
cat >"$work/targets.yaml" <<'EOF'
revops:
  analytics:
    activity_targets:
      sdr: {call: 10, email: 0}
EOF
team_args=(--csv "$fixtures/team" --as-of 2026-06-30 --period 2026-Q2 --section team --format json)
# tests/fixtures/team/README.md: R-2 (SDR, one working day: 5 calls, 4 emails, 2 social, 3
# meetings) with 10 calls a day and no email target: (5/10 + 2/20 + 1) / 3 = 0.533333; the
# company's mean over R-1 .. R-5: (57/1800 + 1.6/3 + 67/3600 + 1554/74400 + 0) / 5.
expect_status 0 "analyze team --config" "$revops" analyze "${team_args[@]}" --config "$work/targets.yaml"
expect_in "$work/out" '"activity_efficiency": 0.5333333333333333' "team: R-2's efficiency with the file's targets"
expect_value team activity_efficiency 0.12089964157706093 "team: the company's efficiency with the file's targets"
expect_status 0 "analyze team" "$revops" analyze "${team_args[@]}"
expect_value team activity_efficiency 0.07623297491039427 "team: the README's 0.0762 without the file"

# ---- the analysis settings wired before: each from the file, and the command line over it ----
an="$fixtures/analyze"
# Stage target days rank the bottlenecks (tests/fixtures/analyze/README.md: medians
# qualification 22, discovery 36, proposal 43.5, negotiation 14): by median / target, 36/12 =
# 3, 22/11 = 2, 14/20 = 0.7, 43.5/87 = 0.5.
cat >"$work/targets-days.yaml" <<'EOF'
revops:
  process_alignment:
    end_to_end_process:
      stages:
        - {name: qualification, probability: 10%, target_days: 11}
        - {name: discovery, probability: 25%, target_days: 12}
        - {name: proposal, probability: 50%, target_days: 87}
        - {name: negotiation, probability: 75%, target_days: 20}
        - {name: closed_won, outcome: won}
        - {name: closed_lost, outcome: lost}
EOF
expect_status 0 "analyze target_days" "$revops" analyze --csv "$an" --as-of 2026-06-30 --period 2026-Q2 --section pipeline --format json --config "$work/targets-days.yaml"
tr -d ' \n' <"$work/out" | grep -o '"bottlenecks":\[[^]]*\]' | grep -o '"stage":"[a-z]*"' | tr '\n' ' ' >"$work/order"
[ "$(cat "$work/order")" = '"stage":"discovery" "stage":"qualification" "stage":"negotiation" "stage":"proposal" ' ] ||
    fail "bottlenecks by the file's target days: $(cat "$work/order")"
[ "$(value_after '"bottlenecks"' days_vs_target)" = 3 ] || fail "bottlenecks: discovery is not 36 / 12 = 3"
# Stalled and at risk (README "Stalled and at risk"): with stalled_factor 3 O-8's 90 days in
# proposal stay under 3 x 43.5 and O-3's 46 in negotiation exceed 3 x 14; with stalled_days
# and inactive_days 40 O-4's 36 quiet days are neither: stalled O-3 alone, at risk O-3 and O-4
# (overdue only).
cat >"$work/stalled.yaml" <<'EOF'
revops:
  analytics:
    stalled_factor: 3
    stalled_days: 40
    inactive_days: 40
EOF
expect_status 0 "pipeline stalled settings" "$revops" pipeline --csv "$an" --as-of 2026-06-30 --period 2026-Q2 --format json --config "$work/stalled.yaml"
expect_value "" stalled_deals 1 "pipeline: stalled with the file's settings"
expect_value "" at_risk_deals 2 "pipeline: at risk with the file's settings"
expect_value "" at_risk_amount 1090000.00 "pipeline: at risk amount with the file's settings"
expect_status 0 "pipeline --at-risk over the file" "$revops" pipeline --csv "$an" --as-of 2026-06-30 --period 2026-Q2 --at-risk --config "$work/stalled.yaml" --stalled-factor 2 --stalled-days 14 --inactive-days 30
expect_same "$an/at-risk.expected" "pipeline: --stalled-factor, --stalled-days and --inactive-days win over the file"
# Response and handoff SLAs (tests/fixtures/funnel/README.md): with 10 minutes L-02 (10) is
# within too: 6 / (6 + 2 + 2) = 0.6; with a 48-hour marketing-to-sales handoff L-01 and L-09
# (48 h, the edge) are within, L-07 (72 h) late, L-05 and L-12 overdue: 6 / (6 + 1 + 2).
cat >"$work/sla.yaml" <<'EOF'
revops:
  process_alignment:
    handoffs:
      - {name: marketing_to_sales, from: marketing, to: sales, stage: sql, sla: {response_time: 48h}}
  analytics:
    response_sla: 10m
EOF
funnel_args=(--csv "$fixtures/funnel" --as-of 2026-06-30 --section funnel --format json)
expect_status 0 "analyze funnel SLAs" "$revops" analyze "${funnel_args[@]}" --config "$work/sla.yaml"
expect_value funnel sla_compliance 0.6 "funnel: response SLA from the file"
expect_value funnel handoff_sla_compliance 0.6666666666666666 "funnel: handoff SLA from the file"
expect_status 0 "analyze funnel SLAs over the file" "$revops" analyze "${funnel_args[@]}" --config "$work/sla.yaml" --response-sla 5 --handoff-sla 24
expect_value funnel sla_compliance 0.5 "funnel: --response-sla wins over the file"
expect_value funnel handoff_sla_compliance 0.4444444444444444 "funnel: --handoff-sla wins over the file"
# Ramp and coaching (tests/fixtures/team/README.md "Ramp", "Coaching"): at 40 % R-1 ramps in
# November (120,000 / 300,000 = 0.4, the edge: 28 days), R-5 in January (0.5: 62 days) and R-4
# in June (0.44: 2026-07-01 - 05-18 = 44 days); median 44. R-4's gap at qualification,
# 0.30000000000000004, is under 35 %: no flag.
printf 'revops:\n  analytics:\n    ramp_threshold: 40%%\n    coaching_gap: 35%%\n' >"$work/ramp.yaml"
expect_status 0 "analyze team ramp and coaching" "$revops" analyze "${team_args[@]}" --config "$work/ramp.yaml"
expect_value team ramped_reps 3 "team: ramped reps at the file's threshold"
expect_value team ramp_days 44 "team: ramp days at the file's threshold"
expect_value team coaching_flags 0 "team: coaching flags at the file's gap"
expect_status 0 "analyze team over the file" "$revops" analyze "${team_args[@]}" --config "$work/ramp.yaml" --ramp-threshold 0.8 --coaching-gap 0.1
expect_value team ramp_days 74.5 "team: --ramp-threshold wins over the file"
expect_value team coaching_flags 1 "team: --coaching-gap wins over the file"

# ---- saas, cohorts, revrec: currency and fiscal year ----
cat >"$work/usd.yaml" <<'EOF'
revops:
  analytics:
    currency: USD
EOF
expect_status 0 "saas --config" "$revops" saas --csv "$saas" --as-of 2026-02-15 --format json --config "$work/usd.yaml"
expect_value "" currency USD "saas: currency from the file"
expect_status 0 "saas --config --currency" "$revops" saas --csv "$saas" --as-of 2026-02-15 --format json --config "$work/usd.yaml" --currency RUB
expect_same "$saas/saas.expected" "saas: --currency wins over the file"
expect_status 0 "revrec --config" "$revops" revrec --csv "$saas" --as-of 2026-02-15 --from 2025-11 --to 2026-04 --format json --config "$work/usd.yaml"
expect_value "" currency USD "revrec: currency from the file"
expect_status 0 "revrec --config --currency" "$revops" revrec --csv "$saas" --as-of 2026-02-15 --from 2025-11 --to 2026-04 --format json --config "$work/usd.yaml" --currency RUB
expect_same "$saas/revrec.expected" "revrec: --currency wins over the file"
# The fiscal year starting in April from the file gives the triangle of cohorts-csv.args.
cat >"$work/april.yaml" <<'EOF'
revops:
  analytics:
    currency: RUB
    fiscal_year_start: 4
EOF
cohorts_args=(--csv "$saas" --as-of 2026-02-15 --by quarter --metric logo --format csv)
expect_status 0 "cohorts --config" "$revops" cohorts "${cohorts_args[@]}" --config "$work/april.yaml"
expect_same "$saas/cohorts-csv.expected" "cohorts: fiscal year from the file"
# A fiscal year starting in July: January-March 2025 is the third quarter of fiscal 2025.
printf 'revops:\n  analytics:\n    fiscal_year_start: 7\n' >"$work/july.yaml"
expect_status 0 "cohorts --config july" "$revops" cohorts "${cohorts_args[@]}" --config "$work/july.yaml"
expect_in "$work/out" "2025-Q3,4,1,0.75,1,0.75,0.75" "cohorts: July fiscal year from the file"
expect_status 0 "cohorts --config --fiscal-start" "$revops" cohorts "${cohorts_args[@]}" --config "$work/july.yaml" --fiscal-start 4 --currency RUB
expect_same "$saas/cohorts-csv.expected" "cohorts: --fiscal-start wins over the file"
expect_status 0 "profitability --config" "$revops" profitability --csv "$saas" --as-of 2026-02-15 --period 2025-Q4 --format json --config "$work/usd.yaml"
expect_value "" currency USD "profitability: currency from the file"

# ---- saas and profitability: revops.analytics.gross_margin and profitability ----
cat >"$work/margin.yaml" <<'EOF'
revops:
  analytics:
    gross_margin: 80%
EOF
saas_args=(--csv "$saas" --as-of 2026-02-15 --currency RUB --format json)
# tests/fixtures/saas/README.md "Unit economics": 2026-Q1's LTV = ARPA 3,050 x gross margin x
# 24 (1 / the mean churn rate 1/24): with 0.8 from the file 58,560.00; with --gross-margin 0.6
# 43,920.00; with --gross-margin auto the measured 0.5868422: 42,956.85.
expect_status 0 "saas gross_margin" "$revops" saas "${saas_args[@]}" --config "$work/margin.yaml"
expect_value unit_economics gross_margin 0.8 "saas: gross margin from the file"
expect_value unit_economics ltv 58560.00 "saas: LTV with the file's gross margin"
expect_status 0 "saas --gross-margin" "$revops" saas "${saas_args[@]}" --config "$work/margin.yaml" --gross-margin 0.6
expect_value unit_economics ltv 43920.00 "saas: --gross-margin wins over the file"
expect_status 0 "saas --gross-margin auto" "$revops" saas "${saas_args[@]}" --config "$work/margin.yaml" --gross-margin auto
expect_value unit_economics ltv 42956.85 "saas: --gross-margin auto measures it"
expect_status 0 "analyze saas gross_margin" "$revops" analyze "${saas_args[@]}" --section saas --config "$work/margin.yaml"
expect_value unit_economics ltv 58560.00 "analyze: LTV with the file's gross margin"
# Profitability with delivery = 1 - 0.8 of the value: O-3 10,000 - 6,000 - 2,000 = 2,000 (0.2:
# fair), O-2 20,000 - 1,500 - 4,000 = 14,500 and O-1 60,000 - 4,500 - 12,000 = 43,500 (0.725:
# good); margin 60,000.00.
profit_args=(--csv "$saas" --as-of 2026-02-15 --currency RUB --period 2025-Q4)
expect_status 0 "profitability gross_margin" "$revops" profitability "${profit_args[@]}" --format json --config "$work/margin.yaml"
expect_value profitability delivery_cost 18000.00 "profitability: delivery from the file's gross margin"
expect_value profitability margin 60000.00 "profitability: margin with the file's gross margin"
[ "$(value_after '"id": "O-3"' rating)" = fair ] || fail "profitability: O-3 is not fair with the file's gross margin"
# The ratings of profitability-text.args (--good-margin 0.5 --fair-margin 0) from the file;
# the command line's defaults-again over the file give profitability.args's report.
cat >"$work/ratings.yaml" <<'EOF'
revops:
  analytics:
    profitability: {good_margin: 50%, fair_margin: 0}
EOF
expect_status 0 "profitability ratings" "$revops" profitability "${profit_args[@]}" --config "$work/ratings.yaml"
expect_same "$saas/profitability-text.expected" "profitability: ratings from the file"
expect_status 0 "profitability --good-margin --fair-margin" "$revops" profitability "${profit_args[@]}" --format json --config "$work/ratings.yaml" --good-margin 0.3 --fair-margin 0.1
expect_same "$saas/profitability.expected" "profitability: --good-margin and --fair-margin win over the file"
expect_status 2 "profitability --fair-margin above the file's good" "$revops" profitability "${profit_args[@]}" --config "$work/ratings.yaml" --fair-margin 0.6
expect_in "$work/err" "the fair margin 0.6 is above the good margin 0.5" "profitability: thresholds checked together"

# A broken file stops every one of them before any data are read.
printf 'revops:\n  analytics:\n    colour: blue\n' >"$work/bad.yaml"
for cmd in forecast saas cohorts revrec profitability; do
    expect_status 2 "$cmd with a broken --config" "$revops" "$cmd" --csv "$saas" --config "$work/bad.yaml"
    expect_in "$work/err" "bad.yaml:3:5: unknown key 'colour'" "$cmd: the file's error"
done

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "wiring: all checks passed"
