#include "rules/env_common.hpp"

#include <algorithm>

#include "facts/pep440.hpp"

namespace gpuenv::rules::detail {

bool usable_gpu(const facts::Machine& m) {
  return std::any_of(m.gpus.begin(), m.gpus.end(),
                     [](auto& g) { return g.kernel_driver == "nvidia" || g.kernel_driver == "dxg"; });
}

Finding env_finding(const char* id, Severity sev, const facts::PythonEnv& e, Args args) {
  Finding f;
  f.id = id;
  f.severity = sev;
  f.env = e.path;
  args.emplace_back("env", e.path);
  f.title = {std::string("finding.") + id + ".title", args};
  f.explanation = {std::string("finding.") + id + ".explanation", std::move(args)};
  return f;
}

std::string shell_quote(const std::string& s) {
  bool safe = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("/._-+=:,@%").find(c) != std::string_view::npos;
  });
  if (safe) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string python_of(const facts::PythonEnv& e) {
  if (e.interpreter) return shell_quote(*e.interpreter);
  return shell_quote(e.path + "/bin/python");
}

Fix install_fix(const RuleInput& in, const facts::PythonEnv& e) {
  if (in.planner && *in.planner) {
    if (auto plan = (*in.planner)(e); plan && !plan->commands.empty())
      return {{"fix.torch.install_instead",
               {{"torch", plan->torch}, {"variant", plan->variant}, {"env", e.path}}},
              plan->commands};
  }
  return {{"fix.torch.plan", {}}, {"gpuenv plan"}};
}

std::optional<std::string> driver_version(const facts::Machine& m) {
  if (m.driver.version) return m.driver.version;
  return m.driver.userspace_version;
}

std::string base_version(const std::string& v) {
  auto p = facts::Pep440Version::parse(v);
  return p ? p->base_version().str() : v;
}

}  // namespace gpuenv::rules::detail
