#pragma once
// The planner as the doctor's rules use it: "install this instead" for one environment, with that
// environment's Python and its own interpreter in the commands (issue 5).
#include <string>

#include "facts/facts.hpp"
#include "kb/kb.hpp"
#include "rules/rules.hpp"

namespace gpuenv::plan {

/// A planner for the rules: plans for the machine's GPUs and driver with the environment's Python
/// version, and returns the pip commands run by the environment's interpreter (uninstall the torch
/// there, then install the chosen build). `kb` must outlive the returned function.
rules::EnvPlanner env_planner(const facts::Machine& m, const kb::KnowledgeBase& kb, const std::string& today);

/// `pip` as the plan prints it ("python -m pip install ...") run by `interpreter` instead.
std::string with_interpreter(const std::string& pip_command, const std::string& interpreter);

}  // namespace gpuenv::plan
