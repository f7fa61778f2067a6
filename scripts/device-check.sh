#!/usr/bin/env bash
# Device check (issue 7): runs a prebuilt gpuenv on a machine with an NVIDIA GPU and no network, and
# compares what it reads with nvidia-smi. Everything lands in OUTDIR, with summary.txt on top.
#
#   scripts/device-check.sh [OUTDIR]
#
# The GPU machine has CUDA, PyTorch and CMake but none of our build dependencies, and may run under
# gVisor (driver under /usr/local/nvidia, no /proc/driver/nvidia, no GPU in sysfs). So build here,
# with libstdc++/libgcc linked statically, and carry the binary:
#   cmake --preset device && cmake --build --preset device
#
# Environment:
#   GPUENV          the binary (default build/device/src/cli/gpuenv, else build/release/src/cli/gpuenv)
#   TORCH_PYTHON    the interpreter to verify (default /opt/torch/.venv/bin/python; when it is absent,
#                   verify chooses as it always does)
#   OUT             the output directory when OUTDIR is not given (default device-run-<UTC time>)
#   VERIFY_TIMEOUT  seconds for each verify run (default 300)
#
# It never stops at a failing step: each command's stdout, stderr and exit status are kept
# (NAME.out, NAME.err, NAME.rc). Exit status: 0, or 2 when the gpuenv binary is missing.
set -u

cd "$(dirname "$0")/.." || exit 2
out="${1:-${OUT:-device-run-$(date -u +%Y%m%dT%H%M%SZ)}}"
mkdir -p "$out" || exit 2
out="$(cd "$out" && pwd)"
verify_timeout="${VERIFY_TIMEOUT:-300}"

log() { printf '%s\n' "$*" | tee -a "$out/log.txt" >&2; }

# run NAME LIMIT CMD...: runs CMD with a time limit, keeping NAME.out / NAME.err / NAME.rc.
run() {
  local name=$1 limit=$2
  shift 2
  log "+ $*"
  local rc
  if command -v timeout >/dev/null 2>&1; then
    timeout --kill-after=10 "$limit" "$@" >"$out/$name.out" 2>"$out/$name.err"
    rc=$?
  else
    "$@" >"$out/$name.out" 2>"$out/$name.err"
    rc=$?
  fi
  echo "$rc" >"$out/$name.rc"
  log "  exit $rc"
}

gpuenv="${GPUENV:-}"
if [ -z "$gpuenv" ]; then
  for cand in build/device/src/cli/gpuenv build/release/src/cli/gpuenv; do
    if [ -x "$cand" ]; then gpuenv="$cand"; break; fi
  done
fi
if [ -z "$gpuenv" ] || [ ! -x "$gpuenv" ]; then
  log "error: no gpuenv binary (set GPUENV, or build it: cmake --preset device && cmake --build --preset device)"
  exit 2
fi
gpuenv="$(cd "$(dirname "$gpuenv")" && pwd)/$(basename "$gpuenv")"
log "gpuenv: $gpuenv"
log "output: $out"

# 1. The machine and the binary.
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uname: $(uname -a)"
  echo "nproc: $(nproc 2>/dev/null || echo '?')"
  echo "user: $(id 2>/dev/null || echo '?')"
  echo "glibc: $(getconf GNU_LIBC_VERSION 2>/dev/null || echo '?') (the device build needs 2.35 or newer)"
  if [ -r /etc/os-release ]; then sed 's/^/os-release: /' /etc/os-release; fi
  for f in /proc/driver/nvidia/version /sys/module/nvidia/version; do
    if [ -r "$f" ]; then echo "$f: $(head -n 1 "$f")"; else echo "$f: absent"; fi
  done
  printf 'device nodes:'
  for f in /dev/nvidia*; do if [ -e "$f" ]; then printf ' %s' "$f"; fi; done
  echo
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64; do
    if [ -d "$d" ]; then
      printf 'driver libs in %s:' "$d"
      for f in "$d"/libcuda.so* "$d"/libnvidia-ml.so*; do if [ -e "$f" ]; then printf ' %s' "${f##*/}"; fi; done
      echo
    fi
  done
  for v in CUDA_VISIBLE_DEVICES NVIDIA_VISIBLE_DEVICES LD_LIBRARY_PATH PATH VIRTUAL_ENV CONDA_PREFIX CUDA_HOME; do
    echo "\$$v=${!v-<unset>}"
  done
} >"$out/machine.txt" 2>&1
run ldd 30 ldd "$gpuenv"
run version 30 "$gpuenv" --version
if [ "$(cat "$out/version.rc")" != 0 ]; then
  log "warning: the binary does not run here: $(head -c 300 "$out/version.err")"
