#include "probes/framework_arch.hpp"

#include <gtest/gtest.h>

#include "kb/arch.hpp"
#include "support/fatbin_builder.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::probes {
namespace {

using test::elf64;
using test::fatbin_container;

const std::string kSite = "/env/lib/python3.12/site-packages";

struct Fixture {
  test::TempDir tmp;
  platform::MapEnvironment env;
  std::unique_ptr<platform::RootedFileSystem> fs;
  std::unique_ptr<ProbeContext> ctx;

  explicit Fixture(std::string cache_dir = {}) {
    fs = std::make_unique<platform::RootedFileSystem>(tmp.path());
    ctx = std::make_unique<ProbeContext>(
        ProbeContext{*fs, env, kb::KnowledgeBase::builtin(), std::nullopt, {}, {}, std::move(cache_dir), {}});
  }
  std::string lib(const std::string& machine_path, const std::vector<test::FakeEntry>& entries) const {
    return tmp.write(machine_path.substr(1), elf64({{".nv_fatbin", fatbin_container(entries)}}));
  }
};

TEST(TorchArchList, ReadsLibtorchCuda) {
  Fixture f;
  f.tmp.write(kSite.substr(1) + "/torch/version.py", "__version__ = '2.5.1+cu124'\ncuda = '12.4'\n");
  f.lib(kSite + "/torch/lib/libtorch_cuda.so", {{2, 80}, {2, 90}});
  f.lib(kSite + "/torch/lib/libtorch_cpu.so", {{2, 50}});  // not a CUDA kernel library: never read
  auto a = read_torch_arch_list(*f.ctx, kSite + "/torch");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->arch_list, (std::vector<std::string>{"sm_80", "sm_90"}));
  EXPECT_EQ(a->libraries, std::vector<std::string>{kSite + "/torch/lib/libtorch_cuda.so"});
  EXPECT_EQ(a->source, "binary");
  EXPECT_TRUE(f.ctx->warnings.empty());
  // Gate 2 by the binary: fine on 8.6 (the sm_80 cubin), not on 7.5.
  EXPECT_TRUE(kb::check_coverage(a->arch_list, "8.6").ok);
  EXPECT_FALSE(kb::check_coverage(a->arch_list, "7.5").ok);
}

TEST(TorchArchList, OldSplitLibrariesCountTargetsInBoth) {
  Fixture f;
  f.lib(kSite + "/torch/lib/libtorch_cuda_cu.so", {{2, 70}, {2, 80}, {1, 80, 0x11, 80}});
  f.lib(kSite + "/torch/lib/libtorch_cuda_cpp.so", {{2, 70}, {2, 80}, {1, 80, 0x11, 80}});
  auto a = read_torch_arch_list(*f.ctx, kSite + "/torch");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->arch_list, (std::vector<std::string>{"sm_70", "sm_80", "compute_80"}));
  EXPECT_EQ(a->libraries.size(), 2u);
  EXPECT_TRUE(f.ctx->warnings.empty());
}

TEST(TorchArchList, DifferingLibrariesKeepTheCommonTargetsAndWarn) {
  Fixture f;
  f.lib(kSite + "/torch/lib/libtorch_cuda_cu.so", {{2, 70}, {2, 80}});
  f.lib(kSite + "/torch/lib/libtorch_cuda_cpp.so", {{2, 80}});
  auto a = read_torch_arch_list(*f.ctx, kSite + "/torch");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->arch_list, std::vector<std::string>{"sm_80"});
  ASSERT_EQ(f.ctx->warnings.size(), 1u);
  EXPECT_EQ(f.ctx->warnings[0].path, kSite + "/torch/lib/libtorch_cuda_cpp.so");
}

TEST(TorchArchList, CpuBuildHasNothingToRead) {
  Fixture f;
  f.tmp.write(kSite.substr(1) + "/torch/version.py", "__version__ = '2.5.1+cpu'\n");
  EXPECT_FALSE(read_torch_arch_list(*f.ctx, kSite + "/torch"));
  EXPECT_TRUE(f.ctx->warnings.empty());
}

