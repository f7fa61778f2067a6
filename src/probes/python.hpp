#pragma once
#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

/// Every Python environment (design.md §4), with the packages that matter, Jupyter kernels and user
/// sites, read from files only.
void probe_python(const ProbeContext& ctx, facts::Machine& m);

}  // namespace gpuenv::probes
