#pragma once
// What a framework package was built for, from the strings that say it: a wheel's local version label
// ("2.5.1+cu124"), a conda build string ("py3.10_cuda12.1_cudnn8.9.2_0", "cuda126_mkl_py312_h..._302",
// "cpu_mkl_..."), torch/version.py, the nvidia-* requirements of a PyPI wheel, and package names
// (cupy-cuda12x, jax-cuda12-plugin, nvidia-cudnn-cu12). Pure functions.
// Sources: torch-facts.md §8b (local labels), §3c (conda-forge build strings), §7b (nvidia-* scheme),
// checked 2026-11-30.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/python_parse.hpp"

namespace gpuenv::probes::py {

/// A build's variant (design.md §5: cpu, cuXYZ, rocmX.Y, xpu, unknown) and the CUDA it targets.
struct BuildInfo {
  Opt variant;  ///< nullopt when this source says nothing
  Opt cuda;     ///< "12.4"; a major only ("12") when that is all the source says
  bool known() const { return variant.has_value() || cuda.has_value(); }
};

/// From a local label: "cu124" → {cu124, 12.4}, "cpu" → {cpu}, "rocm6.2" → {rocm6.2}, "xpu" → {xpu}.
/// Labels that name no build ("gitunknown", "ubuntu.1") → {}.
BuildInfo variant_from_local_label(std::string_view label);

/// "cu124" → "12.4", "cu92" → "9.2", "cu102" → "10.2", "cu130" → "13.0"; nullopt otherwise.
Opt cuda_from_variant(std::string_view variant);
/// "12.4" → "cu124", "12.4.127" → "cu124"; nullopt unless major and minor are numbers.
Opt variant_from_cuda(std::string_view cuda);

/// From a conda build string, pytorch channel ("py3.10_cuda12.1_cudnn8.9.2_0", "py3.11_cpu_0"),
/// conda-forge ("cuda126_mkl_py312_h1234567_302", "cpu_mkl_py312_h1234567_101", "cuda120py311h...") and
/// Anaconda defaults ("gpu_cuda118py310h...", "cpu_py310h...").
BuildInfo variant_from_conda_build(std::string_view build);

/// From torch/version.py: cuda '12.4' → {cu124, 12.4}; hip set → {rocmX.Y}; xpu set → {xpu}; all None
/// (and a cuda line present) → {cpu}.
BuildInfo variant_from_torch_version_py(const TorchVersionPy& v);

/// The CUDA version a requirement pins, for the packages whose version is the CUDA version:
/// nvidia-cuda-runtime-cu12==12.4.127 → "12.4", nvidia-cuda-runtime==13.0.48 → "13.0",
/// cuda-toolkit[...]==13.0.2 → "13.0". nullopt for anything else.
Opt cuda_from_requirement(const Requirement& r);
/// The first of `requires_dist` that gives a CUDA version (see above).
Opt cuda_from_requirements(const std::vector<std::string>& requires_dist);

/// The CUDA an installed nvidia-* wheel belongs to: the "-cuNN" suffix gives the major
/// (nvidia-cudnn-cu12 → "12"); suffix-less CUDA 13 wheels whose version is the CUDA version give
/// major.minor (nvidia-cuda-runtime 13.0.48 → "13.0", nvidia-cublas 13.0.0.19 → "13.0").
Opt cuda_of_nvidia_wheel(std::string_view name, std::string_view version);
/// cupy-cuda12x → "12", cupy-cuda117 → "11.7", cupy-cuda102 → "10.2"; nullopt for other names.
Opt cuda_of_cupy(std::string_view name);
/// jax-cuda12-plugin / jax-cuda12-pjrt → "12"; nullopt for other names.
Opt cuda_of_jax_plugin(std::string_view name);

/// Whether a normalised package name is one gpuenv reads (the frameworks and their CUDA libraries).
bool is_interesting_pip_package(std::string_view name);
/// Same for conda package names (conda-meta records).
bool is_interesting_conda_package(std::string_view name);

}  // namespace gpuenv::probes::py
