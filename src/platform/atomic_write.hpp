#pragma once
// Replacing a file so that readers never see part of it (NFD feature files, Ansible facts, saved
// reports): write a hidden sibling, flush it, rename it over the target.
#include <optional>
#include <string>
#include <string_view>

namespace gpuenv::platform {

struct AtomicWriteOptions {
  unsigned mode = 0644;       ///< permissions of the new file
  bool make_parents = false;  ///< create missing parent directories (0755)
  bool durable = true;  ///< fsync file and directory; `capture`, writing thousands of small files, skips it
};

/// Writes `data` to the host path `path` atomically: the bytes go to a dot-file in the same
/// directory (".NAME.XXXXXX", which NFD and most directory watchers ignore), are flushed to disk,
/// then renamed over `path`, and the directory is flushed. A reader sees the old file or the new
/// one, never a partial one. Returns nullopt on success, else the reason naming the path
/// ("/etc/x/features.d: permission denied"); the temporary file is removed on failure.
std::optional<std::string> write_file_atomic(const std::string& path, std::string_view data,
                                             const AtomicWriteOptions& opts = {});

}  // namespace gpuenv::platform
