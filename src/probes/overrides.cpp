#include <algorithm>
#include <cctype>

#include "probes/machine.hpp"
#include "probes/parse.hpp"

namespace gpuenv::probes {

// GPU-less login nodes describe their compute nodes (design.md §3): GPUENV_DRIVER_VERSION replaces the
// driver read from the machine; GPUENV_GPU ("RTX 4090", "0x2684", several separated by commas) replaces
// the GPUs; CONDA_OVERRIDE_CUDA is a hint for the driver's CUDA when nothing else gives it.
// The override describes the compute nodes' driver: no module is loaded here, so this machine's device
// nodes are not judged.
void apply_overrides(facts::Machine& m, const ProbeContext& ctx) {
  if (auto v = ctx.env.get("GPUENV_DRIVER_VERSION"); v && !v->empty()) {
    if (auto parsed = parse_driver_version_line(*v)) {
      m.driver.version = *parsed;
      m.driver.userspace_version = *parsed;
      m.driver.source = "GPUENV_DRIVER_VERSION";
      m.driver.cuda_max = ctx.kb.cuda_max_for_driver(*parsed);
      m.driver.cuda_max_source = m.driver.cuda_max ? std::optional<std::string>("kb") : std::nullopt;
    } else {
      ctx.warn("overrides", "GPUENV_DRIVER_VERSION", {"warning.overrides.driver", {{"value", *v}}});
    }
  }
  if (auto g = ctx.env.get("GPUENV_GPU"); g && !g->empty()) {
    std::vector<facts::Gpu> gpus;
    std::string_view rest = *g;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto item = std::string(trim(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (item.empty()) continue;
      const kb::GpuModel* model = nullptr;
      bool hex = item.size() >= 4 &&
                 std::all_of(item.begin() + (item.starts_with("0x") ? 2 : 0), item.end(),
                             [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
      model = hex ? ctx.kb.gpu_by_pci_id(item) : ctx.kb.gpu_by_name(item);
      if (!model) {
        ctx.warn("overrides", "GPUENV_GPU", {"warning.overrides.gpu", {{"gpu", item}}});
        continue;
      }
      facts::Gpu gpu;
      gpu.index = static_cast<int>(gpus.size());
      gpu.vendor = "nvidia";
      gpu.pci_vendor_id = "0x10de";
      gpu.pci_device_id = model->pci_device_id;
      gpu.name = model->name;
      gpu.chip = model->chip.empty() ? std::nullopt : std::optional(model->chip);
      gpu.architecture = model->architecture;
      gpu.compute_capability = model->compute_capability;
      gpu.memory_mib = model->memory_mib;
      gpu.kernel_driver = "nvidia";
      gpu.source = "GPUENV_GPU";
      gpus.push_back(std::move(gpu));
    }
    if (!gpus.empty()) m.gpus = std::move(gpus);
  }
  if (!m.driver.cuda_max) {
    if (auto c = ctx.env.get("CONDA_OVERRIDE_CUDA"); c && !c->empty()) {
      m.driver.cuda_max = *c;
      m.driver.cuda_max_source = "CONDA_OVERRIDE_CUDA";
    }
  }
}

}  // namespace gpuenv::probes
