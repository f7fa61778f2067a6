#include "probes/python_variant.hpp"

#include <algorithm>

#include "facts/pep440.hpp"

namespace gpuenv::probes::py {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// "124" → "12.4", "92" → "9.2", "102" → "10.2": the last digit is the minor version.
Opt dotted_from_compact(std::string_view digits) {
  if (!all_digits(digits) || digits.size() < 2 || digits.size() > 3) return std::nullopt;
  std::string major(digits.substr(0, digits.size() - 1));
  if (major.size() > 1 && major[0] == '0') return std::nullopt;
  return major + "." + std::string(digits.substr(digits.size() - 1));
}

// The major.minor of a version string: "12.4.127" → "12.4"; "13" → nullopt.
Opt major_minor(std::string_view version) {
  auto v = facts::Pep440Version::parse(version);
  if (!v || v->release.size() < 2) return std::nullopt;
  return v->release_prefix(2);
}

}  // namespace

Opt cuda_from_variant(std::string_view variant) {
  if (!variant.starts_with("cu")) return std::nullopt;
  return dotted_from_compact(variant.substr(2));
}

Opt variant_from_cuda(std::string_view cuda) {
  auto mm = major_minor(cuda);
  if (!mm) return std::nullopt;
  auto dot = mm->find('.');
  return "cu" + mm->substr(0, dot) + mm->substr(dot + 1);
}

BuildInfo variant_from_local_label(std::string_view label) {
  BuildInfo b;
  // A local label may carry more than the variant ("cu118.post1" is not seen, but "rocm7.13.0" is).
  if (label == "cpu" || label.starts_with("cpu.") || label.starts_with("cpu-")) {
    b.variant = "cpu";
  } else if (label == "xpu" || label.starts_with("xpu.")) {
    b.variant = "xpu";
  } else if (label.starts_with("rocm")) {
    auto rest = label.substr(4);
    auto mm = major_minor(rest);
    if (mm) b.variant = "rocm" + *mm;
  } else if (label.starts_with("cu")) {
    std::string_view digits = label.substr(2);
    auto end = std::find_if_not(digits.begin(), digits.end(), is_digit);
    digits = digits.substr(0, static_cast<std::size_t>(end - digits.begin()));
    if (auto cuda = dotted_from_compact(digits)) {
      b.cuda = cuda;
      b.variant = "cu" + std::string(digits);
    }
  }
  return b;
}

BuildInfo variant_from_conda_build(std::string_view build) {
  BuildInfo b;
  // Tokens separated by '_': "py3.10", "cuda12.1", "cudnn8.9.2", "0" / "cuda126", "mkl", "py312", ...
  std::size_t start = 0;
  while (start <= build.size()) {
    auto us = build.find('_', start);
    std::string_view tok =
        build.substr(start, us == std::string_view::npos ? std::string_view::npos : us - start);
    if (tok == "cpu" || tok.starts_with("cpu")) {
      if (!b.variant) b.variant = "cpu";
    } else if (tok.starts_with("cu") && all_digits(tok.substr(2))) {
      // torchvision/torchaudio on the pytorch channel: "py310_cu121"
      if (auto dotted = dotted_from_compact(tok.substr(2))) return {std::string(tok), dotted};
    } else if (tok.starts_with("cuda") && !tok.starts_with("cudnn")) {
      std::string_view rest = tok.substr(4);
      // "12.1" (pytorch channel) or "126"/"120py311h..." (conda-forge, defaults): digits and dots.
      std::size_t n = 0;
      while (n < rest.size() && (is_digit(rest[n]) || rest[n] == '.')) ++n;
      std::string_view num = rest.substr(0, n);
      while (num.ends_with('.')) num.remove_suffix(1);
      if (num.find('.') != std::string_view::npos) {
        if (auto mm = major_minor(num)) {
          b.cuda = mm;
          b.variant = variant_from_cuda(*mm);
        }
      } else if (num.size() == 2 && num >= "10" && num <= "19") {
        b.cuda = std::string(num);  // "cuda12": only the major
      } else if (auto dotted = dotted_from_compact(num)) {
        b.cuda = dotted;
        b.variant = "cu" + std::string(num);
      }
      if (b.cuda) return b;
    }
    if (us == std::string_view::npos) break;
    start = us + 1;
  }
  return b;
}

