#pragma once
// The bounded search of a home directory for environments that live anywhere (design.md §4: "any
// directory holding pyvenv.cfg found by a bounded walk of the home (depth ≤ 4, skipping hidden and very
// large directories)"). A home can hold millions of files; the walk must stay cheap and say where it
// stopped.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "i18n/catalog.hpp"
#include "platform/fs.hpp"

namespace gpuenv::probes {

struct WalkLimits {
  int max_depth = 4;             ///< the home is depth 0; an environment at depth 4 is still found
  std::size_t max_dirs = 3000;   ///< directories listed per home, at most
  std::size_t large_dir = 1000;  ///< a directory with more entries is not entered (data, caches)
};

struct WalkResult {
  std::vector<std::string> venvs;       ///< directories holding pyvenv.cfg
  std::vector<std::string> conda_envs;  ///< directories holding conda-meta/ (not entered either)
  std::size_t listed = 0;               ///< directories listed
  std::vector<std::string> skipped_large;
  std::size_t below_depth = 0;            ///< directories not entered because of the depth limit
  std::optional<std::string> stopped_at;  ///< the next directory when `max_dirs` was reached
  std::vector<std::string> unreadable;    ///< directories that could not be listed
  /// pyvenv.cfg entries that are not regular files (a FIFO, a device node, a socket): never read.
  std::vector<std::string> not_regular;
};

/// Breadth first from `home`. Symbolic links are never followed; hidden directories are not entered,
/// but `.venv` and `.env` directly inside a visited directory are checked for pyvenv.cfg (the usual
/// project-local names); environments found are not entered; node_modules, __pycache__,
/// site-packages and the conda installs gpuenv reads anyway are skipped.
WalkResult walk_home_for_envs(const platform::FileSystem& fs, const std::string& home,
                              const WalkLimits& limits = {});

/// What the walk did not search, one message per limit it met (none when it searched everything under
/// its depth).
std::vector<i18n::Text> describe_walk_limits(const WalkResult& r, const std::string& home,
                                             const WalkLimits& limits);

}  // namespace gpuenv::probes
