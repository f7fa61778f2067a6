#include "platform/nvml.hpp"

#include <dlfcn.h>

#include <cstring>

namespace gpuenv::platform {

namespace {

// Only the few NVML types we use (nvml.h, NVML_API_VERSION 13; see reference/cuda-facts.md §6c).
using nvmlReturn_t = int;
using nvmlDevice_t = void*;
struct nvmlMemory_t {
  unsigned long long total, free, used;
};
struct nvmlPciInfo_t {
  char busIdLegacy[16];
  unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
};
constexpr nvmlReturn_t NVML_SUCCESS = 0;

struct Api {
  void* handle = nullptr;
  nvmlReturn_t (*init)() = nullptr;
  nvmlReturn_t (*shutdown)() = nullptr;
  const char* (*error_string)(nvmlReturn_t) = nullptr;
  nvmlReturn_t (*driver_version)(char*, unsigned) = nullptr;
  nvmlReturn_t (*cuda_version)(int*) = nullptr;
  nvmlReturn_t (*count)(unsigned*) = nullptr;
  nvmlReturn_t (*by_index)(unsigned, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*name)(nvmlDevice_t, char*, unsigned) = nullptr;
  nvmlReturn_t (*uuid)(nvmlDevice_t, char*, unsigned) = nullptr;
  nvmlReturn_t (*serial)(nvmlDevice_t, char*, unsigned) = nullptr;
  nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t*) = nullptr;
  nvmlReturn_t (*pci)(nvmlDevice_t, nvmlPciInfo_t*) = nullptr;
  nvmlReturn_t (*cc)(nvmlDevice_t, int*, int*) = nullptr;
};

template <class F>
void bind(void* h, F& fn, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (void* p = ::dlsym(h, n)) {
      fn = reinterpret_cast<F>(p);
      return;
    }
  }
}

std::string err(const Api& api, nvmlReturn_t rc) {
  if (api.error_string) {
    if (const char* s = api.error_string(rc)) return s;
  }
  return "NVML error " + std::to_string(rc);
}

}  // namespace

const std::vector<std::string>& nvml_library_candidates() {
  static const std::vector<std::string> names = {
      "libnvidia-ml.so.1",  // the soname: present wherever the driver is
      "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1",
      "/usr/lib64/libnvidia-ml.so.1",
      "/usr/lib/aarch64-linux-gnu/libnvidia-ml.so.1",
      "/usr/local/nvidia/lib64/libnvidia-ml.so.1",  // sandboxed runtimes (gVisor, GKE)
      "/usr/lib/wsl/lib/libnvidia-ml.so.1",         // WSL2
      "libnvidia-ml.so",                            // dev symlink, last resort
  };
  return names;
}

std::optional<NvmlSnapshot> read_nvml(std::string* why) {
  Api api;
  std::string lib;
  for (auto& cand : nvml_library_candidates()) {
    api.handle = ::dlopen(cand.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (api.handle) {
      lib = cand;
      break;
    }
  }
  if (!api.handle) {
    if (why) *why = "libnvidia-ml.so.1 could not be loaded";
    return std::nullopt;
  }
  bind(api.handle, api.init, {"nvmlInit_v2", "nvmlInit"});
  bind(api.handle, api.shutdown, {"nvmlShutdown"});
  bind(api.handle, api.error_string, {"nvmlErrorString"});
  bind(api.handle, api.driver_version, {"nvmlSystemGetDriverVersion"});
  bind(api.handle, api.cuda_version, {"nvmlSystemGetCudaDriverVersion_v2", "nvmlSystemGetCudaDriverVersion"});
  bind(api.handle, api.count, {"nvmlDeviceGetCount_v2", "nvmlDeviceGetCount"});
  bind(api.handle, api.by_index, {"nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex"});
  bind(api.handle, api.name, {"nvmlDeviceGetName"});
  bind(api.handle, api.uuid, {"nvmlDeviceGetUUID"});
  bind(api.handle, api.serial, {"nvmlDeviceGetSerial"});
  bind(api.handle, api.memory, {"nvmlDeviceGetMemoryInfo"});
  bind(api.handle, api.pci, {"nvmlDeviceGetPciInfo_v3", "nvmlDeviceGetPciInfo_v2", "nvmlDeviceGetPciInfo"});
  bind(api.handle, api.cc, {"nvmlDeviceGetCudaComputeCapability"});

  NvmlSnapshot snap;
  snap.library = lib;
  if (!api.init) {
    if (why) *why = lib + ": nvmlInit not found";
    return std::nullopt;
  }
  if (nvmlReturn_t rc = api.init(); rc != NVML_SUCCESS) {
    if (why) *why = lib + ": nvmlInit: " + err(api, rc);
    return std::nullopt;
  }
  char buf[256];
  if (api.driver_version && api.driver_version(buf, sizeof buf) == NVML_SUCCESS) snap.driver_version = buf;
  int cv = 0;
  if (api.cuda_version && api.cuda_version(&cv) == NVML_SUCCESS) snap.cuda_driver_version = cv;
  unsigned n = 0;
  if (api.count && api.by_index) {
    if (nvmlReturn_t rc = api.count(&n); rc != NVML_SUCCESS) {
      snap.warnings.push_back("nvmlDeviceGetCount: " + err(api, rc));
      n = 0;
    }
    for (unsigned i = 0; i < n && i < 64; ++i) {
      nvmlDevice_t dev = nullptr;
      NvmlDevice d;
      d.index = i;
      if (nvmlReturn_t rc = api.by_index(i, &dev); rc != NVML_SUCCESS) {
        snap.warnings.push_back("nvmlDeviceGetHandleByIndex(" + std::to_string(i) + "): " + err(api, rc));
        snap.devices.push_back(d);
        continue;
      }
      if (api.name && api.name(dev, buf, sizeof buf) == NVML_SUCCESS) d.name = buf;
      if (api.uuid && api.uuid(dev, buf, sizeof buf) == NVML_SUCCESS) d.uuid = buf;
      if (api.serial && api.serial(dev, buf, sizeof buf) == NVML_SUCCESS) d.serial = buf;
      nvmlMemory_t mem{};
      if (api.memory && api.memory(dev, &mem) == NVML_SUCCESS) d.memory_total_bytes = mem.total;
      nvmlPciInfo_t pci{};
      if (api.pci && api.pci(dev, &pci) == NVML_SUCCESS) {
        pci.busId[sizeof pci.busId - 1] = 0;
        d.pci_bus_id = pci.busId;
        d.pci_device_id = pci.pciDeviceId >> 16;
      }
      int ma = 0, mi = 0;
      if (api.cc && api.cc(dev, &ma, &mi) == NVML_SUCCESS) {
        d.cc_major = static_cast<unsigned>(ma);
        d.cc_minor = static_cast<unsigned>(mi);
      }
      snap.devices.push_back(std::move(d));
    }
  }
  if (api.shutdown) api.shutdown();
  // The library stays loaded: unloading NVML is known to crash some driver versions at exit.
  return snap;
}

}  // namespace gpuenv::platform
