#pragma once
// The pieces the verify translator pulls out of real error messages (issue 7). Pure string functions,
// each with the real message it reads; tests in verify_patterns_test.cpp.
#include <optional>
#include <string>
#include <string_view>

namespace gpuenv::rules {

/// "The NVIDIA driver on your system is too old (found version 11040)" -> "11.4" (N = 1000*major +
/// 10*minor: the driver's CUDA API level, failure-modes.md §0.2).
std::optional<std::string> decode_found_version(std::string_view text);
/// "ImportError: libcudnn.so.8: cannot open shared object file: No such file..." -> "libcudnn.so.8".
std::optional<std::string> missing_library(std::string_view text);
/// "... undefined symbol: __nvJitLinkAddData_12_1, version libnvJitLink.so.12" -> "__nvJitLinkAddData_12_1".
std::optional<std::string> undefined_symbol(std::string_view text);
/// "... with CUDA capability sm_120 is not compatible with the current PyTorch installation." -> "sm_120".
std::optional<std::string> capability_from_warning(std::string_view text);
/// True when CUDA_VISIBLE_DEVICES selects no GPU: empty, "-1", "NoDevFiles", or a first entry that is
/// an index >= `gpu_count` (CUDA stops at the first invalid entry). UUID entries ("GPU-…", "MIG-…")
/// cannot be checked here and count as selecting something.
bool cuda_visible_devices_hides(std::string_view value, std::optional<int> gpu_count);

}  // namespace gpuenv::rules
