#!/usr/bin/env bash
# README command 1: installs what is missing, builds revops, generates demo data, imports it
# into a SQLite store (build/demo.db), prints its summary and then the weekly analysis.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build
build/revops demo --dir build/demo --db build/demo.db "$@"
echo
build/revops analyze --db build/demo.db
