#pragma once
// `gpuenv fleet --redact` (issue 11's privacy rule applied to many machines): node names become
// node01, node02, … in natural order, user names and home paths found in any report are replaced,
// and the old node names are replaced wherever they appear in reasons and sources. Pure.
#include <map>
#include <string>
#include <vector>

#include "facts/redact.hpp"
#include "fleet/fleet.hpp"

namespace gpuenv::fleet {

struct FleetRedaction {
  std::map<std::string, std::string> names;  ///< old node name → nodeNN
  facts::Redactor users;                     ///< user names of every report (+ the given extra ones)
  /// The rendered output with old node names and user names replaced.
  std::string apply(std::string_view text) const;
};

/// Renames the rows (before aggregation, so groups and host lists use the new names) and returns
/// what the rendered text still needs.
FleetRedaction redact_rows(std::vector<NodeRow>& rows, std::vector<InputProblem>& skipped,
                           const std::vector<std::string>& extra_users);

}  // namespace gpuenv::fleet
