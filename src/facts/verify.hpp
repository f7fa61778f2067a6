#pragma once
// What `gpuenv verify` found when it ran real work inside an environment (issue 7): plain data, read
// from the probe script's JSON document (data/verify/probe.py) and from how its process ended.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "facts/facts.hpp"

namespace gpuenv::facts {

/// One unit of work the probe ran ("import", "matmul" on "cpu" or "cuda:0", ...).
struct VerifyStep {
  std::string name;
  Opt device;  ///< null (no device), "cpu", "cuda" (initialisation), "cuda:N"
  bool ok = false;
  std::optional<double> seconds;
  Opt error;      ///< the exception as Python printed it, verbatim: "RuntimeError: CUDA error: ..."
  Opt traceback;  ///< the tail of the traceback, for -v and the JSON
  nlohmann::json detail = nullptr;  ///< step-specific numbers (errors vs bounds, timings), or null
};

/// A CUDA device as torch saw it.
struct VerifyDevice {
  int index = 0;
  Opt name;
  Opt compute_capability;  ///< "9.0"
  std::optional<std::int64_t> memory_mib;
};

/// A Python warning raised while the probe ran ("... sm_120 is not compatible with ...").
struct VerifyWarning {
  std::string category;
  std::string message;
  Opt source;  ///< "__init__.py:123"
};

struct VerifyRun {
  std::string python;    ///< the interpreter that was run, as given
  Opt env;               ///< the environment directory it belongs to, when known
  std::string selector;  ///< gpuenv options selecting it, shell-quoted ("--python /usr/bin/python3")
  std::string found_by;  ///< "--python", "--env", "$VIRTUAL_ENV", "$CONDA_PREFIX", "PATH"
  Opt python_version;    ///< "3.11.2", from the probe
  Opt executable;        ///< sys.executable
  bool quick = false;

  bool torch_imported = false;
  Opt torch_version, torch_cuda, torch_hip, torch_location;
  Opt torch_cudnn;                                    ///< "9.1.0", from torch.backends.cudnn.version()
  std::optional<std::vector<std::string>> arch_list;  ///< torch.cuda.get_arch_list(); null when unknown
  Opt torchvision_version;
  std::optional<bool> cuda_available;
  std::optional<int> device_count;
  std::vector<VerifyDevice> devices;
  std::vector<VerifyStep> steps;
  std::optional<double> speedup;  ///< CPU median / GPU median of the same matrix product
  std::vector<VerifyWarning> warnings;
  std::vector<std::string> info_errors;  ///< failures while reading torch's facts (not steps)
  Opt internal_error;                    ///< a bug in the probe script itself (its traceback)

  /// Set when the probe produced no document: it could not start, timed out, crashed or printed
  /// something else. The text says which, in English; `steps` then ends with a failed step.
  Opt probe_failure;
  std::string stderr_tail;  ///< the last lines the interpreter wrote to stderr (progress lines removed)

  /// The environment the probe ran with, as far as the diagnosis needs it (design.md §5 env_vars).
  Opt cuda_visible_devices;
  Opt ld_library_path;
};

}  // namespace gpuenv::facts
