#pragma once
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "kb/kb.hpp"
#include "rules/finding.hpp"
#include "rules/rules.hpp"

namespace gpuenv::rules {

struct RuleInput {
  const facts::Machine& machine;
  const kb::KnowledgeBase& kb;
  std::string today;  ///< "YYYY-MM-DD": the rules are pure, so the date comes in (kb-outdated)
  const EnvPlanner* planner = nullptr;  ///< "install this instead"; null: fixes name `gpuenv plan`
};

/// Rules about the machine itself (GPU, driver, device nodes, containers, WSL2, toolkits, memory).
void machine_rules(const RuleInput& in, std::vector<Finding>& out);
/// Per environment, from files: torch-not-installed, torch-cpu-build, torch-rocm-build-on-nvidia,
/// gpu-arch-not-in-torch-build (from the arch list read from the binary).
void env_rules(const RuleInput& in, std::vector<Finding>& out);
/// Per environment, about its torch and the driver: torch-cuda-libs-missing, driver-too-old-for-torch,
/// driver-minor-compat, torchvision/torchaudio-torch-mismatch, multiple-torch-installs,
/// python-unsupported-by-torch, conda-pytorch-channel-eol.
void torch_rules(const RuleInput& in, std::vector<Finding>& out);
/// Per environment, about the rest of the stack: framework-cuda-mismatch (jax, cupy, tensorflow),
/// ld-library-path-shadows, conda-cudatoolkit-pip-mix.
void stack_rules(const RuleInput& in, std::vector<Finding>& out);
/// kb-outdated: versions newer than the knowledge base knows, or a knowledge base over six months old.
void kb_rules(const RuleInput& in, std::vector<Finding>& out);

}  // namespace gpuenv::rules