BuildInfo variant_from_torch_version_py(const TorchVersionPy& v) {
  BuildInfo b;
  if (v.cuda) {
    if (auto var = variant_from_cuda(*v.cuda)) {
      b.variant = var;
      b.cuda = major_minor(*v.cuda);
    }
  } else if (v.hip) {
    // "6.2.41133-dd7f95766" → rocm6.2
    std::string_view h = *v.hip;
    auto dash = h.find('-');
    if (auto mm = major_minor(h.substr(0, dash))) b.variant = "rocm" + *mm;
  } else if (v.xpu) {
    b.variant = "xpu";
  } else if (v.cuda_known) {
    b.variant = "cpu";
  }
  return b;
}

Opt cuda_from_requirement(const Requirement& r) {
  static constexpr std::string_view kCarriers[] = {"nvidia-cuda-runtime-cu11", "nvidia-cuda-runtime-cu12",
                                                   "nvidia-cuda-runtime-cu13", "nvidia-cuda-runtime",
                                                   "cuda-toolkit"};
  if (std::find(std::begin(kCarriers), std::end(kCarriers), r.name) == std::end(kCarriers))
    return std::nullopt;
  auto set = facts::Pep440SpecifierSet::parse(r.specifier);
  if (!set) return std::nullopt;
  for (auto& s : set->specs)
    if (s.op == facts::Pep440Specifier::Op::equal || s.op == facts::Pep440Specifier::Op::compatible ||
        s.op == facts::Pep440Specifier::Op::arbitrary)
      if (auto mm = major_minor(s.version_text)) return mm;
  return std::nullopt;
}

Opt cuda_from_requirements(const std::vector<std::string>& requires_dist) {
  for (auto& line : requires_dist) {
    auto r = parse_requirement(line);
    if (!r || !applies_on_linux(*r)) continue;
    if (auto c = cuda_from_requirement(*r)) return c;
  }
  return std::nullopt;
}

Opt cuda_of_nvidia_wheel(std::string_view name, std::string_view version) {
  if (!name.starts_with("nvidia-")) return std::nullopt;
  auto dash = name.rfind('-');
  std::string_view tail = name.substr(dash + 1);
  if (tail.starts_with("cu") && all_digits(tail.substr(2)) && tail.size() <= 4)
    return std::string(tail.substr(2));
  // CUDA 13 dropped the suffix for the toolkit's own libraries; those whose version is the CUDA version:
  static constexpr std::string_view kVersionIsCuda[] = {"nvidia-cuda-", "nvidia-cublas", "nvidia-nvjitlink",
                                                        "nvidia-nvtx"};
  for (auto prefix : kVersionIsCuda)
    if (name.starts_with(prefix)) return major_minor(version);
  return std::nullopt;
}

Opt cuda_of_cupy(std::string_view name) {
  if (!name.starts_with("cupy-cuda")) return std::nullopt;
  std::string_view rest = name.substr(9);
  if (rest.size() == 3 && rest.ends_with('x') && all_digits(rest.substr(0, 2)))
    return std::string(rest.substr(0, 2));
  return dotted_from_compact(rest);
}

Opt cuda_of_jax_plugin(std::string_view name) {
  if (!name.starts_with("jax-cuda")) return std::nullopt;
  std::string_view rest = name.substr(8);
  auto dash = rest.find('-');
  std::string_view major = rest.substr(0, dash);
  if (!all_digits(major) || dash == std::string_view::npos) return std::nullopt;
  return std::string(major);
}

bool is_interesting_pip_package(std::string_view n) {
  static constexpr std::string_view kExact[] = {
      "torch",        "torchvision", "torchaudio",     "triton",         "pytorch-triton", "jax",
      "jaxlib",       "tensorflow",  "tensorflow-gpu", "tensorflow-cpu", "tf-nightly",     "cupy",
      "cuda-toolkit", "cuda-python", "cuda-bindings",  "onnxruntime-gpu"};
  if (std::find(std::begin(kExact), std::end(kExact), n) != std::end(kExact)) return true;
  return n.starts_with("nvidia-") || n.starts_with("jax-cuda") || n.starts_with("cupy-cuda") ||
         n.starts_with("pytorch-triton-") || n.starts_with("tensorflow-");
}

bool is_interesting_conda_package(std::string_view n) {
  static constexpr std::string_view kExact[] = {
      "python",          "pytorch",     "pytorch-cuda", "pytorch-mutex", "pytorch-gpu", "pytorch-cpu",
      "libtorch",        "cpuonly",     "cudatoolkit",  "cuda-version",  "cuda-cudart", "cuda-runtime",
      "cudnn",           "torchvision", "torchaudio",   "jax",           "jaxlib",      "tensorflow",
      "tensorflow-base", "cupy",        "cupy-core",    "nccl",          "triton"};
  return std::find(std::begin(kExact), std::end(kExact), n) != std::end(kExact);
}

}  // namespace gpuenv::probes::py
