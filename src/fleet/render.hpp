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

/// The cells of a row as the table shows them: GPUs "4× A100-SXM4-80GB", torch "2.14.1 cu126"...
struct RowCells {
  std::string node, state, gpus, driver, cuda, torch, envs, worst;
};
RowCells row_cells(const NodeRow& r, i18n::Lang lang);

}  // namespace gpuenv::fleet
