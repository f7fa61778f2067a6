#include "rules/rules.hpp"

#include <algorithm>

#include "rules/machine_rules.hpp"

namespace gpuenv::rules {

int chain_rank(const std::string& id) {
  static const char* const order[] = {"no-nvidia-gpu",
                                      "container-without-gpu",
                                      "wsl-linux-driver-installed",
                                      "nouveau-active",
                                      "secure-boot-blocks-driver",
                                      "driver-not-loaded",
                                      "driver-library-mismatch",
                                      "driver-too-old-for-gpu",
                                      "gpu-needs-legacy-driver",
                                      "device-nodes-missing",
                                      "cuda-visible-devices-hides-gpus",
                                      "container-toolkit-missing",
                                      "ld-library-path-shadows",
                                      "python-unsupported-by-torch",
                                      "torch-not-installed",
                                      "torch-cpu-build",
                                      "torch-rocm-build-on-nvidia",
                                      "driver-too-old-for-torch",
                                      "gpu-arch-not-in-torch-build",
                                      "torch-cuda-libs-missing",
                                      "driver-minor-compat",
                                      "torchvision-torch-mismatch",
                                      "torchaudio-torch-mismatch",
                                      "framework-cuda-mismatch",
                                      "multiple-torch-installs",
                                      "conda-cudatoolkit-pip-mix",
                                      "conda-pytorch-channel-eol",
                                      "toolkit-newer-than-driver",
                                      "gpu-memory-small",
                                      "kb-outdated"};
  for (std::size_t i = 0; i < std::size(order); ++i)
    if (id == order[i]) return static_cast<int>(i);
  return static_cast<int>(std::size(order));
}

std::vector<Finding> evaluate(const facts::Machine& m, const kb::KnowledgeBase& kb, const RuleOptions& opt) {
  std::vector<Finding> out;
  RuleInput in{m, kb, opt.today, opt.planner ? &opt.planner : nullptr};
  machine_rules(in, out);
  env_rules(in, out);
  torch_rules(in, out);
  stack_rules(in, out);
  kb_rules(in, out);
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return severity_rank(a.severity) < severity_rank(b.severity);
    return chain_rank(a.id) < chain_rank(b.id);
  });
  return out;
}

}  // namespace gpuenv::rules
