#pragma once
// Problems the probes met while reading (facts::ProbeWarning), said in the user's language: in the
// text and Markdown reports, and as `message_localized` / `warnings_localized` in the JSON.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "facts/facts.hpp"
#include "i18n/catalog.hpp"

namespace gpuenv::render {

/// How many of the machine's warnings a report lists before "and N more" (all of them with -v).
inline constexpr std::size_t kWarningsShown = 10;

/// The warning in `lang`: its catalog message when the catalog knows the id and every placeholder
/// has its argument (a snapshot from a file may name an id this build lacks), else the English text.
std::string warning_message(const facts::ProbeWarning& w, i18n::Lang lang);

/// Adds `message_localized` to each of `machine.warnings` and `warnings_localized` to each of
/// `python_envs` (design.md §5: English stays, the localized text is added) when `lang` is not English.
void localize_warnings(nlohmann::ordered_json& machine, const facts::Machine& m, i18n::Lang lang);
/// The same for one environment's JSON object.
void localize_env_warnings(nlohmann::ordered_json& env, const facts::PythonEnv& e, i18n::Lang lang);

}  // namespace gpuenv::render