TEST(TorchArchList, BrokenLibraryIsAWarningNamingItsPath) {
  Fixture f;
  f.tmp.write(kSite.substr(1) + "/torch/lib/libtorch_cuda.so", "not a library");
  EXPECT_FALSE(read_torch_arch_list(*f.ctx, kSite + "/torch"));
  ASSERT_EQ(f.ctx->warnings.size(), 1u);
  EXPECT_EQ(f.ctx->warnings[0].probe, "fatbin");
  EXPECT_EQ(
      f.ctx->warnings[0].message,
      kSite + "/torch/lib/libtorch_cuda.so: not an ELF shared library or object file, nor a CUDA fat binary");
}

TEST(TorchArchList, SymlinkedLibraryIsFollowedInsideTheRoot) {
  Fixture f;
  f.lib("/store/libtorch_cuda.so", {{2, 86}});
  f.tmp.mkdir(kSite.substr(1) + "/torch/lib");
  f.tmp.symlink("/store/libtorch_cuda.so", kSite.substr(1) + "/torch/lib/libtorch_cuda.so");
  auto a = read_torch_arch_list(*f.ctx, kSite + "/torch");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->arch_list, std::vector<std::string>{"sm_86"});
}

TEST(TorchArchList, UsesTheCacheWhenGiven) {
  test::TempDir cache;
  Fixture f(cache.path() + "/gpuenv");
  f.lib(kSite + "/torch/lib/libtorch_cuda.so", {{2, 80}});
  ASSERT_TRUE(read_torch_arch_list(*f.ctx, kSite + "/torch"));
  auto listed = platform::RootedFileSystem(cache.path()).list("/gpuenv/fatbin");
  EXPECT_EQ(listed.entries.size(), 1u);
}

TEST(TorchvisionArchList, ReadsUnderscoreC) {
  Fixture f;
  f.lib(kSite + "/torchvision/_C.so", {{2, 75}, {1, 90, 0x8011, 80}});
  auto a = read_torchvision_arch_list(*f.ctx, kSite + "/torchvision");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->arch_list, (std::vector<std::string>{"sm_75", "compute_90"}));
}

TEST(CupyArchList, OnlyModulesWithDeviceCodeCount) {
  Fixture f;
  f.lib(kSite + "/cupy/cuda/cub.cpython-312-x86_64-linux-gnu.so", {{2, 80}, {1, 90, 0x11, 80}});
  f.tmp.write(kSite.substr(1) + "/cupy/_core/core.cpython-312-x86_64-linux-gnu.so", elf64({{".text", "x"}}));
  f.tmp.write(kSite.substr(1) + "/cupy/cuda/__init__.py", "");
  auto a = read_cupy_arch_list(*f.ctx, kSite + "/cupy");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->arch_list, (std::vector<std::string>{"sm_80", "compute_90"}));
  EXPECT_EQ(a->libraries, std::vector<std::string>{kSite + "/cupy/cuda/cub.cpython-312-x86_64-linux-gnu.so"});
}

TEST(CupyArchList, NoPrecompiledKernelsIsUnknown) {
  Fixture f;
  f.tmp.write(kSite.substr(1) + "/cupy/_core/core.cpython-312-x86_64-linux-gnu.so", elf64({{".text", "x"}}));
  EXPECT_FALSE(read_cupy_arch_list(*f.ctx, kSite + "/cupy"));
}

TEST(JaxPluginArchList, ReadsEverySharedObject) {
  Fixture f;
  f.lib(kSite + "/jax_cuda12_plugin/_linalg.so", {{2, 80}, {2, 90}});
  f.lib(kSite + "/jax_cuda12_plugin/_prng.so", {{2, 80}, {2, 90}});
  auto a = read_jax_plugin_arch_list(*f.ctx, kSite + "/jax_cuda12_plugin");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->arch_list, (std::vector<std::string>{"sm_80", "sm_90"}));
  EXPECT_EQ(a->libraries.size(), 2u);
}

}  // namespace
}  // namespace gpuenv::probes
