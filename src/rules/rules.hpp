#pragma once
// The diagnosis: pure functions of facts + knowledge base → findings (design.md §2, §6).
#include <vector>

#include "facts/facts.hpp"
#include "kb/kb.hpp"
#include "rules/finding.hpp"

namespace gpuenv::rules {

/// Evaluates every rule and returns the findings sorted most important first (errors, then
/// warnings, then info; machine-level before environment-level; root causes before consequences).
std::vector<Finding> evaluate(const facts::Machine& m, const kb::KnowledgeBase& kb);

}  // namespace gpuenv::rules
