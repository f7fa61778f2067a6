#pragma once
// From a plan to the commands `install` runs (issue 8): pure, so `--dry-run` prints exactly what a
// real run executes and the uv/conda paths are tested without uv or conda.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plan/plan.hpp"

namespace gpuenv::install {

enum class Installer { pip, uv, conda };
const char* installer_name(Installer i);  ///< "pip" | "uv" | "conda"

/// Where the packages go.
struct Target {
  enum class Kind { env, new_venv, conda } kind = Kind::env;
  /// The environment's directory (absolute): --env DIR, --new DIR, or a conda environment's prefix.
  std::string prefix;
  std::string base_python;     ///< new venv: the interpreter that creates it
  std::string conda_name;      ///< conda: the environment's name
  bool exists = true;          ///< false: created by this run (new venv; a conda env not there yet)
  std::string python_version;  ///< "3.12": the Python a new conda environment gets
};

/// Index options the user passed, and the mirror map (plan's URL prefix → mirror prefix).
struct IndexOptions {
  std::optional<std::string> index_url;
  std::vector<std::string> extra_index_urls;
  std::vector<std::string> find_links;
  bool no_index = false;
  std::vector<std::pair<std::string, std::string>> mirrors;
};

enum class StepKind {
  create,    ///< make the new environment
  snapshot,  ///< record the package set (journal)
  resolve,   ///< ask the installer what it would replace (nothing is changed)
  install,   ///< change the environment
  verify,    ///< prove it (the verify probe; argv shows "<probe.py>" for the script)
};
const char* step_kind_name(StepKind k);

struct Step {
  StepKind kind = StepKind::install;
  std::vector<std::string> argv;
};

struct Steps {
  std::vector<Step> steps;
  std::string python;                 ///< the target's interpreter
  std::vector<std::string> packages;  ///< normalised names the plan installs
  std::string what;                   ///< "torch 2.5.1 (cu124)" for progress
  bool conda_native = false;          ///< conda packages: rollback through conda revisions
};

/// The steps for `rec` into `t` with `inst`. `verify`: add the verify step (with --cpu-ok when
/// `cpu_ok`).
Steps make_steps(const plan::Recommendation& rec, const Target& t, Installer inst, const IndexOptions& idx,
                 bool verify, bool cpu_ok);

/// The index options applied to installer arguments (the words after `pip install`): the mirror
/// map over every index URL, --index-url replacing the plan's index, then the pass-through options.
std::vector<std::string> apply_index_options(std::vector<std::string> args, const IndexOptions& idx, bool uv);

/// GPUENV_INDEX_MIRROR ("MIRROR" for the PyTorch index, or "FROM=TO" pairs separated by spaces) and
/// the config file's {"index_mirror": {"FROM": "TO"}}. Returns nullopt and says why in `error` when
/// the config text is not that shape.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_mirrors(
    const std::optional<std::string>& env_value, const std::optional<std::string>& config_text,
    std::string& error);

/// The PyTorch wheel index prefix a bare GPUENV_INDEX_MIRROR value maps.
inline constexpr const char* kPytorchIndex = "https://download.pytorch.org/whl";

}  // namespace gpuenv::install
