#pragma once
// An environment's installed distributions and their files (dist-info RECORD), moved aside before an
// installer replaces them and put back by a rollback (issue 8). Host paths.
#include <string>
#include <vector>

#include "install/journal.hpp"

namespace gpuenv::install {

struct InstalledDist {
  std::string name;  ///< normalised
  std::string version;
  std::string dist_info;  ///< absolute path of its .dist-info directory
};

/// `prefix`/lib/pythonX.Y/site-packages (the first that exists), or "" when there is none.
std::string find_site_packages(const std::string& prefix);
/// The distributions (*.dist-info with a METADATA) in `site`.
std::vector<InstalledDist> scan_dists(const std::string& site);
/// Entries of `site` whose names start with "~" (what pip leaves when it is killed mid-uninstall).
std::vector<std::string> pip_temp_entries(const std::string& site);

/// The files of `d` per its RECORD (plus the dist-info directory's own files), as absolute paths
/// inside `prefix`; RECORD lines that leave the prefix are skipped.
std::vector<std::string> dist_files(const InstalledDist& d, const std::string& site,
                                    const std::string& prefix);

/// Links/copies the files of `d` into `store` (same relative paths as under `prefix`).
/// Returns "" or the reason; `out` lists what was kept.
std::string set_aside(const InstalledDist& d, const std::string& site, const std::string& prefix,
                      const std::string& store, SetAsideDist& out);
/// Removes the files of `d` and its dist-info directory, and directories left empty.
std::string remove_dist(const InstalledDist& d, const std::string& site, const std::string& prefix);
/// Puts the kept files of `d` back under `prefix`.
std::string restore(const SetAsideDist& d, const std::string& prefix, const std::string& store);

}  // namespace gpuenv::install
