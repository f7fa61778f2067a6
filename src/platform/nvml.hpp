#pragma once
// NVML loaded at run time (never linked), like DCGM's loader: the soname first, newest symbol
// versions first, a missing symbol means "unsupported". Used only on the live machine (root "/").
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gpuenv::platform {

struct NvmlDevice {
  unsigned index = 0;
  std::optional<std::string> name, uuid, pci_bus_id, serial;
  std::optional<unsigned> pci_device_id;  ///< the 16-bit PCI device id (from pciDeviceId >> 16)
  std::optional<unsigned> cc_major, cc_minor;
  std::optional<unsigned long long> memory_total_bytes;
};

struct NvmlSnapshot {
  std::string library;  ///< the library that was loaded
  std::optional<std::string> driver_version;
  std::optional<int> cuda_driver_version;  ///< e.g. 12020 for 12.2
  std::vector<NvmlDevice> devices;
  std::vector<std::string> warnings;  ///< calls that failed, with NVML's error string
};

/// Loads NVML and reads the snapshot. Returns nullopt when no NVML library can be loaded (no driver),
/// with the reason in `why` when given.
std::optional<NvmlSnapshot> read_nvml(std::string* why = nullptr);

/// The library names tried, in order (soname, distro fallbacks, sandboxed-runtime locations).
const std::vector<std::string>& nvml_library_candidates();

}  // namespace gpuenv::platform
