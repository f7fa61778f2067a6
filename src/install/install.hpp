#pragma once
// `gpuenv install` as a use case (issue 8): run the steps through the CommandRunner seam, keep a
// journal before anything changes, set aside what will be replaced, and roll back on failure,
// Ctrl-C or a failed verify. The CLI wires the real runner; tests use a fake one.
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "i18n/catalog.hpp"
#include "install/journal.hpp"
#include "install/steps.hpp"
#include "platform/process.hpp"

namespace gpuenv::install {

struct Progress {
  std::size_t step = 0, total = 0;  ///< 1-based
  StepKind kind = StepKind::install;
  std::string line;  ///< the installer's latest output line ("Installing collected packages: torch")
  double seconds = 0;
  bool finished = false;
};

struct Runtime {
  explicit Runtime(platform::CommandRunner& r) : runner(r) {}
  platform::CommandRunner& runner;
  std::string journal_root;  ///< where journals go (journal_root(env))
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(const Progress&)> on_progress;
  /// Runs the verify step with `python`; true when it passed. Needed when the steps hold a verify step.
  std::function<bool(const std::string& python)> verify;
  std::chrono::seconds timeout{6 * 3600};  ///< per installer command
  std::function<std::string()> stamp;      ///< journal name stamp; default platform::utc_stamp
};

struct RollbackReport {
  bool ok = false;
  std::vector<i18n::Text> problems;  ///< why the environment is not as it was
  std::vector<i18n::Text> actions;   ///< what was done ("removed the new environment ...")
};

struct Result {
  enum class Outcome { installed, failed, interrupted } outcome = Outcome::failed;
  std::string journal_dir, log_path;
  std::optional<i18n::Text> failure;
  std::optional<RollbackReport> rollback;  ///< set when a rollback ran
  int exit_code() const {
    return outcome == Outcome::installed ? 0 : outcome == Outcome::interrupted ? 130 : 1;
  }
};

/// Runs `s` into `t`. Writes the journal under rt.journal_root first.
Result execute(const Steps& s, const Target& t, Installer inst, Runtime& rt);

/// Puts the environment of `j` back as the journal recorded it, then checks the package set.
/// Updates and saves the journal (state rolled-back / rollback-incomplete).
RollbackReport rollback(Journal& j, Runtime& rt);

}  // namespace gpuenv::install
