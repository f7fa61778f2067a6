#pragma once
// Reading the packages that matter from the three metadata shapes, without importing anything:
// `*.dist-info/METADATA` (+ INSTALLER), `*.egg-info/PKG-INFO` (Debian's python3-torch), and
// `conda-meta/*.json`; plus torch/version.py for what the build really is.
#include <map>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

/// The packages that matter in one directory on sys.path.
struct SiteScan {
  std::map<std::string, facts::Package> packages;  ///< by normalised name
  /// Second records of a package in the same directory (a half-finished upgrade leaves two
  /// torch-*.dist-info): via "same-site".
  std::vector<facts::VisiblePackage> duplicates;
  std::vector<std::string> pth_paths;  ///< existing directories named by its .pth files (machine paths)
};

/// Scans `dir` (a site-packages / dist-packages / PYTHONPATH directory). Only the packages gpuenv
/// cares about are read. Unreadable or malformed metadata becomes a warning naming the file.
SiteScan scan_site_dir(const ProbeContext& ctx, const std::string& dir);

/// The conda-meta records of `prefix` that matter, by conda name (pytorch, pytorch-cuda, cudatoolkit,
/// cpuonly, pytorch-mutex, cuda-version, ...), with the python record's version in `python`.
struct CondaScan {
  bool present = false;  ///< conda-meta/ exists
  std::map<std::string, facts::Package> packages;
  std::optional<std::string> python;
  std::optional<std::string> python_record;  ///< the record file the version came from
};
CondaScan scan_conda_meta(const ProbeContext& ctx, const std::string& prefix);

/// Puts what conda-meta says together with the site-packages view: conda's `pytorch` is `torch`; a pip
/// torch installed over a conda one keeps the pip record and reports the conda one as a duplicate
/// ("same-site"). Derives torch's variant and CUDA from label, build string, version.py, requirements.
void merge_conda(std::map<std::string, facts::Package>& packages, std::vector<facts::VisiblePackage>& dups,
                 const CondaScan& conda, const std::string& site_dir);

/// Whether a site directory belongs to the distribution (Debian's /usr/lib/python3/dist-packages,
/// Fedora's /usr/lib64/python3.X/site-packages): packages there come from the OS package manager.
bool is_distro_site_dir(std::string_view dir);

}  // namespace gpuenv::probes
