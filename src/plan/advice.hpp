#pragma once
// Driver advice: which driver versions would change the plan's choice, and how to install one.
#include <optional>
#include <vector>

#include "plan/gates.hpp"

namespace gpuenv::plan::detail {

/// The best candidate at `driver` (index into `cands`), or nullopt when none passes.
std::optional<std::size_t> best_at(const Context& ctx, const std::vector<Cand>& cands,
                                   const std::optional<facts::Dotted>& driver);

/// The advice for a plan whose choice at the current driver is `current_choice` (nullopt: none).
/// Every driver that would make the choice strictly better becomes a step; the advice is nullopt
/// when no driver would improve on the current choice.
std::optional<DriverAdvice> driver_advice(const Context& ctx, const std::vector<Cand>& cands,
                                          std::optional<std::size_t> current_choice);

}  // namespace gpuenv::plan::detail
