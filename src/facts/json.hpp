#pragma once
#include <nlohmann/json.hpp>

#include "facts/facts.hpp"

namespace gpuenv::facts {

inline constexpr int kSchemaVersion = 1;

nlohmann::ordered_json to_json(const Machine& m);
/// Reads a machine from a `facts --json` / `doctor --json` document (its "machine" part, or the
/// object itself). Throws std::runtime_error with the key path on malformed input.
Machine machine_from_json(const nlohmann::json& j);

nlohmann::ordered_json to_json(const Gpu& g);
nlohmann::ordered_json to_json(const PythonEnv& e);
nlohmann::ordered_json to_json(const Package& p);

}  // namespace gpuenv::facts
