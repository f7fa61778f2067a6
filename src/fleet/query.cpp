#include "fleet/query.hpp"

#include "plan/plan.hpp"

namespace gpuenv::fleet {

std::optional<std::string> variant_cuda(std::string_view v) {
  if (v.size() < 5 || v.substr(0, 2) != "cu") return std::nullopt;
  std::string_view digits = v.substr(2);
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  // The last digit is the minor version: cu118 → 11.8, cu130 → 13.0.
  return std::string(digits.substr(0, digits.size() - 1)) + "." +
         std::string(digits.substr(digits.size() - 1));
}

TorchVerdict ask(const facts::Machine& m, const kb::KnowledgeBase& kb, const TorchQuery& q) {
  TorchVerdict v;
  plan::Request req = plan::request_from_machine(m, kb);
  req.python.reset();
  req.torch_spec = q.spec;
  if (q.variant) req.cuda = variant_cuda(*q.variant);
  if (q.variant && req.gpus.empty()) {
    v.reasons.push_back({"no-nvidia-gpu", {"fleet.query.no_gpu", {{"variant", *q.variant}}}});
    return v;
  }
  plan::Plan p = plan::make_plan(req, kb);
  if (p.driver_advice && !p.driver_advice->minimum.driver.empty())
    v.driver_hint = p.driver_advice->minimum.driver;
  // Without a driver the planner still names the build a driver would allow; the node cannot run it now.
  if (p.recommendation && (req.driver || req.gpus.empty())) {
    v.can = true;
    v.torch = p.recommendation->torch;
    v.variant = p.recommendation->variant;
    if (p.recommendation->compat) v.compat = plan::compat_name(*p.recommendation->compat);
    v.cuda_visible_devices = p.cuda_visible_devices;
    v.driver_hint.reset();
    return v;
  }
  // Why not: the reasons of the newest candidate that failed, else the plan's findings.
  auto add = [&](const std::string& id, const i18n::Text& t) {
    for (auto& r : v.reasons)
      if (r.id == id && r.text.en() == t.en()) return;
    v.reasons.push_back({id, t});
  };
  for (auto& c : p.alternatives) {
    if (c.passed || c.reasons.empty()) continue;
    for (auto& r : c.reasons) add(r.id, r.text);
    return v;
  }
  for (auto& f : p.findings) add(f.id, f.title);
  if (v.reasons.empty()) add("no-candidate", {"fleet.query.no_candidate", {}});
  return v;
}

}  // namespace gpuenv::fleet
