#pragma once
#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

/// Kernel module (version, open/proprietary, loaded modules, device nodes), user-space libraries,
/// and the newest CUDA the driver runs (NVML when live, else the knowledge base).
facts::Driver probe_driver(const ProbeContext& ctx, const facts::OsInfo& os);

}  // namespace gpuenv::probes
