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

}  // namespace gpuenv::probes
