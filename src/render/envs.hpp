#pragma once
// `gpuenv envs`: one line per Python environment (path, kind, Python, torch + build, GPU readiness),
// with a few notes beneath where they matter; and the JSON of design.md §5.
#include <nlohmann/json.hpp>
#include <string>

#include "facts/facts.hpp"
#include "i18n/catalog.hpp"
#include "render/report.hpp"

namespace gpuenv::render {

/// The table. `opt.verbose` adds the reading problems and where each environment was found.
std::string envs_text(const facts::Machine& m, const TextOptions& opt);

/// {"schema_version": 1, "python_envs": [...]}: each entry as in `facts`, plus
/// "gpu_ready": {"state": "ready | minor-compat | not-ready | unknown | no-torch", "reason": "..."}
/// (reason in English; with `lang` other than English also "reason_localized").
nlohmann::ordered_json envs_json(const facts::Machine& m, i18n::Lang lang,
                                 const kb::KnowledgeBase* kb = nullptr);

}  // namespace gpuenv::render
