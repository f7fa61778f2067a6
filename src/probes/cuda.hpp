#pragma once
#include <vector>

#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

/// Every CUDA toolkit: /usr/local/cuda*, $CUDA_HOME, $CUDA_PATH, nvcc on $PATH, /opt/nvidia/*.
std::vector<facts::CudaToolkit> probe_cuda_toolkits(const ProbeContext& ctx);

}  // namespace gpuenv::probes
