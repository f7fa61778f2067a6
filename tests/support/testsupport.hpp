#pragma once
// Helpers for tests: where the sources and fixtures are, temporary trees, running the built gpuenv.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/process.hpp"

namespace gpuenv::test {

std::string source_dir();
std::string fixture_root(const std::string& scenario);  ///< tests/fixtures/roots/<scenario>
std::string gpuenv_binary();

/// A temporary directory removed (recursively) when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  /// Writes a file (creating parent directories) under the temp dir; returns its full path.
  std::string write(const std::string& rel, const std::string& content) const;
  std::string mkdir(const std::string& rel) const;
  void symlink(const std::string& target, const std::string& rel) const;

 private:
  std::string path_;
};

/// Runs the built gpuenv with `args` and a controlled environment (LANG=C, NO_COLOR, no PATH
/// surprises unless given), returning its result.
platform::CommandResult run_gpuenv(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env = {});

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);
/// True when GPUENV_UPDATE_GOLDEN=1: golden tests rewrite their expected files instead of comparing.
bool update_golden();

/// A finding id of design.md §6 with its severity.
struct DesignFinding {
  std::string id;
  std::string severity;
};
/// The tests' copy of design.md §6 (the contract), in the design's order. `design_section6()` checks it.
const std::vector<DesignFinding>& design_findings();
/// design.md §6 as read from ../shared/design.md, in order; nullopt when that file is not beside the
/// checkout (a bare clone).
std::optional<std::vector<DesignFinding>> design_section6();
/// The variables design.md §5 lets a report's `env_vars` hold (exactly those).
const std::vector<std::string>& design_env_vars();

}  // namespace gpuenv::test
