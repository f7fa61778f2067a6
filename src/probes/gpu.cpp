#include "probes/gpu.hpp"
namespace gpuenv::probes {
void probe_gpus(const ProbeContext&, facts::Machine&) {}
}  // namespace gpuenv::probes
