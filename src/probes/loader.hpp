#pragma once
#include <string>
#include <vector>

#include "probes/context.hpp"

namespace gpuenv::probes {

/// The directories the dynamic loader searches, as the files say: /etc/ld.so.conf (with its
/// `include` globs, one level of "*" in the file name), the standard multiarch and lib dirs, WSL2's
/// /usr/lib/wsl/lib and sandboxed runtimes' /usr/local/nvidia/lib64. Existing ones only, de-duplicated.
std::vector<std::string> loader_dirs(const ProbeContext& ctx);

/// Entries of `dir` whose names start with `prefix` (a bounded listing).
std::vector<std::string> files_with_prefix(const ProbeContext& ctx, const std::string& dir,
                                           const std::string& prefix);

/// Whether a file name is one of the CUDA-family libraries a framework ships in its wheels (cuDNN,
/// cuBLAS, NCCL, the CUDA runtime, cuFFT, ...): "libcudnn.so.9", "libcublasLt.so.12.4.5.8".
bool is_cuda_family_library(std::string_view name);

/// The directories of `LD_LIBRARY_PATH` (in order, as the user wrote them) and the CUDA-family
/// libraries each holds, from file names only. Empty when the variable is unset or empty.
std::vector<facts::LibraryDir> probe_library_path(const ProbeContext& ctx);

}  // namespace gpuenv::probes
