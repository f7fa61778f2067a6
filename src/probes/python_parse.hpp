#pragma once
// Pure parsers for the files that describe a Python environment without starting it: pyvenv.cfg,
// core metadata (METADATA / PKG-INFO), requirement lines, torch/version.py, conda-meta records,
// environments.txt, Jupyter kernel.json, .pth files, patchlevel.h, pyenv version files, dpkg status.
// Each takes the text (std::string_view) and returns what it found; nothing here touches the OS.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::probes::py {

using Opt = std::optional<std::string>;

/// pyvenv.cfg as venv, virtualenv and uv write it:
///   home = /usr/bin
///   include-system-site-packages = false
///   version = 3.11.2                      (venv; virtualenv and uv write version_info = 3.12.4[.final.0])
///   executable = /usr/bin/python3.11
///   uv = 0.4.18
struct PyvenvCfg {
  Opt home;        ///< the directory of the base interpreter
  Opt version;     ///< "3.11.2" (from version, or the first three parts of version_info)
  Opt executable;  ///< venv ≥ 3.11 and virtualenv's base-executable
  Opt base_prefix;
  Opt prompt;
  Opt uv;          ///< the uv version that made it
  Opt virtualenv;  ///< the virtualenv version that made it
  bool include_system_site = false;
};
/// nullopt when the text has no "key = value" line at all (binary junk, an empty file).
std::optional<PyvenvCfg> parse_pyvenv_cfg(std::string_view text);

/// Core metadata (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`): the header block up to the first empty
/// line, e.g.
///   Metadata-Version: 2.1
///   Name: torch
///   Version: 2.5.1+cu124
///   Requires-Dist: nvidia-cuda-runtime-cu12==12.4.127; platform_system == "Linux" and ...
struct CoreMetadata {
  Opt name;
  Opt version;
  std::vector<std::string> requires_dist;  ///< the raw values, in order
};
/// nullopt when there is neither a Name nor a Version header.
std::optional<CoreMetadata> parse_core_metadata(std::string_view text);

/// One dependency line: "nvidia-cudnn-cu12==9.1.0.70; platform_system == \"Linux\"", the older
/// "nvidia-cuda-runtime-cu12 (==12.4.127) ; platform_system == \"Linux\"", or
/// "cuda-toolkit[cublas,cudart]==13.0.2".
struct Requirement {
  std::string name;       ///< normalised (PEP 503)
  std::string extras;     ///< "cublas,cudart" without brackets
  std::string specifier;  ///< "==12.4.127", without parentheses or spaces
  std::string marker;     ///< after ';', trimmed
  /// "name[extras]specifier" in normal form, without the marker.
  std::string str() const;
};
std::optional<Requirement> parse_requirement(std::string_view line);
/// Whether a requirement applies to a plain Linux install: no `extra == ...` clause and no clause that
/// pins another operating system (platform_system == "Windows"/"Darwin", sys_platform == "win32"/...).
bool applies_on_linux(const Requirement& r);

/// Simple assignments of a generated Python module such as torch/version.py:
///   __version__ = '2.7.1+cu126'
///   cuda: Optional[str] = '12.6'
///   hip = None
struct PyAssignment {
  std::string name;
  Opt value;  ///< nullopt for None
};
std::vector<PyAssignment> parse_py_assignments(std::string_view text);

/// torch/version.py. `cuda_known` is true when the file has a `cuda` line (None or a string): only then
/// does an absent `cuda` mean "not a CUDA build".
struct TorchVersionPy {
  Opt version, cuda, hip, xpu, git_version;
  bool cuda_known = false;
};
std::optional<TorchVersionPy> parse_torch_version_py(std::string_view text);

/// A .pth file's path lines (comments, blank lines and `import` lines dropped), as written.
std::vector<std::string> parse_pth(std::string_view text);

/// `#define PY_VERSION "3.11.7"` in include/pythonX.Y/patchlevel.h → "3.11.7" ("3.14.0a1+" → "3.14.0a1").
Opt parse_patchlevel_h(std::string_view text);

/// A pyenv version file (`$PYENV_ROOT/version`, `.python-version`): the version names, in order.
std::vector<std::string> parse_pyenv_version_file(std::string_view text);

/// The Version of an installed package in /var/lib/dpkg/status ("3.11.2-6+deb12u6"), nullopt when the
/// package is absent or not installed.
Opt parse_dpkg_status_version(std::string_view status, std::string_view package);
/// "1:3.11.2-6+deb12u6" → "3.11.2": drops the epoch and the Debian revision.
std::string debian_upstream_version(std::string_view version);

/// A `*.dist-info` / `*.egg-info` entry name: "nvidia_cudnn_cu12-9.1.0.70.dist-info" →
/// {nvidia-cudnn-cu12, 9.1.0.70}; "torch-1.13.0a0+gitunknown.egg-info"; "foo-1.0-py3.11.egg-info";
/// "foo.egg-info" (no version).
struct DistDirName {
  std::string name;  ///< normalised
  Opt version;
  bool egg = false;
};
std::optional<DistDirName> parse_dist_dir_name(std::string_view entry);

/// "python3.11" → "3.11", "python3.13t" → "3.13" (free-threaded), "python2.7" → "2.7"; else nullopt.
Opt python_dir_version(std::string_view name);
/// Whether a file name is an interpreter gpuenv looks for: "python", "python3", "python3.11".
bool is_python_executable_name(std::string_view name);
/// uv's managed-python directory names: "cpython-3.12.4-linux-x86_64-gnu" → "3.12.4",
/// "cpython-3.13.0+freethreaded-linux-x86_64-gnu" → "3.13.0".
Opt uv_python_dir_version(std::string_view name);
/// "3.10.12.final.0" → "3.10.12", "3.12" → "3.12"; nullopt when it does not start with digits.
Opt python_version_prefix(std::string_view text);

std::string_view trim(std::string_view s);

}  // namespace gpuenv::probes::py
