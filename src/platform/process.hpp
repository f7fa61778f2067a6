#pragma once
// Spawning programs: argv vectors only (never a shell), a timeout, bounded output.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpuenv::platform {

struct Command {
  std::vector<std::string> argv;  ///< argv[0] is a path, or a name looked up on PATH
  std::chrono::milliseconds timeout{60000};
  std::size_t output_cap = 8u << 20;  ///< per stream; more is dropped and `truncated` set
  std::optional<std::string> cwd;
  /// Variables to set (or, with nullopt, remove) on top of the inherited environment.
  std::map<std::string, std::optional<std::string>> env;
  std::optional<std::string> stdin_data;
  /// Called with each chunk of stdout/stderr as it arrives (progress displays); may be empty.
  std::function<void(bool is_stderr, std::string_view chunk)> on_output;
  /// When set and it becomes true (Ctrl-C), the child's process group is stopped (SIGTERM, then
  /// SIGKILL) and the result has `cancelled` set.
  const std::atomic<bool>* cancel = nullptr;
};

struct CommandResult {
  enum class Status { exited, signaled, timed_out, not_found, spawn_failed } status = Status::spawn_failed;
  int exit_code = -1;  ///< for `exited`
  int signal = 0;      ///< for `signaled`
  std::string out, err;
  bool truncated = false;
  bool cancelled = false;  ///< stopped because Command::cancel became true
  std::string error;       ///< why it could not run (not_found / spawn_failed)
  double seconds = 0;
  bool ok() const { return status == Status::exited && exit_code == 0; }
};

/// The seam for everything that runs a program (style.md: real, dry-run and fake runners).
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  virtual CommandResult run(const Command& cmd) = 0;
};

/// Runs programs for real with posix_spawn in a new process group; on timeout the group is killed.
class RealCommandRunner final : public CommandRunner {
 public:
  CommandResult run(const Command& cmd) override;
};

/// Records the commands and runs nothing (install --dry-run).
class DryRunCommandRunner final : public CommandRunner {
 public:
  CommandResult run(const Command& cmd) override;
  std::vector<Command> commands;
};

/// Looks `name` up on `path_var` (a PATH value); a name with a slash is returned as is if executable.
std::optional<std::string> find_program(const std::string& name, const std::string& path_var);

/// Quotes an argv for display only (never executed through a shell): POSIX-shell style.
std::string quote_argv(const std::vector<std::string>& argv);
std::string shell_quote(const std::string& arg);

}  // namespace gpuenv::platform
