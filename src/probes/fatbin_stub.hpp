#pragma once
// A small stand-in for a binary's GPU code: an ELF64 file whose `.nv_fatbin` holds one container with
// an empty entry per target of an arch list. `capture` writes it in place of a framework library (never
// copied whole), so that `--root` on the capture reads the same targets.
#include <string>
#include <vector>

namespace gpuenv::probes {

/// The stand-in for `arch_list` ({"sm_80", "sm_90a", "sm_100f", "compute_90"}); targets it does not
/// understand are left out.
std::string fatbin_stub_elf(const std::vector<std::string>& arch_list);

}  // namespace gpuenv::probes
