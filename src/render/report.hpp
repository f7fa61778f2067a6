#pragma once
// The doctor report in its three shapes: text for a person, JSON (design.md §5), Markdown for a post.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "i18n/catalog.hpp"
#include "kb/kb.hpp"
#include "rules/finding.hpp"

namespace gpuenv::render {

struct Report {
  facts::Machine machine;
  std::vector<rules::Finding> findings;
  std::string status;  ///< ok | problems | no-gpu
  /// The planner's recommendation in design.md §5 shape, or null when none was made.
  nlohmann::ordered_json recommendation = nullptr;
  kb::KbMeta kb;
};

struct TextOptions {
  bool color = false;
  std::size_t width = 100;
  bool verbose = false;
  const kb::KnowledgeBase* kb = nullptr;  ///< for judgements that need the tables (envs' readiness)
};

/// How likely the user works in `e`: 0 activated, 1 named with --env/--python, 2 on PATH, 3 found
/// elsewhere (a search of the home, a conda list, ...).
int env_priority(const facts::PythonEnv& e);

/// Puts the report in reading order: the environment the user most likely uses first (activated, then
/// named with --env/--python, then on PATH), and findings by severity, machine before environments
/// (the preferred environment first), then along the chain. Every output shape uses this order.
void order_for_user(Report& r);

/// The JSON document of design.md §5 (`doctor --json`). `lang` other than English adds
/// `title_localized` / `explanation_localized` to each finding.
nlohmann::ordered_json report_json(const Report& r, i18n::Lang lang);
/// Just the machine part with schema_version (`facts --json`).
nlohmann::ordered_json facts_json(const facts::Machine& m);
nlohmann::ordered_json finding_json(const rules::Finding& f, i18n::Lang lang);

/// The chain report, top to bottom, each link ✓/✗ with its version and one line of meaning.
std::string report_text(const Report& r, const TextOptions& opt);
std::string report_markdown(const Report& r);

/// The tool's version string ("0.1.0").
const char* tool_version();

}  // namespace gpuenv::render
