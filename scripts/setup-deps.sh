#!/usr/bin/env bash
# Installs what gpuenv needs to build and test, from Debian/Ubuntu packages only.
# As root it runs apt-get; otherwise it prints the command to run. Idempotent: installs only what is missing.
#   scripts/setup-deps.sh            build + test dependencies
#   scripts/setup-deps.sh --extra    also what the slow tests use (python3-torch, slurm-wlm, munge)
#   scripts/setup-deps.sh --fuzz     also what the fuzz preset uses (clang 14 with libc++: scripts/fuzz.sh)
set -euo pipefail

pkgs=(cmake make g++ nlohmann-json3-dev libcli11-dev googletest libgtest-dev libgmock-dev libbenchmark-dev python3 python3-venv)
if [[ "${1:-}" == "--extra" ]]; then
  pkgs+=(python3-torch slurm-wlm munge)
fi
if [[ "${1:-}" == "--fuzz" ]]; then
  pkgs+=(clang-14 libclang-rt-14-dev libc++-14-dev libc++abi-14-dev)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "gpuenv needs these packages: ${missing[*]}" >&2
  echo "Run as root:  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing: ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
