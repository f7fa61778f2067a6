#pragma once
// Node names as Slurm writes them: "gpu[01-12],login1". Pure.
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::fleet {

/// Orders names as a person would: "n2" before "n10", "gpu01" before "gpu2".
bool natural_less(std::string_view a, std::string_view b);

/// Compresses names into a Slurm hostlist expression: {"n1","n2","n3","n7","login"} →
/// "login,n[1-3,7]". Numbers keep their zero padding ("gpu[01-03]"); duplicates are dropped;
/// names without a trailing number stay as they are. Groups are in natural order.
std::string compress_hostlist(std::vector<std::string> names);

}  // namespace gpuenv::fleet
