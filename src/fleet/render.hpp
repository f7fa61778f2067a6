#pragma once
// The fleet in three shapes: a table for a terminal, Markdown for a wiki or an issue, JSON for
// scripts. Pure: fleet in, text out.
#include <nlohmann/json.hpp>
#include <string>

#include "fleet/fleet.hpp"
#include "i18n/catalog.hpp"

namespace gpuenv::fleet {

/// Table, groups, nodes not surveyed, skipped inputs and the status, in `lang`.
std::string fleet_text(const Fleet& f, i18n::Lang lang, bool color);
std::string fleet_markdown(const Fleet& f, i18n::Lang lang);
/// Stable keys in English; with a language other than English, `text_localized` and
/// `reason_localized` are added beside the English text.
nlohmann::ordered_json fleet_json(const Fleet& f, i18n::Lang lang, const std::string& tool_version);

/// Nodes that got the same answer to --torch/--variant.
struct QueryGroup {
  TorchVerdict verdict;
  std::vector<std::string> nodes;
};
/// Those that can run it first (largest group first), then those that cannot, by reason.
std::vector<QueryGroup> query_groups(const Fleet& f);
/// "torch ==2.11.* with cu130: 4 of 25 nodes can run it"
std::string query_title(const Fleet& f, i18n::Lang lang);
/// "torch 2.11.0 with cu130" / "driver-too-old-for-torch: …; driver 580.65.06 or newer would"
std::string query_detail(const TorchVerdict& v, i18n::Lang lang);
/// The whole answer as text lines (empty without a query).
std::string query_text(const Fleet& f, i18n::Lang lang);

/// The cells of a row as the table shows them: GPUs "4× A100-SXM4-80GB", torch "2.14.1 cu126"...
struct RowCells {
  std::string node, state, gpus, driver, cuda, torch, envs, worst;
};
RowCells row_cells(const NodeRow& r, i18n::Lang lang);

}  // namespace gpuenv::fleet
