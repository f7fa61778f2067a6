#pragma once
// What every probe gets: the seams (files, environment, programs) and the knowledge base.
#include <optional>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "i18n/catalog.hpp"
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

  /// `message` is a catalog message (data/messages/warnings.json): the report says it in the user's
  /// language, the JSON in English. OS reasons (strerror) go in verbatim as an argument.
  void warn(std::string probe, std::string path, i18n::Text message) const {
    warnings.push_back(warning(std::move(probe), std::move(path), std::move(message)));
  }
  static facts::ProbeWarning warning(std::string probe, std::string path, i18n::Text message) {
    std::string en = message.en();
    return {std::move(probe), std::move(path), std::move(en), std::move(message.id), std::move(message.args)};
  }
};

}  // namespace gpuenv::probes
