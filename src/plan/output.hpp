#pragma once
// A plan as JSON (design.md §5) and as text for a person, in the chosen language.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "i18n/catalog.hpp"
#include "kb/kb.hpp"
#include "plan/plan.hpp"

namespace gpuenv::plan {

/// The design.md §5 "recommendation" object (texts in English; `lang` other than English adds
/// `warnings_localized` / `notes_localized`), or null when the plan recommends nothing.
nlohmann::ordered_json recommendation_json(const Plan& p, i18n::Lang lang = i18n::Lang::en);

/// `plan --json` without "findings", which the CLI adds with render::finding_json: schema_version,
/// kb, the machine as planned for, the request, recommendation, served GPUs, alternatives.
nlohmann::ordered_json plan_json(const Plan& p, const kb::KbMeta& kb, i18n::Lang lang);

struct TextOptions {
  std::size_t width = 100;
  std::optional<std::string> installer;  ///< pip | uv | conda: print only that command
};
/// The plan for a person: what to install and the commands, the driver advice, why the other
/// candidates were not chosen, and the findings. Uses i18n::language().
std::string plan_text(const Plan& p, const TextOptions& opt);

/// For `doctor`'s report: the recommendation for a machine read by the probes (null when none).
nlohmann::ordered_json recommend_for_report(const facts::Machine& m, const kb::KnowledgeBase& kb,
                                            const std::string& today);

}  // namespace gpuenv::plan
