#include "rules/verify_translate.hpp"

#include <algorithm>
#include <cctype>

#include "rules/verify_patterns.hpp"

namespace gpuenv::rules {

namespace {

bool has(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

/// The line that names the failure, short enough for a sentence: the first non-empty line.
std::string headline(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    if (!line.empty()) {
      if (line.size() > 300) return std::string(line.substr(0, 300)) + "…";
      return std::string(line);
    }
    start = end + 1;
  }
  return {};
}

std::string or_none(const facts::Opt& v) {
  return v ? *v : "None";
}

/// What every explanation may use: the interpreter, torch and its CUDA build, the error's headline.
i18n::Text make_text(std::string id, const facts::VerifyRun& run, std::string_view error,
                     std::vector<std::pair<std::string, std::string>> extra = {}) {
  i18n::Text t{std::move(id),
               {{"python", run.python},
                {"torch", run.torch_version.value_or("?")},
                {"cuda", or_none(run.torch_cuda)},
                {"error", headline(error)}}};
  for (auto& kv : extra) t.args.push_back(std::move(kv));
  return t;
}

std::string gpuenv_command(const facts::VerifyRun& run, std::string_view sub) {
  std::string cmd = "gpuenv ";
  cmd += sub;
  if (!run.selector.empty()) cmd += " " + run.selector;
  return cmd;
}

struct Gpu {
  std::string name, cc;
};

/// The GPU the failure concerns: device 0 as torch saw it, else the snapshot's first NVIDIA GPU.
std::optional<Gpu> first_gpu(const facts::VerifyRun& run, const facts::Machine* m) {
  if (!run.devices.empty() && run.devices[0].name)
    return Gpu{*run.devices[0].name, run.devices[0].compute_capability.value_or("?")};
  if (m && !m->gpus.empty() && m->gpus[0].name)
    return Gpu{*m->gpus[0].name, m->gpus[0].compute_capability.value_or("?")};
  return std::nullopt;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

/// Evidence lines every finding carries: the failing step and what it said, then the facts.
std::vector<std::string> evidence(std::string_view error, std::string_view step, const facts::VerifyRun& run,
                                  const facts::Machine* m) {
  std::vector<std::string> ev;
  if (!error.empty()) {
    std::string where = step.empty() ? std::string("warning") : "step " + std::string(step);
    ev.push_back(where + ": " + headline(error));
  }
  ev.push_back("python " + run.python + (run.python_version ? " (" + *run.python_version + ")" : ""));
  if (run.torch_version)
    ev.push_back("torch " + *run.torch_version + ", torch.version.cuda = " + or_none(run.torch_cuda) +
                 (run.torch_hip ? ", torch.version.hip = " + *run.torch_hip : "") +
                 (run.torch_location ? " (" + *run.torch_location + ")" : ""));
  if (run.arch_list && !run.arch_list->empty())
    ev.push_back("torch.cuda.get_arch_list() = [" + join(*run.arch_list, ", ") + "]");
  for (auto& d : run.devices)
    ev.push_back("cuda:" + std::to_string(d.index) + " = " + d.name.value_or("?") + ", compute capability " +
                 d.compute_capability.value_or("?"));
  if (m) {
    ev.push_back("snapshot: " + std::to_string(m->gpus.size()) + " NVIDIA GPU(s), driver " +
                 m->driver.version.value_or("not found") +
                 (m->driver.module_loaded ? " (module loaded)" : " (module not loaded)"));
  }
  if (run.cuda_visible_devices) ev.push_back("CUDA_VISIBLE_DEVICES=" + *run.cuda_visible_devices);
  return ev;
}

Finding finding(std::string id, i18n::Text title, i18n::Text explanation, std::vector<std::string> ev) {
  Finding f;
  f.id = std::move(id);
  f.severity = Severity::error;
  f.title = std::move(title);
  f.explanation = std::move(explanation);
  f.evidence = std::move(ev);
  return f;
}

void fix(Finding& f, i18n::Text t, std::vector<std::string> commands = {}) {
  f.fixes.push_back({std::move(t), std::move(commands)});
}

// ---- The rules. Each returns a finding when its pattern matches the text. ----

struct Input {
  std::string_view text, step;
  const facts::VerifyRun& run;
  const facts::Machine* m;
  std::vector<std::string> ev() const { return evidence(text, step, run, m); }
  i18n::Text t(std::string id, std::vector<std::pair<std::string, std::string>> extra = {}) const {
    return make_text(std::move(id), run, text, std::move(extra));
  }
};

Finding plan_fix(Finding f, const Input& in, const char* fix_id) {
  fix(f, in.t(fix_id), {gpuenv_command(in.run, "plan")});
  return f;
}

// "Found no NVIDIA driver" and a missing libcuda.so.1 (FM-20, FM-31; cupy/cupy#1790): no GPU, no
// driver, or a container without the GPU passed through, depending on the machine.
Finding no_driver(const Input& in) {
  auto present = nvidia_gpu_present(in.run, in.m);
  if (in.m && in.m->os.container && present != true) {
    auto f = finding(
        "container-without-gpu", in.t("verify.finding.container-without-gpu.title"),
        in.t("verify.finding.container-without-gpu.explanation", {{"container", *in.m->os.container}}),
        in.ev());
    fix(f, in.t("verify.fix.container-without-gpu"));
    return f;
  }
  if (present == false) {
    auto f = finding("no-nvidia-gpu", in.t("verify.finding.no-nvidia-gpu.title"),
                     in.t("verify.finding.no-nvidia-gpu.explanation.cuda_build"), in.ev());
    fix(f, in.t("verify.fix.cpu_ok"), {gpuenv_command(in.run, "verify --cpu-ok")});
    return f;
  }
  auto f = finding("driver-not-loaded", in.t("verify.finding.driver-not-loaded.title"),
                   in.t(present ? "verify.finding.driver-not-loaded.explanation"
                                : "verify.finding.driver-not-loaded.explanation.unknown_gpu"),
                   in.ev());
  fix(f, in.t("verify.fix.doctor"), {"gpuenv doctor"});
  return f;
}

std::optional<Finding> match(const Input& in) {
  auto text = in.text;
  // torchvision built for another torch or variant (FM-45, FM-46).
  if (has(text, "torchvision::nms") || (has(text, "undefined symbol") && has(text, "torchvision"))) {
    auto f = finding("torchvision-torch-mismatch",
                     in.t("verify.finding.torchvision-torch-mismatch.title",
                          {{"torchvision", in.run.torchvision_version.value_or("?")}}),
                     in.t("verify.finding.torchvision-torch-mismatch.explanation"), in.ev());
    return plan_fix(std::move(f), in, "verify.fix.torchvision-torch-mismatch");
  }
  // No torch at all in this environment.
  if (has(text, "No module named 'torch'")) {
    auto f = finding("torch-not-installed", in.t("verify.finding.torch-not-installed.title"),
                     in.t("verify.finding.torch-not-installed.explanation"), in.ev());
    return plan_fix(std::move(f), in, "verify.fix.torch-not-installed");
  }
  // Driver older than the CUDA runtime inside torch (FM-10, FM-11; FM-12 for the runtime's wording).
  if (auto cuda = decode_found_version(text)) {
    auto f = finding("driver-too-old-for-torch", in.t("verify.finding.driver-too-old-for-torch.title"),
                     in.t("verify.finding.driver-too-old-for-torch.explanation", {{"driver_cuda", *cuda}}),
                     in.ev());
    fix(f, in.t("verify.fix.driver-too-old-for-torch.driver"));
    return plan_fix(std::move(f), in, "verify.fix.driver-too-old-for-torch.torch");
  }
  if (has(text, "driver version is insufficient") || has(text, "cudaErrorInsufficientDriver")) {
    // In a container without the GPU the runtime says the same (FM-13, NVIDIA/nvidia-docker#400).
    if (in.m && in.m->os.container && nvidia_gpu_present(in.run, in.m) != true) return no_driver(in);
    auto f = finding("driver-too-old-for-torch", in.t("verify.finding.driver-too-old-for-torch.title"),
                     in.t("verify.finding.driver-too-old-for-torch.explanation.insufficient"), in.ev());
    fix(f, in.t("verify.fix.driver-too-old-for-torch.driver"));
    return plan_fix(std::move(f), in, "verify.fix.driver-too-old-for-torch.torch");
  }
  // The build has no code for this GPU (FM-15..FM-19).
  if (has(text, "no kernel image is available") || has(text, "is not compatible with the current PyTorch") ||
      has(text, "no longer supports this GPU because it is too old")) {
    auto gpu = first_gpu(in.run, in.m);
    std::string cc = gpu ? gpu->cc : "?";
    if (auto sm = capability_from_warning(text); sm && cc == "?") cc = *sm;
    std::string arch = in.run.arch_list && !in.run.arch_list->empty() ? join(*in.run.arch_list, " ") : "?";
    auto f = finding(
        "gpu-arch-not-in-torch-build",
        in.t("verify.finding.gpu-arch-not-in-torch-build.title", {{"gpu", gpu ? gpu->name : "GPU"}}),
        in.t("verify.finding.gpu-arch-not-in-torch-build.explanation", {{"cc", cc}, {"arch_list", arch}}),
        in.ev());
    return plan_fix(std::move(f), in, "verify.fix.gpu-arch-not-in-torch-build");
  }
  if (has(text, "Found no NVIDIA driver")) return no_driver(in);
  // Kernel module and user-space libraries of different versions (FM-24, FM-25).
  if (has(text, "Driver/library version mismatch") || has(text, "API mismatch")) {
    auto f = finding("driver-library-mismatch", in.t("verify.finding.driver-library-mismatch.title"),
                     in.t("verify.finding.driver-library-mismatch.explanation"), in.ev());
    fix(f, in.t("verify.fix.reboot"), {"sudo reboot"});
    return f;
  }
  // WSL2: cudaGetDeviceCount "Error 2: out of memory" comes from Linux driver pieces inside WSL (FM-57).
  if (in.m && in.m->os.wsl && has(text, "cudaGetDeviceCount") && has(text, "out of memory")) {
    auto f = finding("wsl-linux-driver-installed", in.t("verify.finding.wsl-linux-driver-installed.title"),
                     in.t("verify.finding.wsl-linux-driver-installed.explanation"), in.ev());
    fix(f, in.t("verify.fix.doctor"), {"gpuenv doctor"});
    return f;
  }
  if (auto lib = missing_library(text)) {
    if (lib->starts_with("libcuda.so") || lib->starts_with("libnvidia-ml.so")) return no_driver(in);
    static constexpr std::string_view cuda_libs[] = {
        "libcudnn",    "libcublas",  "libcudart",    "libcufft",     "libcurand", "libcusparse",
        "libcusolver", "libnvrtc",   "libnvJitLink", "libnccl",      "libcupti",  "libnvToolsExt",
        "libcufile",   "libnvshmem", "libc10_cuda",  "libtorch_cuda"};
    if (std::any_of(std::begin(cuda_libs), std::end(cuda_libs),
                    [&](auto p) { return lib->starts_with(p); })) {
      // FM-33 (resolver dropped the nvidia-* wheels), FM-34 (lib/lib64 split), FM-40.
      auto f =
          finding("torch-cuda-libs-missing", in.t("verify.finding.torch-cuda-libs-missing.title"),
                  in.t("verify.finding.torch-cuda-libs-missing.explanation", {{"library", *lib}}), in.ev());
      return plan_fix(std::move(f), in, "verify.fix.torch-cuda-libs-missing");
    }
  }
  if (has(text, "cuDNN is not available to torch")) {
    auto f =
        finding("torch-cuda-libs-missing", in.t("verify.finding.torch-cuda-libs-missing.title"),
                in.t("verify.finding.torch-cuda-libs-missing.explanation", {{"library", "cuDNN"}}), in.ev());
    return plan_fix(std::move(f), in, "verify.fix.torch-cuda-libs-missing");
  }
  if (auto sym = undefined_symbol(text)) {
    // An older copy of a CUDA library taken from LD_LIBRARY_PATH (FM-35, FM-36, FM-37).
    if (sym->starts_with("__nvJitLink") && in.run.ld_library_path && !in.run.ld_library_path->empty()) {
      auto f = finding("ld-library-path-shadows", in.t("verify.finding.ld-library-path-shadows.title"),
                       in.t("verify.finding.ld-library-path-shadows.explanation",
                            {{"symbol", *sym}, {"value", *in.run.ld_library_path}}),
                       in.ev());
      fix(f, in.t("verify.fix.ld-library-path-shadows"),
          {"env -u LD_LIBRARY_PATH " + gpuenv_command(in.run, "verify")});
      return f;
    }
    auto f =
        finding("torch-import-failed", in.t("verify.finding.torch-import-failed.title"),
                in.t("verify.finding.torch-import-failed.explanation.symbol", {{"symbol", *sym}}), in.ev());
    return plan_fix(std::move(f), in, "verify.fix.reinstall");
  }
  // Windows: a DLL or one of its dependencies cannot be loaded (FM-53, FM-54).
  if (has(text, "DLL load failed") || has(text, "WinError 126")) {
    auto f = finding("torch-import-failed", in.t("verify.finding.torch-import-failed.title"),
                     in.t("verify.finding.torch-import-failed.explanation.dll"), in.ev());
    fix(f, in.t("verify.fix.vc_runtime"));
    return plan_fix(std::move(f), in, "verify.fix.reinstall");
  }
  // Out of GPU memory: verify's own needs are small, so something else holds it (FM-60).
  if (has(text, "out of memory") || has(text, "OutOfMemoryError")) {
    auto f = finding("gpu-out-of-memory", in.t("verify.finding.gpu-out-of-memory.title"),
                     in.t("verify.finding.gpu-out-of-memory.explanation"), in.ev());
    fix(f, in.t("verify.fix.gpu-out-of-memory"), {"nvidia-smi"});
    return f;
  }
  // No device visible (FM-27..FM-30): CUDA_VISIBLE_DEVICES first, then the device files.
  if (has(text, "No CUDA GPUs are available") || has(text, "no CUDA-capable device is detected") ||
      has(text, "cudaErrorNoDevice")) {
    if (cuda_visible_devices_suspect(in.run, in.m)) {
      auto f = finding("cuda-visible-devices-hides-gpus",
                       in.t("verify.finding.cuda-visible-devices-hides-gpus.title"),
                       in.t("verify.finding.cuda-visible-devices-hides-gpus.explanation",
                            {{"value", *in.run.cuda_visible_devices}}),
                       in.ev());
      fix(f, in.t("verify.fix.cuda-visible-devices-hides-gpus"),
          {"env -u CUDA_VISIBLE_DEVICES " + gpuenv_command(in.run, "verify")});
      return f;
    }
    if (in.m && in.m->os.container && nvidia_gpu_present(in.run, in.m) != true) return no_driver(in);
    auto f = finding("device-nodes-missing", in.t("verify.finding.device-nodes-missing.title"),
                     in.t("verify.finding.device-nodes-missing.explanation"), in.ev());
    fix(f, in.t("verify.fix.device-nodes-missing"),
        {"ls -l /dev/nvidia*", "sudo usermod -aG video \"$USER\""});
    return f;
  }
  // "CUDA unknown error" after suspend/resume: reload nvidia_uvm (FM-26). No id of its own.
  if (has(text, "CUDA unknown error")) {
    auto f = finding("verify-step-failed",
                     in.t("verify.finding.verify-step-failed.title", {{"step", std::string(in.step)}}),
                     in.t("verify.finding.verify-step-failed.explanation.unknown_cuda_error"), in.ev());
    fix(f, in.t("verify.fix.reload_uvm"), {"sudo modprobe -r nvidia_uvm", "sudo modprobe nvidia_uvm"});
    return f;
  }
  return std::nullopt;
}

}  // namespace

bool cuda_visible_devices_suspect(const facts::VerifyRun& run, const facts::Machine* m) {
  if (!run.cuda_visible_devices) return false;
  std::optional<int> count;
  if (m && !m->gpus.empty()) count = static_cast<int>(m->gpus.size());
  return cuda_visible_devices_hides(*run.cuda_visible_devices, count);
}

std::optional<bool> nvidia_gpu_present(const facts::VerifyRun& run, const facts::Machine* machine) {
  if (!run.devices.empty() || run.device_count.value_or(0) > 0) return true;
  if (!machine) return std::nullopt;
  return !machine->gpus.empty() || machine->driver.module_loaded;
}

std::optional<Finding> translate_error(std::string_view text, std::string_view step,
                                       const facts::VerifyRun& run, const facts::Machine* machine) {
  if (text.empty()) return std::nullopt;
  return match(Input{text, step, run, machine});
}

Finding unknown_error(std::string_view text, std::string_view step, const facts::VerifyRun& run,
                      const facts::Machine* machine) {
  Input in{text, step, run, machine};
  auto f = finding(
      "verify-step-failed", in.t("verify.finding.verify-step-failed.title", {{"step", std::string(step)}}),
      in.t("verify.finding.verify-step-failed.explanation", {{"verbatim", std::string(text)}}), in.ev());
  fix(f, in.t("verify.fix.doctor_unknown"), {"gpuenv doctor"});
  return f;
}

Finding import_failed(std::string_view text, std::string_view step, const facts::VerifyRun& run,
                      const facts::Machine* machine) {
  Input in{text, step, run, machine};
  auto f = finding("torch-import-failed", in.t("verify.finding.torch-import-failed.title"),
                   in.t("verify.finding.torch-import-failed.explanation", {{"verbatim", std::string(text)}}),
                   in.ev());
  return plan_fix(std::move(f), in, "verify.fix.reinstall");
}

Finding explain_no_cuda(const facts::VerifyRun& run, const facts::Machine* machine) {
  Input in{{}, "", run, machine};
  auto present = nvidia_gpu_present(run, machine);
  bool cuda_build = run.torch_cuda.has_value();
  if (!cuda_build && present == true) {
    if (run.torch_hip) {
      auto f = finding(
          "torch-rocm-build-on-nvidia", in.t("verify.finding.torch-rocm-build-on-nvidia.title"),
          in.t("verify.finding.torch-rocm-build-on-nvidia.explanation", {{"hip", *run.torch_hip}}), in.ev());
      return plan_fix(std::move(f), in, "verify.fix.torch-cpu-build");
    }
    auto f = finding("torch-cpu-build", in.t("verify.finding.torch-cpu-build.title"),
                     in.t("verify.finding.torch-cpu-build.explanation"), in.ev());
    return plan_fix(std::move(f), in, "verify.fix.torch-cpu-build");
  }
  if (cuda_build && cuda_visible_devices_suspect(run, machine)) {
    auto f = finding("cuda-visible-devices-hides-gpus",
                     in.t("verify.finding.cuda-visible-devices-hides-gpus.title"),
                     in.t("verify.finding.cuda-visible-devices-hides-gpus.explanation",
                          {{"value", *run.cuda_visible_devices}}),
                     in.ev());
    fix(f, in.t("verify.fix.cuda-visible-devices-hides-gpus"),
        {"env -u CUDA_VISIBLE_DEVICES " + gpuenv_command(run, "verify")});
    return f;
  }
  if (present == false || (!cuda_build && !present)) {
    auto f = finding("no-nvidia-gpu", in.t("verify.finding.no-nvidia-gpu.title"),
                     in.t(cuda_build ? "verify.finding.no-nvidia-gpu.explanation.cuda_build"
                                     : "verify.finding.no-nvidia-gpu.explanation.not_cuda_build"),
                     in.ev());
    fix(f, in.t("verify.fix.cpu_ok"), {gpuenv_command(run, "verify --cpu-ok")});
    return f;
  }
  // A CUDA build that cannot start, and nothing it printed is known: say so with what it printed.
  std::string said;
  for (auto& w : run.warnings) said += (said.empty() ? "" : "\n") + w.category + ": " + w.message;
  for (auto& e : run.info_errors) said += (said.empty() ? "" : "\n") + e;
  auto f = finding(
      "verify-step-failed", in.t("verify.finding.verify-step-failed.title", {{"step", "cuda"}}),
      in.t("verify.finding.verify-step-failed.explanation.cuda_unavailable", {{"verbatim", said}}), in.ev());
  fix(f, in.t("verify.fix.doctor_unknown"), {"gpuenv doctor"});
  return f;
}

}  // namespace gpuenv::rules
