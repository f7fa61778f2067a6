#pragma once
// Translating what went wrong inside `gpuenv verify` into the finding ids of design.md §6, with the
// fix (issue 7). Pure: error texts and facts in, findings out. The patterns are the error strings of
// the failure catalog (shared/reference/failure-modes.md); each rule in the .cpp names its cases.
#include <optional>
#include <string>
#include <string_view>

#include "facts/facts.hpp"
#include "facts/verify.hpp"
#include "rules/finding.hpp"

namespace gpuenv::rules {

/// Explains one error text — a failed step's exception, a captured warning, the probe's stderr — as
/// a finding with its fix, or nullopt when the text matches nothing gpuenv knows (the caller then
/// shows it verbatim). `step` is the step that failed ("import", "matmul", ...; empty for a warning).
/// `machine` (null: unknown) separates look-alikes: "Found no NVIDIA driver" is `no-nvidia-gpu` on a
/// machine without an NVIDIA GPU and `driver-not-loaded` on one with it. Severity is left `error`;
/// the verdict (verify_judge.hpp) adjusts it.
std::optional<Finding> translate_error(std::string_view text, std::string_view step,
                                       const facts::VerifyRun& run, const facts::Machine* machine);

/// The finding for an error nobody recognised: id `verify-step-failed`, the text verbatim, and the
/// environment's facts as evidence. Never swallowed.
Finding unknown_error(std::string_view text, std::string_view step, const facts::VerifyRun& run,
                      const facts::Machine* machine);

/// `import torch` failed with an error no pattern knows: `torch-import-failed`, the text verbatim.
Finding import_failed(std::string_view text, std::string_view step, const facts::VerifyRun& run,
                      const facts::Machine* machine);

/// Why torch imported but has no CUDA device, when no error text said why: a CPU or ROCm build
/// (`torch-cpu-build` with an NVIDIA GPU, `no-nvidia-gpu` without), CUDA_VISIBLE_DEVICES, no GPU, or
/// an unexplained `verify-step-failed` carrying the warnings torch printed.
Finding explain_no_cuda(const facts::VerifyRun& run, const facts::Machine* machine);

/// Whether an NVIDIA GPU is known to be present: torch saw a device, or the snapshot has an NVIDIA
/// GPU or a loaded nvidia module. nullopt when there is no snapshot and torch saw nothing.
std::optional<bool> nvidia_gpu_present(const facts::VerifyRun& run, const facts::Machine* machine);

/// Whether CUDA_VISIBLE_DEVICES (as the probe ran with it) selects no GPU; the GPU count comes from
/// the snapshot when it has one.
bool cuda_visible_devices_suspect(const facts::VerifyRun& run, const facts::Machine* machine);

}  // namespace gpuenv::rules
