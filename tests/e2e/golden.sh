#!/usr/bin/env bash
# Golden tests: each tests/fixtures/<set>/<case>.args is run on the set's CSV files (--csv)
# and on a store imported from them (--db); both outputs must equal <case>.expected byte for
# byte. The expected files were worked out by hand (see each set's README.md).
# usage: golden.sh PATH/TO/revops
set -uo pipefail
revops=$1
fixtures=${REVOPS_FIXTURES:?REVOPS_FIXTURES is not set}
work=$(mktemp -d /tmp/revops-golden-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
cases=0
for args_file in "$fixtures"/*/*.args; do
    set_dir=$(dirname "$args_file")
    set_name=$(basename "$set_dir")
    case_name=$(basename "$args_file" .args)
    expected="$set_dir/$case_name.expected"
    read -r -a args <"$args_file"
    cmd=${args[0]}
    rest=("${args[@]:1}")
    db="$work/$set_name.db"
    if [ ! -f "$db" ]; then
        "$revops" init --db "$db" >/dev/null &&
            "$revops" import "$set_dir" --db "$db" >/dev/null ||
            { echo "FAIL: importing $set_name" >&2; failures=$((failures + 1)); continue; }
    fi
    for source in "--csv $set_dir" "--db $db"; do
        # shellcheck disable=SC2086
        "$revops" "$cmd" $source "${rest[@]}" >"$work/out" 2>"$work/err"
        if ! cmp -s "$work/out" "$expected"; then
            echo "FAIL: $set_name/$case_name with $source" >&2
            diff "$expected" "$work/out" | head -20 >&2
            failures=$((failures + 1))
        fi
        cases=$((cases + 1))
    done
done
[ "$cases" -gt 0 ] || { echo "no golden cases found in $fixtures" >&2; exit 1; }
if [ "$failures" -ne 0 ]; then
    echo "$failures of $cases golden runs failed" >&2
    exit 1
fi
echo "$cases golden runs passed"
