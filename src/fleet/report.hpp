#pragma once
// One node's report as the fleet sees it: the few facts a fleet table and a node label need, read
// from a `doctor --json` document (design.md §5) or a `facts --json` snapshot, which is diagnosed
// here with this gpuenv's rules. Pure: JSON in, summary out.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facts/facts.hpp"
#include "i18n/catalog.hpp"
#include "kb/kb.hpp"

namespace gpuenv::fleet {

using Opt = std::optional<std::string>;

/// GPUs of one model on a node: "2 × NVIDIA H200 (9.0)".
struct GpuModelCount {
  std::string name;  ///< the model name, else the PCI device id, else "GPU"
  Opt compute_capability;
  Opt architecture;
  std::optional<std::int64_t> memory_mib;
  int count = 0;
};

struct FindingRef {
  std::string id;
  std::string severity;  ///< error | warning | info
  Opt env;
};

/// The planner's choice as the report states it (design.md §5 `recommendation`).
struct Recommendation {
  Opt torch, variant, compatibility;  ///< compatibility: direct | minor
  /// A newer driver would allow a better build: `driver_advice` is non-null in the report. From
  /// its object: the lowest such driver ("580.65.06", or a branch "580") and what it unlocks.
  bool driver_advice = false;
  Opt advice_driver, advice_torch, advice_variant;
};

struct NodeReport {
  Opt host;                     ///< machine.host.name
  std::string status;           ///< ok | problems | no-gpu
  bool diagnosed_here = false;  ///< a facts document: the findings come from this gpuenv's rules
  Opt tool_version, kb_version;
  std::vector<GpuModelCount> gpus;  ///< in the order the report lists them
  int gpu_count = 0;
  Opt driver_version, cuda_max;
  Opt os, arch;
  std::optional<Recommendation> recommendation;
  int envs = 0, envs_broken = 0;     ///< broken: an environment with an error finding
  std::vector<FindingRef> findings;  ///< as the report orders them (most important first)
  std::vector<std::string> users;    ///< user names in the report's paths (for --redact)
  /// The machine as the report describes it: what `fleet --torch/--variant` plans for.
  std::shared_ptr<const facts::Machine> machine;

  /// The first finding of the highest severity present, or nullptr.
  const FindingRef* worst() const;
  int count(std::string_view severity) const;
  /// The first component of the driver version ("535" of "535.104.05"), or nullopt.
  Opt driver_branch() const;
  /// The lowest compute capability of the node's GPUs (what one build must cover), or nullopt.
  Opt min_compute_capability() const;
};

/// Why a document is not used; `reason` is rendered in the output language.
struct ReportError {
  enum class Kind { not_json, not_report, schema, malformed } kind;
  i18n::Text reason;
};

struct ParsedReport {
  std::optional<NodeReport> report;
  std::optional<ReportError> error;
};

/// Reads a report from JSON text. Another schema_version, a document that is not a gpuenv report,
/// or a malformed one becomes an error naming the key, never an exception. A snapshot without a
/// diagnosis (`facts --json`) is diagnosed and planned for here.
/// Sample (abridged): {"schema_version": 1, "status": "ok", "machine": {"host": {"name": "n1"}, ...},
///                     "findings": [...], "recommendation": {"torch": "2.14.1", "variant": "cu130"}}
ParsedReport parse_report(std::string_view text, const kb::KnowledgeBase& kb);
ParsedReport read_report(const nlohmann::json& doc, const kb::KnowledgeBase& kb);

}  // namespace gpuenv::fleet
