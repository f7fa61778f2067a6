#pragma once
// "Which nodes can run this torch?" (`gpuenv fleet --torch SPEC --variant cuXYZ`, issue 12): the
// planner asked, for each node's machine, for that release and variant. Pure.
#include <optional>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "i18n/catalog.hpp"
#include "kb/kb.hpp"

namespace gpuenv::fleet {

struct TorchQuery {
  std::string spec;                    ///< PEP 440 specifier ("==2.11.*", ">=2.9"); "" any release
  std::optional<std::string> variant;  ///< "cu130": only builds with that CUDA
};

/// The planner's answer for one node.
struct TorchVerdict {
  bool can = false;
  std::string torch, variant;         ///< what it would install (when `can`)
  std::optional<std::string> compat;  ///< direct | minor (CUDA builds)
  /// Only some GPUs are served: the CUDA_VISIBLE_DEVICES that selects them.
  std::optional<std::string> cuda_visible_devices;
  struct Reason {
    std::string id;  ///< a finding-like id: "driver-too-old-for-torch"
    i18n::Text text;
  };
  /// Why not: every distinct reason the newest candidate failed (driver and GPU gates both, when
  /// both fail: a newer driver alone does not help then), else the plan's findings.
  std::vector<Reason> reasons;
  /// The lowest driver with which the node could (when a newer driver is the way).
  std::optional<std::string> driver_hint;
};

/// "cu130" → "13.0", "cu118" → "11.8"; nullopt for anything else ("cpu", "cu13", "rocm6.2").
std::optional<std::string> variant_cuda(std::string_view variant);

/// Plans `q` for the machine. The question is about the node (GPUs, driver, OS, CPU architecture),
/// not about one environment: the Python version is left free, as a new environment can choose it.
TorchVerdict ask(const facts::Machine& m, const kb::KnowledgeBase& kb, const TorchQuery& q);

}  // namespace gpuenv::fleet
