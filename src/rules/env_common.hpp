#pragma once
// Helpers shared by the per-environment rules (env_rules, torch_rules, stack_rules).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "facts/facts.hpp"
#include "rules/machine_rules.hpp"

namespace gpuenv::rules::detail {

using Args = std::vector<std::pair<std::string, std::string>>;

/// A GPU held by NVIDIA's driver (or WSL2's dxg): the environments' rules apply.
bool usable_gpu(const facts::Machine& m);

/// A finding about an environment; `{env}` is added to the message arguments.
Finding env_finding(const char* id, Severity sev, const facts::PythonEnv& e, Args args);

/// One shell word: as is when it holds only safe characters, else single-quoted.
std::string shell_quote(const std::string& s);

/// The environment's interpreter as a shell word ("/home/a/.venv/bin/python").
std::string python_of(const facts::PythonEnv& e);

/// "Install this instead": the planner's build with the environment's own interpreter, else a pointer
/// to `gpuenv plan`.
Fix install_fix(const RuleInput& in, const facts::PythonEnv& e);

/// The driver version the rules compare against (kernel module, else the user-space libraries).
std::optional<std::string> driver_version(const facts::Machine& m);

/// Gate 1 of the planner for one build: does the driver run CUDA `cuda` directly (Table 3's GA row, or the
/// driver says so itself), only through minor-version compatibility (the family's minimum), or not at all?
enum class DriverFit { direct, minor, too_old, unknown };
struct DriverCheck {
  DriverFit fit = DriverFit::unknown;
  std::optional<std::string> driver;      ///< the version compared
  std::optional<std::string> direct_min;  ///< the GA row's minimum (Linux, or Windows under WSL2)
  std::optional<std::string> minor_min;   ///< the family's minor-version-compatibility minimum
};
DriverCheck driver_fit(const facts::Machine& m, const kb::KnowledgeBase& kb, const std::string& cuda);

/// The release part of a PEP 440 version ("2.5.1+cu124" → "2.5.1"); the input when unparseable.
std::string base_version(const std::string& v);

}  // namespace gpuenv::rules::detail
