#pragma once
// `gpuenv matrix`: the knowledge base for a person (tables with their sources) or as JSON — the
// full JSON is exactly what `--kb FILE` reads back.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "kb/kb.hpp"

namespace gpuenv::render {

/// "" (everything), "torch", "cuda", "drivers" or "gpus".
bool matrix_section_known(std::string_view section);

/// {"schema_version", "meta", "tables"}: every table for "", else only the section's tables.
nlohmann::ordered_json matrix_json(const kb::KnowledgeBase& kb, std::string_view section);

/// The section's tables as text, each under its source line; in the language of i18n::language().
std::string matrix_text(const kb::KnowledgeBase& kb, std::string_view section);

}  // namespace gpuenv::render
