#pragma once
// `gpuenv capture DIR` (issue 5): the files the probes read, copied into a tree that `--root` reads the
// same way — the symlinks met on the way re-created, listed directories' entries present (names matter:
// libcuda.so.535.104.05), contents redacted. A user's bug report becomes a test fixture.
#include <string>
#include <vector>

#include "facts/redact.hpp"
#include "platform/fs.hpp"

namespace gpuenv::install {

struct CaptureResult {
  std::size_t files = 0, links = 0, dirs = 0;
  std::vector<std::string> errors;  ///< what could not be copied, with the reason (never fatal)
};

/// Copies what `accesses` name from `fs` into the host directory `dest` (which must be absent or
/// empty). Paths, link targets and file contents pass through `redactor`. Binary files keep only their
/// printable strings (what the parsers look for), so no library is ever copied whole.
CaptureResult capture_tree(const platform::FileSystem& fs, const std::vector<platform::Access>& accesses,
                           const std::string& dest, const facts::Redactor& redactor);

}  // namespace gpuenv::install
