// Reading every Python environment of a machine with 200 of them (issue 3: "well under a second").
// The machine is generated once into a temporary directory and read through --root, as `gpuenv envs
// --root` would: 120 venvs with a pip torch (+cu124 METADATA with its long description, nvidia-*
// wheels, thirty other packages, version.py), 60 conda envs (conda-meta records with long "files"
// lists) and 20 pyenv Pythons, in two homes, plus the home walk that finds the venvs.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "kb/kb.hpp"
#include "platform/env.hpp"
#include "platform/fs.hpp"
#include "probes/python.hpp"
#include "rules/rules.hpp"

namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

std::string torch_metadata() {
  std::string s =
      "Metadata-Version: 2.1\nName: torch\nVersion: 2.5.1+cu124\nRequires-Python: >=3.8.0\n"
      "Requires-Dist: filelock\nRequires-Dist: typing-extensions>=4.8.0\n";
  for (const char* n :
       {"nvidia-cuda-runtime-cu12==12.4.127", "nvidia-cudnn-cu12==9.1.0.70", "nvidia-cublas-cu12==12.4.5.8",
        "nvidia-cufft-cu12==11.2.1.3", "nvidia-nccl-cu12==2.21.5", "triton==3.1.0"})
    s += std::string("Requires-Dist: ") + n +
         "; platform_system == \"Linux\" and platform_machine == \"x86_64\"\n";
  s += "\n";
  for (int i = 0; i < 600; ++i)
    s += "PyTorch is a Python package that provides tensor computation with GPU acceleration.\n";
  return s;
}

std::string conda_record(const std::string& name, const std::string& version, const std::string& build,
                         int files) {
  std::string s = "{\"build\": \"" + build +
                  "\", \"channel\": \"https://conda.anaconda.org/pytorch/linux-64\", " +
                  "\"depends\": [\"python >=3.10,<3.11.0a0\"], \"files\": [";
  for (int i = 0; i < files; ++i)
    s += std::string(i ? ", " : "") + "\"lib/python3.10/site-packages/torch/file" + std::to_string(i) +
         ".py\"";
  return s + "], \"name\": \"" + name + "\", \"version\": \"" + version + "\"}";
}

