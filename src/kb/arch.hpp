#pragma once
// Gate 2 of the compatibility model (design.md §1): can a GPU of compute capability X.Y run a build
// whose compiled targets are `arch_list`? Pure; used by the planner, the rules and `gpuenv inspect`,
// whether the list came from the binary (probes/fatbin.hpp) or from the knowledge base.
//
//   sm_XY    (cubin)                 runs on X.Z with Z >= Y (same major)
//   sm_XYa   (arch-specific cubin)   runs only on exactly X.Y
//   sm_XYf   (family cubin)          runs on the X family from X.Y up (same major, minor >=)
//   compute_XY (PTX)                 JIT-compiled by the driver on any CC >= X.Y; compute_XYa only on
//                                    X.Y, compute_XYf on the X family from X.Y up. PTX JIT needs a
//                                    driver as new as the compiler: `needs_ptx_jit` asks callers to
//                                    require `direct` compatibility (gate 1).
//   otherwise                        "no kernel image is available for execution on the device"
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gpuenv::kb {

/// A compiled target as arch lists write it: "sm_90", "sm_90a", "sm_100f", "compute_90".
struct ArchTarget {
  enum class Kind { cubin, ptx } kind = Kind::cubin;
  int major = 0;        ///< sm_121 → 12
  int minor = 0;        ///< sm_121 → 1
  char variant = '\0';  ///< 'a', 'f' or '\0'
  std::string text;     ///< as given
};

/// Parses "sm_90a" / "compute_120" (2 to 4 digits, optional a/f suffix); nullopt for anything else
/// ("lto_90", "sm_9", "sm90", "").
std::optional<ArchTarget> parse_arch_target(std::string_view s);

struct ComputeCapability {
  int major = 0;
  int minor = 0;
};
/// Parses "8.6", "10.0", "12.1"; nullopt for "8", "8.", "86", "8.10", "x.y".
std::optional<ComputeCapability> parse_compute_capability(std::string_view cc);

enum class CoverageHow {
  cubin,                ///< a plain cubin of the same major, minor <= the GPU's
  arch_specific_cubin,  ///< an `a` cubin of exactly this CC
  family_cubin,         ///< an `f` cubin of this family
  ptx_jit,              ///< only PTX: compiled by the driver at first use
  none,                 ///< nothing runs: "no kernel image is available"
};
const char* how_name(CoverageHow how);  ///< "cubin", "arch_specific_cubin", ..., "none"

struct Coverage {
  bool ok = false;
  CoverageHow how = CoverageHow::none;
  std::string entry;           ///< the target that runs ("sm_86", "compute_90"); empty when none does
  bool needs_ptx_jit = false;  ///< true only for `ptx_jit`: callers must require `direct` (gate 1)
  /// Why, for an explanation: catalog id "arch.reason.*" and its named arguments ({cc}, {entry},
  /// {archs}); render with i18n::Text{reason_id, reason_args}.
  std::string reason_id;
  std::vector<std::pair<std::string, std::string>> reason_args;
};

/// Whether a GPU of compute capability `cc` ("8.6") can run a build with `arch_list`. Entries that
/// are not cubin/PTX targets (LTO IR, typos) are ignored. When several run, the best is reported:
/// the cubin closest to the GPU (plain before arch-specific before family on a tie), else the newest
/// usable PTX. An unparsable `cc` or an empty list is `none` with its own reason.
Coverage check_coverage(const std::vector<std::string>& arch_list, std::string_view cc);

}  // namespace gpuenv::kb
