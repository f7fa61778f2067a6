#pragma once
// The install journal (issue 8): what an install is about to change, written before it changes it,
// so a failed, interrupted or killed install can be put back — without network.
// Layout: $XDG_STATE_HOME/gpuenv/journal/<stamp>-<env name>/{journal.json, install.log, files/...}.
#include <optional>
#include <string>
#include <vector>

#include "install/parse.hpp"
#include "install/steps.hpp"
#include "platform/env.hpp"

namespace gpuenv::install {

/// One distribution whose files were set aside: paths relative to the environment's prefix, kept
/// under the journal's files/ directory.
struct SetAsideDist {
  std::string name, version;
  std::vector<std::string> files;
};

struct Journal {
  std::string name;  ///< the directory name: "20261130T051500Z-myenv"
  std::string dir;   ///< its path
  /// started → applied → committed; or rolled-back / rollback-incomplete.
  std::string state = "started";
  std::string installer = "pip";
  std::string target_kind = "env";  ///< env | new_venv | conda
  std::string prefix;
  std::string conda_name;
  bool created_env = false;   ///< this run created the environment: a rollback removes it
  bool conda_native = false;  ///< rollback through conda's revision
  std::string snapshot_tool;  ///< the command that printed packages_before ("pip inspect", ...)
  std::vector<std::string> snapshot_argv;
  std::optional<PackageSet> packages_before;
  std::vector<std::string> conda_explicit_before;
  std::optional<int> conda_revision_before;
  std::vector<std::string> pip_temp_before;  ///< "~..." entries pip had left in site-packages already
  std::vector<SetAsideDist> set_aside;
  std::vector<std::string> commands;  ///< shell-quoted, for people
  std::string started_at, finished_at;
  std::string failure;

  std::string log_path() const { return dir + "/install.log"; }
  std::string files_dir() const { return dir + "/files"; }
  bool unfinished() const { return state == "started" || state == "applied"; }
};

/// `$XDG_STATE_HOME/gpuenv/journal`, else `$HOME/.local/state/gpuenv/journal`; empty when neither is set.
std::string journal_root(const platform::Environment& env);

/// Writes journal.json atomically. Returns "" or the reason.
std::string save(const Journal& j);
/// Reads `dir`/journal.json; nullopt with `error` set when it is missing or not a journal.
std::optional<Journal> load(const std::string& dir, std::string& error);
/// Every journal under `root`, oldest first (names start with a UTC stamp).
std::vector<Journal> list_journals(const std::string& root);

/// A directory name for a new journal: "<stamp>-<last component of the prefix or conda name>".
std::string journal_name(const std::string& stamp, const std::string& target);

}  // namespace gpuenv::install
