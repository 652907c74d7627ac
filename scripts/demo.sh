#!/usr/bin/env bash
# README command 1: installs what is missing, builds revops, generates demo data, imports it
# into a SQLite store (build/demo.db) and prints a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build
build/revops demo --dir build/demo --db build/demo.db "$@"
