#pragma once
// Where Python environments are (design.md §4): the active one, explicit --env/--python, interpreters
// on PATH (pyenv shims resolved through pyenv's version files, never executed), the system Python,
// per-home conda installs and environments.txt, pyenv, virtualenvwrapper, pipenv, uv-managed Pythons,
// a bounded walk of each home, /opt/conda*. Everything relative to the probe context's root.
#include <optional>
#include <string>
#include <vector>

#include "probes/context.hpp"

namespace gpuenv::probes {

/// A place that may be an environment, and how it was found. Several candidates may name the same
/// environment; the caller merges them by real path.
struct EnvCandidate {
  std::string path;                 ///< the prefix as found (machine path)
  std::string found_by;             ///< "$VIRTUAL_ENV", "PATH python3", "~/.conda/environments.txt", ...
  std::string kind_hint;            ///< "system", "pyenv", "uv", or "" (decided from the files)
  std::optional<std::string> name;  ///< conda env name
  std::optional<std::string> interpreter;  ///< the interpreter that led here
  std::optional<std::string> python_xy;    ///< system Pythons: "3.11" (one environment per version)
  bool active = false;
  bool on_path = false;
};

struct Discovery {
  std::vector<EnvCandidate> candidates;
  std::vector<std::string> homes;  ///< /root and /home/* that exist
};

Discovery discover_python_envs(const ProbeContext& ctx);

/// The environment an interpreter belongs to: `<prefix>/bin/python` of a venv or conda env (the link is
/// not followed: a venv's python links to its base), else where its real path lives (/usr → system,
/// ~/.pyenv/versions/X, uv's pythons, or a bare interpreter prefix). nullopt when it does not exist.
std::optional<EnvCandidate> candidate_for_interpreter(const ProbeContext& ctx, const std::string& path,
                                                      const std::string& found_by);

/// The home an environment belongs to: the one among `homes` that contains `path`, else nullopt.
std::optional<std::string> owning_home(const std::vector<std::string>& homes, const std::string& path);

}  // namespace gpuenv::probes
