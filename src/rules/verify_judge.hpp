#pragma once
// The verdict of a verify run (issue 7, design.md §5): did real work run correctly on the GPU (or,
// with --cpu-ok, on the CPU), and the findings that explain every failure. Pure.
#include <vector>

#include "facts/facts.hpp"
#include "facts/verify.hpp"
#include "rules/finding.hpp"

namespace gpuenv::rules {

struct VerifyVerdict {
  bool ok = false;          ///< exit 0: every step passed on the GPU, or (cpu_ok) on the CPU
  bool ran_on_gpu = false;  ///< at least one step ran on a CUDA device and all of those passed
  bool cpu_passed = false;  ///< the CPU matrix product and convolution checks ran and passed
  /// Most important first. Each failed step is explained (known errors by their §6 id, unknown ones as
  /// `verify-step-failed`, verbatim); so is a torch without CUDA. Explanations are `error` when the run
  /// failed; with a passing --cpu-ok run the reason for no GPU is `info`, and a known warning on a
  /// passing GPU run (e.g. "sm_120 is not compatible") is a `warning`.
  std::vector<Finding> findings;
};

/// `machine` is the snapshot of the machine the run happened on, or null when there is none.
VerifyVerdict judge_verify(const facts::VerifyRun& run, const facts::Machine* machine, bool cpu_ok);

}  // namespace gpuenv::rules
