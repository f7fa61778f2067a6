#include "probes/machine.hpp"
namespace gpuenv::probes {
void apply_overrides(facts::Machine&, const ProbeContext&) {}
}  // namespace gpuenv::probes
