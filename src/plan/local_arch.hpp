#pragma once
// PLANNER-PRIVATE stand-in for the gate-2 coverage function of kb/arch (branch `fatbin`), which was
// not on main when the planner was written. Replace with kb/arch once it lands (the lead dedupes).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::plan::local {

/// One entry of torch.cuda.get_arch_list(): "sm_86" (cubin), "sm_90a" (arch-specific cubin),
/// "sm_100f" (family cubin), "compute_120" (PTX).
struct ArchEntry {
  int major = 0;
  int minor = 0;
  char suffix = 0;  ///< 0, 'a' or 'f'
  bool ptx = false;
};
std::optional<ArchEntry> parse_arch_entry(std::string_view s);

/// How a build runs on a GPU of compute capability major.minor (design.md §1 gate 2).
struct Coverage {
  enum class Kind { cubin, ptx, none };
  Kind kind = Kind::none;
  std::string via;  ///< the entry that serves it: "sm_86", or "compute_120" for PTX; "" for none
};

/// A cubin sm_XY runs on X.Z with Z ≥ Y; sm_XYa only on exactly X.Y; sm_XYf on X.Z with Z ≥ Y;
/// otherwise the newest PTX compute_XY ≤ the device's capability (JIT; needs a `direct` driver).
Coverage coverage(const std::vector<std::string>& arch_list, int cc_major, int cc_minor);

}  // namespace gpuenv::plan::local
