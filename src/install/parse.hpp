#pragma once
// Pure readers of what installers print (issue 8): package sets, resolver reports, conda revisions.
// Each takes the text a command printed and returns what install needs; bad input gives nullopt/empty.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::install {

/// A distribution name as pip compares them (PEP 503): lower case, runs of "-_." → "-".
std::string normalize_name(std::string_view name);

/// normalised name → version.
using PackageSet = std::map<std::string, std::string>;

/// `python -m pip inspect` (`{"installed": [{"metadata": {"name", "version"}}]}`) or
/// `pip list --format json` / `uv pip list --format json` (`[{"name", "version"}]`).
std::optional<PackageSet> parse_package_set(std::string_view json);

/// `pip install --dry-run --report -`: the names pip would install (normalised).
std::optional<std::vector<std::string>> parse_pip_report(std::string_view json);

/// `uv pip install --dry-run`: the names it would uninstall (lines " - torch==2.4.0").
std::vector<std::string> parse_uv_dry_run(std::string_view text);

/// `conda list --revisions`: the newest revision number ("2026-11-30 05:00:00  (rev 3)").
std::optional<int> parse_conda_revision(std::string_view text);

/// `conda list --explicit`: the package lines (comments and blank lines dropped), in order.
std::vector<std::string> parse_conda_explicit(std::string_view text);

/// `conda info --json`: the prefix of environment `name` (an entry of "envs" whose last component
/// is `name`), and where a new one would go (the first of "envs_dirs" + name).
struct CondaInfo {
  std::optional<std::string> existing;
  std::optional<std::string> new_prefix;
};
std::optional<CondaInfo> parse_conda_info(std::string_view json, const std::string& name);

/// A wheel RECORD (CSV: path,hash,size; a path may be double-quoted): the paths, in order.
std::vector<std::string> parse_record(std::string_view text);

/// "Name:" and "Version:" of a METADATA file's header.
struct DistMeta {
  std::string name, version;
};
std::optional<DistMeta> parse_metadata(std::string_view text);

}  // namespace gpuenv::install
