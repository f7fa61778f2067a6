#!/usr/bin/env bash
# The README's two commands, and what CI runs:
#   scripts/dev.sh run [ARGS...]   install what is missing, build Release, run `gpuenv doctor ARGS...`
#   scripts/dev.sh test            install what is missing, build Release, run the whole test suite
#   scripts/dev.sh asan            build with ASan+UBSan and run the suite under it (CI)
# Builds use at most 2 jobs (CI has 2 cores). CI=true turns warnings into errors.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-run}"
shift || true

preset=release
[[ "${CI:-}" == "true" ]] && preset=ci

case "$what" in
  run)
    scripts/setup-deps.sh
    cmake --preset release >/dev/null
    cmake --build --preset release
    exec build/release/src/cli/gpuenv doctor "$@"
    ;;
  test)
    scripts/setup-deps.sh --extra
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    ctest --preset "$preset" "$@"
    ;;
  asan)
    scripts/setup-deps.sh --extra
    p=asan-ubsan
    [[ "${CI:-}" == "true" ]] && p=ci-asan
    cmake --preset "$p" >/dev/null
    cmake --build --preset "$p"
    ASAN_OPTIONS=detect_leaks=1 ctest --preset "$p" "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh run [ARGS...] | test [CTEST ARGS...] | asan" >&2
    exit 2
    ;;
esac
