#pragma once
// PLANNER-PRIVATE stand-in for facts/pep440 (branch `envs`), which was not on main when the planner
// was written: just the specifier subset `--torch SPEC` needs on release versions ("2.4.1").
// Replace with facts/pep440 once it lands (the lead dedupes).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::plan::local {

/// A PEP 440 version specifier set over release versions: "==2.4.*", ">=2.0,<2.5", "~=2.4.0",
/// "!=2.6.0", "===2.5.1". A bare version is accepted for convenience: "2.4" means "==2.4.*",
/// "2.4.1" means "==2.4.1". Local labels ("+cu121") in matched versions are ignored.
class VersionSpec {
 public:
  /// nullopt when `text` is not a specifier set this subset understands; "" matches everything.
  static std::optional<VersionSpec> parse(std::string_view text);
  bool matches(std::string_view version) const;
  bool empty() const { return clauses_.empty(); }
  /// The lowest release every clause allows, when one is bounded below ("==2.15.*" → 2.15): used to
  /// tell "newer than the knowledge base knows" from "does not exist".
  std::optional<std::vector<long>> lower_bound() const;

 private:
  struct Clause {
    std::string op;  ///< "==", "!=", "<=", ">=", "<", ">", "~=", "==="
    std::vector<long> release;
    bool wildcard = false;
    std::string raw;  ///< the version text as written (for "===")
  };
  std::vector<Clause> clauses_;
};

/// "2.4.1+cu121" → {2, 4, 1}; nullopt unless the release part is digits and dots.
std::optional<std::vector<long>> parse_release(std::string_view version);

}  // namespace gpuenv::plan::local
