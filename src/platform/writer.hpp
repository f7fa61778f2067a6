#pragma once
// Writing files: only the commands that are asked to write (capture, export, install) use this.
#include <string>
#include <string_view>

namespace gpuenv::platform {

/// mkdir -p; returns "" on success or the reason.
std::string make_dirs(const std::string& host_path);
/// Writes `content` to a dot-file in the same directory, then renames it over `host_path`, so a
/// reader never sees a partial file. Returns "" or the reason.
/// With `durable`, the data is fsync'ed before the rename (files others read, like NFD's); a capture of
/// thousands of small files skips it.
std::string write_file_atomic(const std::string& host_path, std::string_view content, unsigned mode = 0644,
                              bool durable = true);
/// Creates a symbolic link `host_path` → `target` (target written as given). Returns "" or the reason.
std::string make_symlink(const std::string& target, const std::string& host_path);
/// True when `host_path` does not exist or is an empty directory.
bool absent_or_empty_dir(const std::string& host_path);

}  // namespace gpuenv::platform
