#!/usr/bin/env bash
# The benchmarks of docs/performance.md (never part of the test suite's pass/fail). Builds the `bench`
# preset, then:
#   scripts/bench.sh                     microbenchmarks, then whole-process timings (21 runs a case)
#   scripts/bench.sh micro [ARGS...]     only the microbenchmarks; ARGS go to each (--benchmark_filter=RE)
#   scripts/bench.sh process [ARGS...]   only the whole-process timings; ARGS go to scripts/perf_process.py
#                                        (--reps N, --cases live,envs,fatbin,collect_env, --markdown FILE)
# The whole-process table is also written to build/bench/perf-process.md, ready for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
what=all
if [[ $# -gt 0 && ( $1 == micro || $1 == process ) ]]; then
  what=$1
  shift
fi
if [[ ${GPUENV_BENCH_NO_SETUP:-} != 1 ]]; then scripts/setup-deps.sh; fi
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake --preset bench "${launcher[@]}" >/dev/null
cmake --build --preset bench
if [[ $what != process ]]; then
  for b in build/bench/bench/*_bench; do
    echo "== $(basename "$b")"
    "$b" "$@"
  done
fi
if [[ $what != micro ]]; then
  echo "== whole-process timings (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  python3 scripts/perf_process.py --gpuenv build/bench/src/cli/gpuenv --floor build/bench/bench/floor \
    --markdown build/bench/perf-process.md "$@"
fi
