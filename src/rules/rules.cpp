#include "rules/rules.hpp"

#include <algorithm>

namespace gpuenv::rules {

namespace {

void rule_no_nvidia_gpu(const facts::Machine& m, std::vector<Finding>& out) {
  if (!m.gpus.empty()) return;
  Finding f;
  f.id = "no-nvidia-gpu";
  f.severity = Severity::info;
  f.title = {"finding.no-nvidia-gpu.title", {}};
  f.explanation = {"finding.no-nvidia-gpu.explanation", {}};
  f.evidence.push_back("/sys/bus/pci/devices: no display controller with vendor 0x10de");
  out.push_back(std::move(f));
}

}  // namespace

std::vector<Finding> evaluate(const facts::Machine& m, const kb::KnowledgeBase&) {
  std::vector<Finding> out;
  rule_no_nvidia_gpu(m, out);
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return severity_rank(a.severity) < severity_rank(b.severity);
  });
  return out;
}

}  // namespace gpuenv::rules
