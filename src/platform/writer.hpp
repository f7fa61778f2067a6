#pragma once
// Writing files: only the commands that are asked to write (capture, export, install) use this.
#include <string>
#include <string_view>

namespace gpuenv::platform {

/// mkdir -p; returns "" on success or the reason.
std::string make_dirs(const std::string& host_path);
/// Creates a symbolic link `host_path` → `target` (target written as given). Returns "" or the reason.
std::string make_symlink(const std::string& target, const std::string& host_path);
/// True when `host_path` does not exist or is an empty directory.
bool absent_or_empty_dir(const std::string& host_path);

}  // namespace gpuenv::platform
