#pragma once
#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

/// GPUs from PCI sysfs (display class 0x03xxxx; NVIDIA ones in `gpus`, others in
/// `other_display_devices`), merged with /proc/driver/nvidia/gpus/*/information and NVML.
/// Names, architecture, CC and memory come from NVML when live, else the knowledge base, else pci.ids.
void probe_gpus(const ProbeContext& ctx, facts::Machine& m);

}  // namespace gpuenv::probes
