#pragma once
// What every probe gets: the seams (files, environment, programs) and the knowledge base.
#include <optional>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "kb/kb.hpp"
#include "platform/env.hpp"
#include "platform/fs.hpp"
#include "platform/nvml.hpp"

namespace gpuenv::probes {

struct ProbeContext {
  const platform::FileSystem& fs;
  const platform::Environment& env;
  const kb::KnowledgeBase& kb;
  /// NVML results when the root is "/" and NVML could be loaded; nullopt otherwise (never with --root).
  std::optional<platform::NvmlSnapshot> nvml;
  /// Explicit `--env DIR` / `--python PATH` (repeatable).
  std::vector<std::string> extra_envs;
  std::vector<std::string> extra_pythons;
  /// `$XDG_CACHE_HOME/gpuenv` when caching is allowed (live root, no --no-cache); empty otherwise.
  std::string cache_dir;
  /// Problems met while reading, reported in the snapshot (never fatal).
  mutable std::vector<facts::ProbeWarning> warnings;

  void warn(std::string probe, std::string path, std::string message) const {
    warnings.push_back({std::move(probe), std::move(path), std::move(message)});
  }
};

}  // namespace gpuenv::probes
