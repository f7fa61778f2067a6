// The planner's view of a machine the probes read (design.md §5 facts) — the described-machine
// options of `gpuenv plan` override parts of it in cli/plan.cpp.
#include <algorithm>

#include "facts/dotted.hpp"
#include "plan/plan.hpp"

namespace gpuenv::plan {

namespace {

/// "3.11.4" → "3.11"; "" when not a version.
std::string major_minor(const std::string& v) {
  auto d = facts::Dotted::parse(v.substr(0, v.find_first_not_of("0123456789.")));
  if (!d || d->parts.size() < 2) return "";
  return std::to_string(d->major()) + "." + std::to_string(d->minor());
}

}  // namespace

std::string platform_of(const Request& req) {
  std::string arch = req.arch == "amd64" ? "x86_64" : req.arch == "arm64" ? "aarch64" : req.arch;
  return std::string(req.os == Os::windows ? "windows-" : "linux-") + arch;
}

Request request_from_machine(const facts::Machine& m, const kb::KnowledgeBase& kb) {
  Request r;
  for (auto& g : m.gpus) {
    if (g.vendor && *g.vendor != "nvidia") continue;
    PlanGpu p;
    p.index = g.index;
    const kb::GpuModel* model = g.pci_device_id ? kb.gpu_by_pci_id(*g.pci_device_id) : nullptr;
    if (!model && g.name) model = kb.gpu_by_name(*g.name);
    p.name = g.name.value_or(model ? model->name : "GPU " + std::to_string(g.index));
    p.cc = g.compute_capability.value_or(model ? model->compute_capability : "");
    p.architecture = g.architecture.value_or(model ? model->architecture : "");
    p.chip = g.chip.value_or(model ? model->chip : "");
    p.uuid = g.uuid;
    r.gpus.push_back(std::move(p));
  }
  r.driver = m.driver.version ? m.driver.version : m.driver.userspace_version;
  r.os_id = m.os.id.value_or("");
  r.os_version = m.os.version.value_or("");
  r.os = r.os_id == "windows" ? Os::windows : Os::linux;
  r.wsl = m.os.wsl;
  if (m.os.arch) r.arch = *m.os.arch;
  const facts::PythonEnv* env = nullptr;
  for (auto& e : m.python_envs)
    if (e.active && e.python) env = &e;
  if (!env)
    for (auto& e : m.python_envs)
      if (e.on_path && e.python && !env) env = &e;
  if (!env)
    for (auto& e : m.python_envs)
      if (e.python && !env) env = &e;
  if (env) {
    std::string py = major_minor(*env->python);
    if (!py.empty()) r.python = py;
  }
  for (auto& e : m.python_envs)
    if (auto t = e.packages.find("torch"); t != e.packages.end() && t->second.version)
      r.installed_torch.push_back(*t->second.version);
  for (auto& t : m.cuda_toolkits)
    if (t.version) r.installed_toolkits.push_back(*t.version);
  return r;
}

}  // namespace gpuenv::plan
