#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 60), one after the other, seeded from
# fuzz/corpus/<target>/ (read-only: new inputs go to a scratch corpus under build/fuzz/work/).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# GPUENV_FUZZ_JOBS=N runs N targets at a time (default 1); GPUENV_FUZZ_NO_BUILD=1 skips the build.
# Builds the `fuzz` preset first (clang 14, libc++, -fsanitize=fuzzer,address,undefined; needs
# scripts/setup-deps.sh --fuzz). A crash leaves its input in build/fuzz/work/<target>/crash-*: fix the bug,
# then copy the input to fuzz/regressions/<target>/ so the normal test suite (fuzz_replay_test) replays it.
# The last line of each target's log (build/fuzz/work/<target>.log) has libFuzzer's execution count;
# a summary table is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
all=(driver sysfs cuda cudnn metadata conda pyvenv pep440 fatbin verify facts_json terminal)
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all[@]}")

if [[ -z "${GPUENV_FUZZ_NO_BUILD:-}" ]]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz --target fuzz_all
fi

work=build/fuzz/work
mkdir -p "$work"
jobs="${GPUENV_FUZZ_JOBS:-1}"

fuzz_one() {  # fuzz_one TARGET: runs it, leaves its log; the exit status is libFuzzer's
  local t=$1 bin="build/fuzz/fuzz/fuzz_$1"
  [[ -x "$bin" ]] || { echo "no fuzzer binary $bin" >&2; return 2; }
  mkdir -p "$work/$t/corpus"
  echo "== fuzz_$t for ${secs}s (log: $work/$t.log)"
  (cd "$work/$t" && "../../../../$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
     -max_len=65536 -print_final_stats=1 corpus "../../../../fuzz/corpus/$t") >"$work/$t.log" 2>&1
}

declare -A rcs
pending=("${targets[@]}")
while [[ ${#pending[@]} -gt 0 ]]; do
  batch=("${pending[@]:0:$jobs}")
  pending=("${pending[@]:$jobs}")
  pids=()
  for t in "${batch[@]}"; do
    fuzz_one "$t" &
    pids+=($!)
  done
  for i in "${!batch[@]}"; do
    set +e
    wait "${pids[$i]}"
    rcs[${batch[$i]}]=$?
    set -e
  done
done

status=0
summary=()
for t in "${targets[@]}"; do
  log="$work/$t.log"
  rc=${rcs[$t]}
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" 2>/dev/null | grep -o '[0-9]*$' | tail -1 || true)
  result=ok
  if [[ $rc -ne 0 ]]; then
    result="FOUND (rc $rc): $(ls "$work/$t"/crash-* "$work/$t"/timeout-* "$work/$t"/oom-* 2>/dev/null | head -1)"
    status=1
  fi
  summary+=("$(printf '| %-10s | %4ss | %12s | %s |' "$t" "$secs" "${execs:-?}" "$result")")
done
echo
echo "| target     | time  |   executions | result |"
echo "|------------|-------|--------------|--------|"
printf '%s\n' "${summary[@]}"
exit $status
