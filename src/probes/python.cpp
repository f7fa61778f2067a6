#include "probes/python.hpp"

namespace gpuenv::probes {

void probe_python(const ProbeContext&, facts::Machine&) {}

}  // namespace gpuenv::probes