struct Machine200 {
  std::string root;
  Machine200() {
    std::string tmpl = (fs::temp_directory_path() / "gpuenv-bench-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp");
    root = tmpl;
    const fs::path r = root;
    const std::string meta = torch_metadata();
    for (int i = 0; i < 120; ++i) {
      fs::path v = r / ("home/u" + std::to_string(i % 2)) / "projects" / ("p" + std::to_string(i)) / ".venv";
      write(v / "pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n");
      fs::path sp = v / "lib/python3.11/site-packages";
      write(sp / "torch-2.5.1+cu124.dist-info/METADATA", meta);
      write(sp / "torch-2.5.1+cu124.dist-info/INSTALLER", "pip\n");
      write(sp / "torch/version.py",
            "__version__ = '2.5.1+cu124'\ndebug = False\ncuda: Optional[str] = '12.4'\n");
      for (const char* n :
           {"nvidia_cuda_runtime_cu12-12.4.127", "nvidia_cudnn_cu12-9.1.0.70", "nvidia_cublas_cu12-12.4.5.8"})
        write(sp / (std::string(n) + ".dist-info/METADATA"),
              "Metadata-Version: 2.1\nName: x\nVersion: 1\n\n");
      for (int k = 0; k < 30; ++k)
        write(sp / ("package" + std::to_string(k) + "-1.0.dist-info/METADATA"), "Name: p\n");
    }
    for (int i = 0; i < 60; ++i) {
      fs::path e = r / "home/u0/miniconda3/envs" / ("e" + std::to_string(i));
      write(e / "conda-meta/python-3.10.13-h955ad1f_0.json",
            conda_record("python", "3.10.13", "h955ad1f_0", 50));
      write(e / "conda-meta/pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0.json",
            conda_record("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0", 20000));
      write(e / "conda-meta/pytorch-cuda-12.1-ha16c6d3_5.json",
            conda_record("pytorch-cuda", "12.1", "ha16c6d3_5", 1));
      for (int k = 0; k < 40; ++k)
        write(e / ("conda-meta/lib" + std::to_string(k) + "-1.0-h0_0.json"),
              conda_record("lib", "1.0", "h0_0", 10));
      write(e / "lib/python3.10/site-packages/torch/version.py",
            "__version__ = '2.1.0'\ncuda: Optional[str] = '12.1'\n");
    }
    write(r / "home/u0/miniconda3/conda-meta/python-3.11.5-h955ad1f_0.json", "{}");
    for (int i = 0; i < 20; ++i) {
      fs::path p = r / "home/u1/.pyenv/versions" / ("3.11." + std::to_string(i));
      write(p / "include/python3.11/patchlevel.h", "#define PY_VERSION \"3.11." + std::to_string(i) + "\"\n");
      write(p / "bin/python3.11", "");
      write(p / "lib/python3.11/site-packages/README.txt", "");
    }
  }
  ~Machine200() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

const Machine200& machine() {
  static Machine200 m;
  return m;
}

void BM_ReadTwoHundredEnvironments(benchmark::State& state) {
  const auto& m = machine();
  gpuenv::platform::MapEnvironment env({{"HOME", "/home/u0"}, {"PATH", "/usr/bin"}});
  std::size_t envs = 0;
  for (auto _ : state) {
    gpuenv::platform::RootedFileSystem rfs(m.root);
    rfs.set_recording(false);
    gpuenv::probes::ProbeContext ctx{rfs, env, gpuenv::kb::KnowledgeBase::builtin(), std::nullopt, {}, {},
                                     {},  {}};
    gpuenv::facts::Machine out;
    gpuenv::probes::probe_python(ctx, out);
    envs = out.python_envs.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["environments"] = static_cast<double>(envs);
}
BENCHMARK(BM_ReadTwoHundredEnvironments)->Unit(benchmark::kMillisecond);

// Every rule over the snapshot of that machine (200 environments) with an RTX 4090 on driver 535:
// the diagnosis itself, without reading or printing.
void BM_RulesOverTwoHundredEnvironments(benchmark::State& state) {
  const auto& m = machine();
  const auto& kb = gpuenv::kb::KnowledgeBase::builtin();
  gpuenv::platform::MapEnvironment env({{"HOME", "/home/u0"}, {"PATH", "/usr/bin"}});
  gpuenv::platform::RootedFileSystem rfs(m.root);
  rfs.set_recording(false);
  gpuenv::probes::ProbeContext ctx{rfs, env, kb, std::nullopt, {}, {}, {}, {}};
  gpuenv::facts::Machine snap;
  gpuenv::probes::probe_python(ctx, snap);
  const gpuenv::kb::GpuModel* g = kb.gpu_by_name("RTX 4090");
  gpuenv::facts::Gpu gpu;
  gpu.vendor = "nvidia";
  gpu.pci_device_id = g->pci_device_id;
  gpu.name = g->name;
  gpu.architecture = g->architecture;
  gpu.compute_capability = g->compute_capability;
  gpu.kernel_driver = "nvidia";
  gpu.source = "sysfs+kb";
  snap.gpus.push_back(gpu);
  snap.driver.version = "535.104.05";
  snap.driver.cuda_max = "12.2";
  snap.driver.flavor = "proprietary";
  snap.driver.module_loaded = true;
  std::size_t findings = 0;
  for (auto _ : state) {
    auto f = gpuenv::rules::evaluate(snap, kb, {"2026-11-30"});
    findings = f.size();
    benchmark::DoNotOptimize(f);
  }
  state.counters["environments"] = static_cast<double>(snap.python_envs.size());
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_RulesOverTwoHundredEnvironments)->Unit(benchmark::kMicrosecond);

}  // namespace
