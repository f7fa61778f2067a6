#!/usr/bin/env bash
# (Re)fills the fuzz seed corpora fuzz/corpus/<target>/ from the test fixtures: each fixture file a
# parser reads is copied under a name made of its content's hash (so reruns add nothing twice).
# Hand-written seeds (seed-*) and the fatbin seeds (generated once from tests/support/fatbin_builder.hpp)
# are kept. Usage: scripts/fuzz-seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fx=tests/fixtures
put() {  # put TARGET FILE...
  local t=$1; shift
  mkdir -p "fuzz/corpus/$t"
  for f in "$@"; do
    [[ -f "$f" && ! -L "$f" ]] || continue
    local size; size=$(stat -c %s "$f")
    (( size > 0 && size <= 65536 )) || continue
    cp "$f" "fuzz/corpus/$t/fx-$(sha1sum "$f" | cut -c1-16)"
  done
}
mapfile -d '' all < <(find "$fx" -type f -print0 | sort -z)
pick() { local re=$1; for f in "${all[@]}"; do [[ "$f" =~ $re ]] && printf '%s\n' "$f"; done; }
put driver $(pick '/proc/driver/nvidia/version$|/proc/modules$|/gpus/[^/]+/information$|/sys/module/nvidia/version$|/libc\.so\.6$|/pci\.ids$')
put sysfs $(pick '/sys/devices/.*/(vendor|device|class)$|/os-release$|/ld\.so\.conf|/proc/sys/kernel/osrelease$')
put cuda $(pick '/version\.json$|/version\.txt$|/include/cuda\.h$')
put cudnn $(pick '/cudnn(_version)?\.h$')
put metadata $(pick '/METADATA$|/PKG-INFO$|/RECORD$|/version\.py$|\.pth$|/patchlevel\.h$|/dpkg/status$')
put conda $(pick '/conda-meta/[^/]+\.json$|/environments\.txt$')
put pyvenv $(pick '/pyvenv\.cfg$|/\.pyenv/version$|/\.python-version$')
for t in driver sysfs cuda cudnn metadata conda pyvenv pep440 fatbin verify facts_json; do
  printf '%-11s %s seeds\n' "$t" "$(find "fuzz/corpus/$t" -type f 2>/dev/null | wc -l)"
done
