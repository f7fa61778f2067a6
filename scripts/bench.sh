#!/usr/bin/env bash
# Builds the benchmark preset and runs every microbenchmark (never part of the test suite).
#   scripts/bench.sh [--benchmark_filter=REGEX]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
cmake --preset bench >/dev/null
cmake --build --preset bench
for b in build/bench/bench/*_bench; do
  echo "== $(basename "$b")"
  "$b" "$@"
done
