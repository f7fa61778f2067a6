#pragma once
// The diagnosis: pure functions of facts + knowledge base → findings (design.md §2, §6).
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "kb/kb.hpp"
#include "rules/finding.hpp"

namespace gpuenv::rules {

struct RuleOptions {
  std::string today;  ///< "YYYY-MM-DD"; empty disables the age check of kb-outdated
};

/// Evaluates every rule and returns the findings sorted most important first: errors, then warnings,
/// then info; within a severity in the order of the chain (machine → driver → environments), so the
/// first finding is the root cause (nouveau before a CPU torch build).
std::vector<Finding> evaluate(const facts::Machine& m, const kb::KnowledgeBase& kb,
                              const RuleOptions& opt = {});

/// The position of a finding id in the chain (lower comes first among equal severities).
int chain_rank(const std::string& id);

}  // namespace gpuenv::rules
