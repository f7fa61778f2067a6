#pragma once
// The GPU targets a framework was built for, read from the fat binaries of its shared libraries
// (issue 6): `packages.<name>.arch_list` with `arch_source` "binary" (design.md §5). Preferred over
// the knowledge base's table, which only knows official builds.
//
// Contract, for every function here:
//  - paths are machine paths (resolved inside --root through ctx.fs); nothing is executed or loaded;
//  - results are cached by path, size and mtime under ctx.cache_dir (none when it is empty);
//  - nullopt means "nothing known from the binaries" (no such library, none readable, or none with
//    device code): the caller falls back to the knowledge base (arch_source "kb");
//  - a library that cannot be read, or is malformed, becomes a ctx warning naming its path;
//  - with several libraries carrying device code, `arch_list` holds the targets present in all of
//    them (a GPU needs each library's kernels), and a warning says when they differ.
#include <optional>
#include <string>
#include <vector>

#include "probes/binary_arch.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

struct FrameworkArchs {
  std::vector<std::string> arch_list;  ///< "sm_75", ..., "compute_90" (cubins, then PTX)
  std::vector<std::string> libraries;  ///< machine paths of the libraries that carry device code
  std::string source = "binary";       ///< for `arch_source`
};

/// torch: `<torch_package_dir>/lib/libtorch_cuda.so`, and for releases that split it (1.x),
/// `libtorch_cuda_cu.so` and `libtorch_cuda_cpp.so`. `torch_package_dir` is the `torch` directory
/// inside site-packages ("/home/a/.venv/lib/python3.12/site-packages/torch").
std::optional<FrameworkArchs> read_torch_arch_list(const ProbeContext& ctx,
                                                   const std::string& torch_package_dir);

/// torchvision: `<torchvision_dir>/_C.so` (its custom operators: nms, roi_align, deform_conv2d).
std::optional<FrameworkArchs> read_torchvision_arch_list(const ProbeContext& ctx,
                                                         const std::string& torchvision_dir);

/// CuPy: the extension modules in `<cupy_dir>/cuda` and `<cupy_dir>/_core` that carry precompiled
/// kernels (CUB/Thrust wrappers). Most CuPy kernels are compiled at run time by NVRTC, so nullopt
/// (no precompiled kernels) says nothing against a GPU.
std::optional<FrameworkArchs> read_cupy_arch_list(const ProbeContext& ctx, const std::string& cupy_dir);

/// The jaxlib CUDA plugin: every `*.so` directly in `plugin_dir` (`site-packages/jax_cuda12_plugin`,
/// or the PJRT plugin `site-packages/jax_plugins/xla_cuda12`).
std::optional<FrameworkArchs> read_jax_plugin_arch_list(const ProbeContext& ctx,
                                                        const std::string& plugin_dir);

/// The common part: reads each existing path of `libraries` (absent ones are skipped).
std::optional<FrameworkArchs> read_libraries_arch_list(const ProbeContext& ctx,
                                                       const std::vector<std::string>& libraries);

}  // namespace gpuenv::probes
