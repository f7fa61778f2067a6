#pragma once
// "Can this environment use the GPU?" as far as files can tell, for `gpuenv envs`: one state and one
// reason per environment. A summary, not a diagnosis: the findings of rules.hpp (design.md §6) carry
// the evidence and the fixes, with the knowledge base's driver tables.
#include <string>

#include "facts/facts.hpp"
#include "i18n/catalog.hpp"
#include "kb/kb.hpp"

namespace gpuenv::rules {

enum class Readiness {
  ready,         ///< a CUDA build of torch, its libraries present, a GPU and a driver that runs its CUDA
  minor_compat,  ///< runs only through CUDA minor-version compatibility (same major, older minor)
  not_ready,     ///< a reason it cannot use the GPU is known
  unknown,       ///< a torch whose build or the driver's limit could not be read
  no_torch,
};

struct EnvReadiness {
  Readiness state = Readiness::unknown;
  i18n::Text reason;  ///< one short phrase (ids envs.ready.*)
  /// The torch the interpreter imports: its own, or a copy ahead of it on sys.path (user site,
  /// PYTHONPATH). Null when there is none.
  const facts::Package* torch = nullptr;
  /// Set when `torch` is a copy from outside the environment's own site-packages.
  const facts::VisiblePackage* shadowing = nullptr;
};

/// Pure: the environment and the machine's GPUs and driver. With the knowledge base, the driver is judged
/// as doctor's driver-too-old-for-torch / driver-minor-compat judge it (the CUDA release tables);
/// without, from the newest CUDA the driver reports.
EnvReadiness env_readiness(const facts::PythonEnv& env, const facts::Machine& m,
                           const kb::KnowledgeBase* kb = nullptr);

/// "ready", "minor-compat", "not-ready", "unknown", "no-torch" (the JSON values).
const char* readiness_name(Readiness r);

}  // namespace gpuenv::rules
