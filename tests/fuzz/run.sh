#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 120) from the
# seed corpus in tests/fuzz/corpus. Crashes are written to the current folder.
#   tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-120}
command -v clang >/dev/null || { echo "fuzz: needs clang (apt-get install clang)" >&2; exit 2; }
CC=clang cmake -S . -B build-fuzz -DREVOPS_FUZZ=ON -DREVOPS_TESTS=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_csv fuzz_values fuzz_import fuzz_criteria fuzz_config fuzz_json fuzz_lead >/dev/null
work=$(mktemp -d /tmp/revops-fuzz-XXXXXX)
status=0
for target in csv values import criteria config json lead; do
    mkdir -p "$work/$target"
    cp tests/fuzz/corpus/$target/* "$work/$target/"
    echo "fuzz_$target: $seconds s"
    # A whole default revops.yaml is about 8 KB.
    len=4096
    [ "$target" = config ] && len=16384
    build-fuzz/tests/fuzz/fuzz_$target -max_total_time="$seconds" -max_len="$len" "$work/$target" \
        2>&1 | grep -E "^Done|ERROR|SUMMARY" || status=1
done
rm -rf "$work"
exit $status
