// Rules about each Python environment that are decided from files alone: no torch, a CPU build on a GPU
// machine, a build without kernels for this GPU (from the binary's own arch list, issue 6).
#include <algorithm>

#include "kb/arch.hpp"
#include "rules/env_common.hpp"

namespace gpuenv::rules {

using detail::env_finding;
using detail::usable_gpu;

void env_rules(const RuleInput& in, std::vector<Finding>& out) {
  const auto& m = in.machine;
  const bool gpu = usable_gpu(m);
  for (auto& e : m.python_envs) {
    auto it = e.packages.find("torch");
    if (it == e.packages.end() || !it->second.version) {
      auto f = env_finding("torch-not-installed", Severity::info, e, {});
      f.evidence.push_back(
          e.path + ": no torch metadata in " +
          (e.site_packages.empty() ? std::string("its site-packages") : e.site_packages.front()));
      out.push_back(std::move(f));
      continue;
    }
    const auto& t = it->second;
    const std::string version = *t.version;
    if (gpu && t.variant == "cpu") {
      auto f = env_finding("torch-cpu-build", Severity::error, e, {{"version", version}});
      f.evidence.push_back("torch " + version + " (" + t.location.value_or(e.path) + "): variant cpu");
      f.fixes.push_back(detail::install_fix(in, e));
      out.push_back(std::move(f));
      continue;
    }
    if (gpu && t.variant && t.variant->starts_with("rocm")) {
      auto f = env_finding("torch-rocm-build-on-nvidia", Severity::error, e, {{"version", version}});
      f.evidence.push_back("torch " + version + ": variant " + *t.variant);
      f.fixes.push_back(detail::install_fix(in, e));
      out.push_back(std::move(f));
      continue;
    }
    // Gate 2 from the binary's own list: a cubin for the GPU's family, or PTX it can JIT.
    if (gpu && !t.arch_list.empty()) {
      for (auto& g : m.gpus) {
        if (!g.compute_capability) continue;
        auto cov = kb::check_coverage(t.arch_list, *g.compute_capability);
        if (cov.ok) continue;
        std::string archs;
        for (auto& a : t.arch_list) archs += (archs.empty() ? "" : " ") + a;
        auto f = env_finding("gpu-arch-not-in-torch-build", Severity::error, e,
                             {{"version", version},
                              {"gpu", g.name.value_or("GPU")},
                              {"cc", *g.compute_capability},
                              {"archs", archs}});
        f.evidence.push_back("torch " + version + " compiled for: " + archs + " (" +
                             t.arch_source.value_or("?") + ")");
        f.evidence.push_back(g.name.value_or("GPU") + ": compute capability " + *g.compute_capability);
        f.fixes.push_back(detail::install_fix(in, e));
        out.push_back(std::move(f));
        break;
      }
    }
  }
}

}  // namespace gpuenv::rules
