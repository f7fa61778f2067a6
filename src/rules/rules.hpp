#pragma once
// The diagnosis: pure functions of facts + knowledge base → findings (design.md §2, §6).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "kb/kb.hpp"
#include "rules/finding.hpp"

namespace gpuenv::rules {

/// What the planner would install into one environment instead of what is there: the build and
/// the commands, pasteable, run with the environment's own interpreter.
struct EnvInstall {
  std::string torch, variant;  ///< "2.5.1", "cu124"
  std::vector<std::string> commands;
};
/// The planner as the rules see it (plan::env_planner makes one; the rules layer cannot depend on the
/// planner). Pure like the rules: the same environment gives the same answer. Null: fixes point to
/// `gpuenv plan` instead.
using EnvPlanner = std::function<std::optional<EnvInstall>(const facts::PythonEnv&)>;

struct RuleOptions {
  std::string today;             ///< "YYYY-MM-DD"; empty disables the age check of kb-outdated
  EnvPlanner planner = nullptr;  ///< for "install this instead" fixes
};

/// Evaluates every rule and returns the findings sorted most important first: errors, then warnings,
/// then info; within a severity in the order of the chain (machine → driver → environments), so the
/// first finding is the root cause (nouveau before a CPU torch build).
std::vector<Finding> evaluate(const facts::Machine& m, const kb::KnowledgeBase& kb,
                              const RuleOptions& opt = {});

/// The position of a finding id in the chain (lower comes first among equal severities).
int chain_rank(const std::string& id);

}  // namespace gpuenv::rules
