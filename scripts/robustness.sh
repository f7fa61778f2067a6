#!/usr/bin/env bash
# Measures gpuenv on the hostile roots (tests/fixtures/make_hostile_roots.sh): wall time and peak
# resident memory of every reading command on every root, against the limits of issue 11 (2 s, 100 MB).
# Prints a Markdown table (the one in docs/robustness.md) and exits 1 when a run is over a limit, ends
# with a signal or an exit code other than 0/1, or shows a marker file from outside its root.
#   scripts/robustness.sh [GPUENV_BINARY]        (default build/release/src/cli/gpuenv)
# Run on an otherwise idle machine: the wall-time limit is meaningless on an overloaded one.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/release/src/cli/gpuenv}")
[[ -x "$bin" ]] || { echo "no gpuenv binary at $bin (build the release preset)" >&2; exit 2; }
max_s=2.0
max_kb=$((100 * 1024))
tmp=$(mktemp -d /tmp/gpuenv-hostile-XXXXXX)
chmod 755 "$tmp"
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mapfile -t roots < <(tests/fixtures/make_hostile_roots.sh "$tmp")

commands=("doctor --json" "facts --json" "envs --json" "doctor" "envs" "doctor --format markdown")
fail=0
echo "| root | command | exit | wall (s) | peak RSS (MB) | within limits |"
echo "|------|---------|-----:|---------:|--------------:|---------------|"
for root in "${roots[@]}"; do
  wrap=()
  [[ "$root" == hostile-perm && $(id -u) -eq 0 ]] && wrap=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  for c in "${commands[@]}"; do
    read -ra args <<<"$c"
    set +e
    env -i PATH=/usr/bin:/bin HOME=/home/eve USER=eve NO_COLOR=1 GPUENV_TODAY=2026-11-30 \
      /usr/bin/time -f '%e %M' -o "$tmp/time" "${wrap[@]}" "$bin" "${args[@]}" --root "$tmp/$root" --no-cache \
      >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
    read -r secs kb <"$tmp/time" || { secs=?; kb=0; }
    [[ "$secs" == "Command" ]] && { secs=?; kb=0; }  # "Command terminated by signal"
    mb=$(awk -v k="$kb" 'BEGIN{printf "%.1f", k/1024}')
    ok=yes
    if [[ $rc -ne 0 && $rc -ne 1 ]]; then ok="no (exit $rc)"; fi
    if [[ "$secs" == "?" ]] || awk -v s="$secs" -v m="$max_s" 'BEGIN{exit !(s>m)}'; then ok="no (time)"; fi
    (( kb > max_kb )) && ok="no (memory)"
    if grep -q -e GPUENV_MARKER_OUTSIDE_ROOT -e 77.66.55 "$tmp/out" "$tmp/err"; then ok="no (read outside the root)"; fi
    [[ "$ok" != yes ]] && fail=1
    user=""
    [[ ${#wrap[@]} -gt 0 ]] && user=" (as nobody)"
    echo "| $root$user | \`$c\` | $rc | $secs | $mb | $ok |"
  done
done
exit $fail
