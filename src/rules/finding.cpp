#include "rules/finding.hpp"

#include <algorithm>

namespace gpuenv::rules {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "info";
  }
  return "info";
}

int severity_rank(Severity s) {
  return static_cast<int>(s);
}

std::string report_status(const std::vector<Finding>& findings, bool has_nvidia_gpu) {
  bool error =
      std::any_of(findings.begin(), findings.end(), [](auto& f) { return f.severity == Severity::error; });
  if (error) return "problems";
  if (!has_nvidia_gpu) return "no-gpu";
  return "ok";
}

int exit_code_for(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(), [](auto& f) { return f.severity == Severity::error; })
             ? 1
             : 0;
}

}  // namespace gpuenv::rules
