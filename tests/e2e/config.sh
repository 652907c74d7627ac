#!/usr/bin/env bash
# End to end, as a user works with revops.yaml: config init, check and show; the example of
# docs/config.md; --config and ./revops.yaml reaching `revops analyze`, with command-line
# options winning over the file; and a broken file stopping a command before any data.
# usage: config.sh PATH/TO/revops
set -uo pipefail
revops=$1
fixtures=${REVOPS_FIXTURES:?}
work=$(mktemp -d /tmp/revops-e2e-config-XXXXXX)
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

# init writes the defaults; check says ok; show of that file is the same text.
expect_status 0 "config init" "$revops" config init
cp "$work/out" "$work/revops.yaml"
expect_in "$work/revops.yaml" "velocity: {target: 35, excellent: 30, baseline: 45}" "init goals"
expect_in "$work/revops.yaml" "criteria: 'score >= 50'" "init transitions"
expect_status 0 "config check" "$revops" config check "$work/revops.yaml"
[ "$(cat "$work/out")" = "ok" ] || fail "config check prints '$(cat "$work/out")', not ok"
expect_status 0 "config show" "$revops" config show "$work/revops.yaml"
cmp -s "$work/out" "$work/revops.yaml" || fail "config show of the init file differs from it"
expect_status 2 "config init FILE" "$revops" config init "$work/x.yaml"
expect_in "$work/err" "revops config init > revops.yaml" "init hint"
expect_status 2 "config frobnicate" "$revops" config frobnicate
expect_in "$work/err" "no config action 'frobnicate'" "unknown action"
expect_status 2 "config without action" "$revops" config
expect_status 2 "config check of a missing file" "$revops" config check "$work/none.yaml"
expect_in "$work/err" "cannot open $work/none.yaml" "missing file message"

# Every error of a bad file, in file order, as FILE:LINE:COLUMN: message; exit status 2.
cat >"$work/bad.yaml" <<'EOF'
revops:
  analytics:
    window_days: "90"
    colour: blue
  process_alignment:
    end_to_end_process:
      transitions:
        - {name: t, to: mql, criteria: 'scroe > 50'}
EOF
expect_status 2 "config check bad" "$revops" config check "$work/bad.yaml"
[ "$(wc -l <"$work/err")" -eq 3 ] || fail "config check bad: $(wc -l <"$work/err") lines, expected 3"
expect_in "$work/err" "$work/bad.yaml:3:18: revops.analytics.window_days: expected a whole number" "line 3"
expect_in "$work/err" "$work/bad.yaml:4:5: unknown key 'colour' in revops.analytics" "line 4"
expect_in "$work/err" "$work/bad.yaml:8:41: revops.process_alignment.end_to_end_process.transitions[1].criteria: no field 'scroe' in lead: did you mean 'score'?" "line 8"
[ ! -s "$work/out" ] || fail "config check bad printed on standard output"

# The full example of docs/config.md is a valid file.
if [ -n "${REVOPS_SOURCE:-}" ]; then
    sed -n '/^## A full example/,$p' "$REVOPS_SOURCE/docs/config.md" |
        sed -n '/^```yaml$/,/^```$/p' | sed '1d;$d' >"$work/example.yaml"
    [ -s "$work/example.yaml" ] || fail "no example in docs/config.md"
    expect_status 0 "docs/config.md example" "$revops" config check "$work/example.yaml"
fi

# import checks opportunity stages against the configured ones: the example has no
# discovery stage, so the golden data's discovery rows are rejected with the known list.
if [ -s "$work/example.yaml" ]; then
    expect_status 0 "init" "$revops" init --db "$work/i.db"
    mkdir -p "$work/rejects"
    expect_status 3 "import --config" "$revops" import "$fixtures/analyze" --db "$work/i.db" --dry-run --rejects-dir "$work/rejects" --config "$work/example.yaml"
    expect_in "$work/rejects/stage_change.rejects.csv" "unknown stage 'discovery' (known stages: qualification, proposal, negotiation, closed_won, closed_lost)" "import with configured stages"
    expect_status 0 "import without config" "$revops" import "$fixtures/analyze" --db "$work/i.db" --dry-run --rejects-dir "$work/rejects"
    expect_status 0 "stats --csv --config" "$revops" stats --csv "$fixtures/analyze" --config "$work/example.yaml"
    expect_in "$work/err" "rows in $fixtures/analyze were invalid and left out" "stats with configured stages"
fi

# The configuration reaches analyze: on the golden data set (tests/fixtures/analyze/README.md)
# the open deals are 990,000 in negotiation, 100,000 in qualification and 50,000 in proposal.
cat >"$work/probabilities.yaml" <<'EOF'
revops:
  process_alignment:
    end_to_end_process:
      stages:
        - {name: qualification, probability: 20%}
        - {name: discovery, probability: 25%}
        - {name: proposal, probability: 40%}
        - {name: negotiation, probability: 60%}
        - {name: closed_won, outcome: won}
        - {name: closed_lost, outcome: lost}
  analytics:
    window_days: 30
EOF
golden=(--csv "$fixtures/analyze" --as-of 2026-06-30 --period 2026-Q2 --section pipeline --format json)
# Defaults: 990,000 x 0.75 + 100,000 x 0.10 + 50,000 x 0.50 = 777,500.
expect_status 0 "analyze without config" "$revops" analyze "${golden[@]}"
expect_in "$work/out" '"pipeline_weighted": "777500.00"' "default probabilities"
# The file's: 990,000 x 0.60 + 100,000 x 0.20 + 50,000 x 0.40 = 634,000.
expect_status 0 "analyze --config" "$revops" analyze "${golden[@]}" --config "$work/probabilities.yaml"
expect_in "$work/out" '"pipeline_weighted": "634000.00"' "configured probabilities"
# window_days 30 from the file: only O-6 (won 06-25) closed in 2026-06-01 .. 06-30.
expect_in "$work/out" '"window_start": "2026-06-01"' "window from the file"
# The command line wins over the file.
expect_status 0 "analyze --window-days" "$revops" analyze "${golden[@]}" --config "$work/probabilities.yaml" --window-days 365
expect_in "$work/out" '"window_start": "2025-07-01"' "window from the command line"
expect_in "$work/out" '"pipeline_weighted": "634000.00"' "probabilities still from the file"

# ./revops.yaml is read when present; pipeline reads it too.
mkdir -p "$work/here"
cp "$work/probabilities.yaml" "$work/here/revops.yaml"
(cd "$work/here" && "$revops" pipeline --csv "$fixtures/analyze" --as-of 2026-06-30 --format json \
    >"$work/out" 2>"$work/err") || fail "pipeline with ./revops.yaml failed"
expect_in "$work/out" '"pipeline_weighted": "634000.00"' "./revops.yaml"
# A broken file stops the command before any data are read.
cp "$work/bad.yaml" "$work/here/revops.yaml"
(cd "$work/here" && "$revops" analyze "${golden[@]}" >"$work/out" 2>"$work/err")
[ $? -eq 2 ] || fail "analyze with a broken ./revops.yaml: not exit status 2"
expect_in "$work/err" "revops.yaml:4:5: unknown key 'colour'" "broken ./revops.yaml error"
expect_in "$work/err" "revops analyze: revops.yaml has errors, so nothing was done" "broken file note"
expect_status 2 "analyze --config missing" "$revops" analyze "${golden[@]}" --config "$work/none.yaml"
expect_in "$work/err" "cannot open" "missing --config"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "config: all checks passed"
