#pragma once
// `--torch SPEC`: a PEP 440 specifier set (facts/pep440), plus the shorthand a person types.
#include <optional>
#include <string>
#include <string_view>

#include "facts/pep440.hpp"

namespace gpuenv::plan {

/// "==2.4.*", ">=2.0,<2.5", "~=2.4.0"; for convenience a bare version too: "2.4" means "==2.4.*",
/// "2.4.1" means "==2.4.1". nullopt when it is neither.
std::optional<facts::Pep440SpecifierSet> parse_torch_spec(std::string_view text);

/// The lowest release the set allows when it is bounded below ("==2.15.*" → "2.15"): tells "newer
/// than the knowledge base knows" from "does not exist". nullopt when unbounded below.
std::optional<std::string> spec_lower_bound(const facts::Pep440SpecifierSet& set);

}  // namespace gpuenv::plan
