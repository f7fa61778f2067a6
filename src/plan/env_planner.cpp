#include "plan/env_planner.hpp"

#include <map>
#include <memory>

#include "facts/dotted.hpp"
#include "plan/commands.hpp"
#include "plan/plan.hpp"

namespace gpuenv::plan {

std::string with_interpreter(const std::string& pip_command, const std::string& interpreter) {
  static const std::string kPython = "python ";
  if (!pip_command.starts_with(kPython)) return pip_command;
  return shell_word(interpreter) + " " + pip_command.substr(kPython.size());
}

rules::EnvPlanner env_planner(const facts::Machine& m, const kb::KnowledgeBase& kb,
                              const std::string& today) {
  auto base = std::make_shared<Request>(request_from_machine(m, kb));
  base->today = today;
  // One plan per Python version: environments of the same Python get the same build.
  auto cache = std::make_shared<std::map<std::string, std::optional<Recommendation>>>();
  const kb::KnowledgeBase* k = &kb;
  return [base, cache, k](const facts::PythonEnv& e) -> std::optional<rules::EnvInstall> {
    std::optional<std::string> py;
    if (e.python)
      if (auto d = facts::Dotted::parse(*e.python); d && d->parts.size() >= 2)
        py = std::to_string(d->major()) + "." + std::to_string(d->minor());
    std::string key = py.value_or("");
    auto it = cache->find(key);
    if (it == cache->end()) {
      Request req = *base;
      req.python = py;
      it = cache->emplace(key, make_plan(req, *k).recommendation).first;
    }
    if (!it->second) return std::nullopt;
    const Recommendation& r = *it->second;
    std::string interp = e.interpreter.value_or(e.path + "/bin/python");
    rules::EnvInstall out;
    out.torch = r.torch;
    out.variant = r.variant;
    out.commands.push_back(shell_word(interp) + " -m pip uninstall -y torch torchvision torchaudio");
    out.commands.push_back(with_interpreter(r.commands.pip, interp));
    return out;
  };
}

}  // namespace gpuenv::plan
