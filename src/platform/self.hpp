#pragma once
// Who and where this process is: the executable (to run the same gpuenv on Slurm nodes), the
// host name (to name a node when the scheduler does not), the current directory.
#include <optional>
#include <string>

namespace gpuenv::platform {

/// The absolute path of the running executable (/proc/self/exe), or nullopt when unreadable.
std::optional<std::string> self_executable();
/// The kernel's host name (uname nodename), or nullopt.
std::optional<std::string> host_name();
/// `path` made absolute against the current directory and normalised ("a/../b" → "/cwd/b").
std::string absolute_path(const std::string& path);

}  // namespace gpuenv::platform
