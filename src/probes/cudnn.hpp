#pragma once
#include <vector>

#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

/// System and toolkit copies of cuDNN (headers and libraries). Environment copies are read with the
/// environment's packages.
std::vector<facts::Cudnn> probe_cudnn(const ProbeContext& ctx,
                                      const std::vector<facts::CudaToolkit>& toolkits);

}  // namespace gpuenv::probes
