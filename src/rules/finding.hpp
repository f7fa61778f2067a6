#pragma once
// A finding: one diagnosed problem (or fact worth saying) with its evidence and fix (design.md §6).
#include <optional>
#include <string>
#include <vector>

#include "i18n/catalog.hpp"

namespace gpuenv::rules {

enum class Severity { error, warning, info };
const char* severity_name(Severity s);
int severity_rank(Severity s);  ///< error 0, warning 1, info 2 (sort key: most important first)

struct Fix {
  i18n::Text text;
  std::vector<std::string> commands;  ///< copy-pasteable, already quoted for a POSIX shell
};

struct Finding {
  std::string id;  ///< a stable id of design.md §6
  Severity severity = Severity::info;
  std::optional<std::string> env;  ///< the environment it concerns (path), or null for the machine
  i18n::Text title;
  i18n::Text explanation;
  std::vector<std::string> evidence;  ///< "driver 470.256.02 (/proc/driver/nvidia/version)"
  std::vector<Fix> fixes;
};

/// "ok" / "problems" / "no-gpu" as design.md §3 defines them.
std::string report_status(const std::vector<Finding>& findings, bool has_nvidia_gpu);
/// 1 when any error finding exists, else 0.
int exit_code_for(const std::vector<Finding>& findings);

}  // namespace gpuenv::rules
