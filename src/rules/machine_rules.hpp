#pragma once
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "kb/kb.hpp"
#include "rules/finding.hpp"

namespace gpuenv::rules {

struct RuleInput {
  const facts::Machine& machine;
  const kb::KnowledgeBase& kb;
  std::string today;  ///< "YYYY-MM-DD": the rules are pure, so the date comes in (kb-outdated)
};

/// Rules about the machine itself (GPU, driver, device nodes, containers, WSL2, toolkits, memory).
void machine_rules(const RuleInput& in, std::vector<Finding>& out);
/// Per environment, from files: torch-not-installed, torch-cpu-build, torch-rocm-build-on-nvidia,
/// gpu-arch-not-in-torch-build (from the arch list read from the binary).
void env_rules(const RuleInput& in, std::vector<Finding>& out);
/// kb-outdated: versions newer than the knowledge base knows, or a knowledge base over six months old.
void kb_rules(const RuleInput& in, std::vector<Finding>& out);

}  // namespace gpuenv::rules
