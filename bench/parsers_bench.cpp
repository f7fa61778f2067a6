// Each parser of the probes on inputs of the size they have on real machines (issue 10). The inputs are
// generated here with the shape of the real files (the fields the parsers look for, where they are, and
// filler of realistic length), never copied from vendors' files.
#include <benchmark/benchmark.h>

#include <string>

#include "facts/pep440.hpp"
#include "probes/conda_parse.hpp"
#include "probes/os.hpp"
#include "probes/parse.hpp"
#include "probes/python_parse.hpp"

namespace {

using namespace gpuenv;

std::string lines(const std::string& line, int n) {
  std::string s;
  s.reserve(line.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) s += line;
  return s;
}

// /proc/driver/nvidia/version: two lines.
void BM_ParseDriverBanner(benchmark::State& state) {
  const std::string text =
      "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 UTC 2024\n"
      "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n";
  for (auto _ : state) benchmark::DoNotOptimize(probes::parse_driver_banner(text));
}
BENCHMARK(BM_ParseDriverBanner);

// /etc/os-release: a dozen keys.
void BM_ParseOsRelease(benchmark::State& state) {
  const std::string text =
      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
      "VERSION=\"12 "
      "(bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n"
      "SUPPORT_URL=\"https://www.debian.org/support\"\nBUG_REPORT_URL=\"https://bugs.debian.org/\"\n";
  for (auto _ : state) benchmark::DoNotOptimize(probes::parse_os_release(text));
}
BENCHMARK(BM_ParseOsRelease);

// /sys/bus/pci/devices/*/device.
void BM_ParseSysfsHex(benchmark::State& state) {
  const std::string text = "0x2684\n";
  for (auto _ : state) benchmark::DoNotOptimize(probes::parse_sysfs_hex(text));
}
BENCHMARK(BM_ParseSysfsHex);

// A CUDA toolkit's version.json: one object per component (about forty, 4 KB).
void BM_ParseCudaVersionJson(benchmark::State& state) {
  std::string text =
      "{\n   \"cuda\" : {\n      \"name\" : \"CUDA SDK\",\n      \"version\" : \"12.4.1\"\n   },\n";
  for (int i = 0; i < 40; ++i)
    text += "   \"component_" + std::to_string(i) +
            "\" : {\n      \"name\" : \"Component\",\n      \"version\" : \"12.4.127\"\n   },\n";
  text += "   \"last\" : {\"name\" : \"x\", \"version\" : \"1\"}\n}\n";
  for (auto _ : state) benchmark::DoNotOptimize(probes::parse_cuda_version_json(text));
}
BENCHMARK(BM_ParseCudaVersionJson);

// include/cuda.h: about 1 MB, CUDA_VERSION defined after the licence and a few hundred lines.
void BM_ParseCudaH(benchmark::State& state) {
  std::string text =
      lines(" * licence text of the header, about eighty characters long, line after line.\n", 90);
  text += lines("#include <stdlib.h>\n", 5) + "#define CUDA_VERSION 12040\n";
  text +=
      lines("CUresult CUDAAPI cuSomeFunction(CUdeviceptr dptr, size_t bytes, CUstream hStream);\n", 12000);
  for (auto _ : state) benchmark::DoNotOptimize(probes::parse_cuda_h(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseCudaH);

// cudnn_version.h: 3 KB.
void BM_ParseCudnnHeader(benchmark::State& state) {
  std::string text =
      lines(" * licence text of the header, about eighty characters long, line after line.\n", 40);
  text +=
      "#ifndef CUDNN_VERSION_H_\n#define CUDNN_VERSION_H_\n\n#define CUDNN_MAJOR 9\n#define CUDNN_MINOR 1\n"
      "#define CUDNN_PATCHLEVEL 0\n\n#define CUDNN_VERSION (CUDNN_MAJOR * 10000 + CUDNN_MINOR * 100 + "
      "CUDNN_PATCHLEVEL)\n#endif\n";
  for (auto _ : state) benchmark::DoNotOptimize(probes::parse_cudnn_header(text));
}
BENCHMARK(BM_ParseCudnnHeader);

// libc.so.6: the banner sits in .rodata, about 1.7 MB into a 2 MB file.
void BM_ParseGlibcBanner(benchmark::State& state) {
  std::string bytes(1800000, '\x01');
  std::string banner = "GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\n";
  bytes.replace(1700000, banner.size(), banner);
  for (auto _ : state) benchmark::DoNotOptimize(probes::parse_glibc_banner(bytes));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ParseGlibcBanner);

// torch's METADATA: headers, Requires-Dist lines with markers, and the long description (40 KB).
void BM_ParseCoreMetadataTorch(benchmark::State& state) {
  std::string text = "Metadata-Version: 2.1\nName: torch\nVersion: 2.5.1+cu124\nRequires-Python: >=3.8.0\n";
  for (const char* n : {"filelock", "typing-extensions>=4.8.0", "sympy==1.13.1", "networkx", "jinja2",
                        "fsspec", "nvidia-cuda-nvrtc-cu12==12.4.127", "nvidia-cuda-runtime-cu12==12.4.127",
                        "nvidia-cudnn-cu12==9.1.0.70", "nvidia-cublas-cu12==12.4.5.8",
                        "nvidia-cufft-cu12==11.2.1.3", "nvidia-nccl-cu12==2.21.5", "triton==3.1.0"})
    text += std::string("Requires-Dist: ") + n +
            "; platform_system == \"Linux\" and platform_machine == \"x86_64\"\n";
  text += "Provides-Extra: opt-einsum\n\n";
  text += lines("PyTorch is a Python package that provides tensor computation with GPU acceleration.\n", 480);
  for (auto _ : state) benchmark::DoNotOptimize(probes::py::parse_core_metadata(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseCoreMetadataTorch);

// A small package's METADATA (most of an environment's thirty to three hundred packages).
void BM_ParseCoreMetadataSmall(benchmark::State& state) {
  std::string text =
      "Metadata-Version: 2.1\nName: requests\nVersion: 2.32.3\nRequires-Dist: idna<4,>=2.5\n\n";
  text += lines("Requests is a simple, yet elegant, HTTP library.\n", 60);
  for (auto _ : state) benchmark::DoNotOptimize(probes::py::parse_core_metadata(text));
}
BENCHMARK(BM_ParseCoreMetadataSmall);

// conda-meta/pytorch-*.json: the record of a pytorch package lists ~20000 files (1.3 MB); the
// fields the probe needs come after the "files" list.
void BM_ParseCondaRecordPytorch(benchmark::State& state) {
  std::string s =
      "{\"build\": \"py3.10_cuda12.1_cudnn8.9.2_0\", \"build_number\": 0, "
      "\"channel\": \"https://conda.anaconda.org/pytorch/linux-64\", \"depends\": [\"python "
      ">=3.10,<3.11.0a0\"], "
      "\"files\": [";
  for (int i = 0; i < 20000; ++i)
    s += std::string(i ? ", " : "") + "\"lib/python3.10/site-packages/torch/file" + std::to_string(i) +
         ".py\"";
  s += "], \"name\": \"pytorch\", \"subdir\": \"linux-64\", \"version\": \"2.1.0\"}";
  for (auto _ : state) benchmark::DoNotOptimize(probes::py::parse_conda_record(s));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.size()));
}
BENCHMARK(BM_ParseCondaRecordPytorch);

void BM_ParseCondaRecordSmall(benchmark::State& state) {
  std::string s =
      "{\"build\": \"h0_0\", \"channel\": \"https://repo.anaconda.com/pkgs/main/linux-64\", "
      "\"depends\": [], \"files\": [\"lib/libz.so\", \"lib/libz.so.1\", \"include/zlib.h\"], "
      "\"name\": \"zlib\", \"version\": \"1.2.13\"}";
  for (auto _ : state) benchmark::DoNotOptimize(probes::py::parse_conda_record(s));
}
BENCHMARK(BM_ParseCondaRecordSmall);

void BM_ParsePyvenvCfg(benchmark::State& state) {
  const std::string text =
      "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n"
      "executable = /usr/bin/python3.11\ncommand = /usr/bin/python3 -m venv /home/a/.venv\n";
  for (auto _ : state) benchmark::DoNotOptimize(probes::py::parse_pyvenv_cfg(text));
}
BENCHMARK(BM_ParsePyvenvCfg);

void BM_ParseTorchVersionPy(benchmark::State& state) {
  const std::string text =
      "from typing import Optional\n\n__all__ = ['__version__', 'debug', 'cuda', 'git_version', 'hip']\n"
      "__version__ = '2.5.1+cu124'\ndebug = False\ncuda: Optional[str] = '12.4'\n"
      "git_version = 'a8d6afb511a69687bbb2b7e88a3cf67917e1697e'\nhip: Optional[str] = None\n"
      "xpu: Optional[str] = None\n";
  for (auto _ : state) benchmark::DoNotOptimize(probes::py::parse_torch_version_py(text));
}
BENCHMARK(BM_ParseTorchVersionPy);

void BM_ParseDistInfoName(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(probes::py::parse_dist_dir_name("nvidia_cudnn_cu12-9.1.0.70.dist-info"));
}
BENCHMARK(BM_ParseDistInfoName);

void BM_Pep440Parse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(facts::Pep440Version::parse("2.5.1+cu124"));
}
BENCHMARK(BM_Pep440Parse);

void BM_Pep440Compare(benchmark::State& state) {
  auto a = *facts::Pep440Version::parse("2.5.1+cu124");
  auto b = *facts::Pep440Version::parse("2.5.1rc1");
  for (auto _ : state) benchmark::DoNotOptimize(a <=> b);
}
BENCHMARK(BM_Pep440Compare);

// The specifiers of a torch wheel's Requires-Dist and of the knowledge base ("~=2.4", ">=2.3,<2.6").
void BM_Pep440SpecifierSetParseAndContains(benchmark::State& state) {
  for (auto _ : state) {
    auto set = facts::Pep440SpecifierSet::parse(">=2.3.0, <2.6, !=2.4.0");
    benchmark::DoNotOptimize(set->contains("2.5.1+cu124"));
  }
}
BENCHMARK(BM_Pep440SpecifierSetParseAndContains);

void BM_Pep440SpecifierSetContains(benchmark::State& state) {
  auto set = *facts::Pep440SpecifierSet::parse("~=2.4.0, !=2.4.1, ==2.4.*");
  auto v = *facts::Pep440Version::parse("2.4.3");
  for (auto _ : state) benchmark::DoNotOptimize(set.contains(v));
}
BENCHMARK(BM_Pep440SpecifierSetContains);

}  // namespace
