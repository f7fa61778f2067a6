#pragma once
// Jupyter kernelspecs (design.md §4): each kernel.json names the interpreter the kernel runs, which ties
// "the environment my notebook uses" to one of the environments found.
#include <optional>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

struct KernelFound {
  facts::JupyterKernel kernel;
  /// The environment whose share/jupyter/kernels holds the spec (a bare "python" argv[0] runs the
  /// Jupyter server's own interpreter, which is usually that environment's).
  std::optional<std::string> owner_env;
};

/// Reads every `<kernels_dir>/*/kernel.json`. A broken spec becomes a warning naming the file.
std::vector<KernelFound> read_kernelspecs(const ProbeContext& ctx, const std::string& kernels_dir,
                                          const std::optional<std::string>& owner_env);

}  // namespace gpuenv::probes
