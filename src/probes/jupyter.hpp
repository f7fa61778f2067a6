#pragma once
// Jupyter kernelspecs (design.md §4): each kernel.json names the interpreter the kernel runs, which ties
// "the environment my notebook uses" to one of the environments found.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

namespace py {

using Opt = std::optional<std::string>;

/// A Jupyter kernelspec's kernel.json:
///   {"argv": ["/home/u/venv/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
///    "display_name": "Python (venv)", "language": "python"}
struct KernelSpec {
  std::vector<std::string> argv;
  Opt display_name, language;
  /// The interpreter the kernel starts: argv[0], or for wrappers such as nb_conda_kernels'
  /// `python -m nb_conda_kernels.runner ... /env/bin/python -m ipykernel_launcher` the last
  /// absolute python before the ipykernel module.
  Opt interpreter() const;
};
std::optional<KernelSpec> parse_kernel_json(std::string_view text);

}  // namespace py

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
