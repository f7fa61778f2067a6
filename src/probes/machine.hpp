#pragma once
#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

/// Reads the whole chain: host, OS, GPUs, driver, CUDA toolkits, cuDNN, Python environments, and the
/// environment variables the rules use. Never throws for what it reads: problems become warnings.
facts::Machine probe_machine(const ProbeContext& ctx);

/// Applies GPUENV_DRIVER_VERSION / GPUENV_GPU overrides (GPU-less login nodes: design.md §3).
void apply_overrides(facts::Machine& m, const ProbeContext& ctx);

}  // namespace gpuenv::probes
