// The order a person reads the report in: the environment they most likely use first, and the root cause
// first among the findings.
#include <algorithm>

#include "render/report.hpp"
#include "rules/rules.hpp"

namespace gpuenv::render {

int env_priority(const facts::PythonEnv& e) {
  if (e.active) return 0;  // $VIRTUAL_ENV / $CONDA_PREFIX
  for (auto& f : e.found_by)
    if (f == "--env" || f == "--python") return 1;  // named on the command line
  if (e.on_path) return 2;                          // PATH order is discovery order
  return 3;
}

void order_for_user(Report& r) {
  auto& envs = r.machine.python_envs;
  std::stable_sort(envs.begin(), envs.end(),
                   [](const auto& a, const auto& b) { return env_priority(a) < env_priority(b); });
  auto env_rank = [&](const rules::Finding& f) -> int {
    if (!f.env) return -1;  // the machine comes before every environment
    for (std::size_t i = 0; i < envs.size(); ++i)
      if (envs[i].path == *f.env) return static_cast<int>(i);
    return static_cast<int>(envs.size());
  };
  // Severity, then the chain (machine before environments; the preferred environment first), then the
  // rules' own order of causes along the chain.
  std::stable_sort(r.findings.begin(), r.findings.end(), [&](const auto& a, const auto& b) {
    if (a.severity != b.severity) return rules::severity_rank(a.severity) < rules::severity_rank(b.severity);
    int ea = env_rank(a), eb = env_rank(b);
    if (ea != eb) return ea < eb;
    return rules::chain_rank(a.id) < rules::chain_rank(b.id);
  });
}

}  // namespace gpuenv::render