fi

# 2. nvidia-smi: what the driver says (the reference the comparison uses).
smi=""
for cand in "$(command -v nvidia-smi 2>/dev/null)" /usr/local/nvidia/bin/nvidia-smi /usr/bin/nvidia-smi /usr/local/bin/nvidia-smi; do
  if [ -n "$cand" ] && [ -x "$cand" ]; then smi="$cand"; break; fi
done
if [ -n "$smi" ]; then
  run nvidia-smi 60 "$smi"
  run nvidia-smi-query 60 "$smi" --query-gpu=name,memory.total,driver_version,compute_cap --format=csv,noheader
  if [ "$(cat "$out/nvidia-smi-query.rc")" != 0 ]; then
    # Drivers before compute_cap existed: ask without it.
    run nvidia-smi-query 60 "$smi" --query-gpu=name,memory.total,driver_version --format=csv,noheader
  fi
  run nvidia-smi-q 60 "$smi" -q
else
  log "nvidia-smi: not found (no NVIDIA driver tools here); the comparison shows gpuenv's side only"
  echo "not found" >"$out/nvidia-smi.absent"
fi

# 3. gpuenv reading the machine (no Python started).
run doctor-json 120 "$gpuenv" doctor --json
run doctor-text 120 "$gpuenv" doctor --no-color
run facts-json 120 "$gpuenv" facts --json -v

# 4. gpuenv verify: real work in the machine's PyTorch.
torch_python="${TORCH_PYTHON:-/opt/torch/.venv/bin/python}"
select=()
if [ -x "$torch_python" ]; then
  select=(--python "$torch_python")
else
  log "note: $torch_python not found; verify chooses the interpreter itself"
fi
run verify-json $((verify_timeout + 30)) "$gpuenv" verify --json --timeout "$verify_timeout" "${select[@]}"
run verify-text $((verify_timeout + 30)) "$gpuenv" verify --quick --no-color --timeout "$verify_timeout" "${select[@]}"
run verify-text-ja $((verify_timeout + 30)) "$gpuenv" verify --quick --no-color --lang ja --timeout "$verify_timeout" "${select[@]}"

# 5. gpuenv capture, when this build has it (another issue adds it).
if "$gpuenv" --help 2>/dev/null | grep -Eq '^[[:space:]]+capture([[:space:]]|$)'; then
  rm -rf "$out/capture"
  run capture 300 "$gpuenv" capture "$out/capture"
else
  log "capture: not in this build (skipped)"
  echo "not in this build" >"$out/capture.skipped"
fi

# 6. The summary table: any Python will do (the one verified, or the system's).
summary_py=""
for cand in "$torch_python" "$(command -v python3 2>/dev/null)" "$(command -v python 2>/dev/null)"; do
  if [ -n "$cand" ] && [ -x "$cand" ]; then summary_py="$cand"; break; fi
done
if [ -n "$summary_py" ]; then
  "$summary_py" scripts/device-summary.py "$out" >"$out/summary.txt" 2>"$out/summary.err" ||
    echo "summary failed: see summary.err" >>"$out/summary.txt"
else
  {
    echo "no Python to build the summary; raw results:"
    for f in "$out"/*.rc; do echo "$(basename "$f" .rc): exit $(cat "$f")"; done
  } >"$out/summary.txt"
fi
cat "$out/summary.txt"
exit 0
