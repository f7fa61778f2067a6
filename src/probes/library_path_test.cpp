// LD_LIBRARY_PATH's directories and the CUDA-family libraries in them, from file names (issue 5).
#include <gtest/gtest.h>

#include <algorithm>

#include "platform/env.hpp"
#include "platform/fs.hpp"
#include "probes/loader.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::probes {
namespace {

TEST(CudaFamilyLibrary, NamesOfTheWheelsLibrariesAndTheirBundledCopies) {
  for (const char* yes : {"libcudnn.so.9", "libcudnn_ops.so.9.1.0", "libcublasLt.so.12.4.5.8", "libnccl.so.2",
                          "libcudart-e409450e.so.11.0", "libnvJitLink.so.12", "libcudart.so"})
    EXPECT_TRUE(is_cuda_family_library(yes)) << yes;
  for (const char* no :
       {"libcudart_static.a", "libcuda.so.1", "libcudnnx.so.9", "libc.so.6", "libnvidia-ml.so.1"})
    EXPECT_FALSE(is_cuda_family_library(no)) << no;
}

TEST(LibraryPath, ListsEachDirectoryInOrderOnceAndSkipsRelativeEntries) {
  test::TempDir root;
  root.write("usr/local/cuda-12.1/lib64/libcublas.so.12.1.3.1", "");
  root.symlink("libcublas.so.12.1.3.1", "usr/local/cuda-12.1/lib64/libcublas.so.12");
  root.write("usr/local/cuda-12.1/lib64/libcudart_static.a", "");
  root.write("usr/local/cuda-12.1/lib64/libnvToolsExt.so.1", "");
  root.write("opt/tools/lib/libfoo.so", "");
  platform::RootedFileSystem fs(root.path());
  platform::MapEnvironment env(std::map<std::string, std::string>{
      {"LD_LIBRARY_PATH",
       "/usr/local/cuda-12.1/lib64::lib:/opt/tools/lib:/usr/local/cuda-12.1/lib64:/nowhere"}});
  ProbeContext ctx{fs, env, kb::KnowledgeBase::builtin(), std::nullopt, {}, {}, {}, {}};
  auto dirs = probe_library_path(ctx);
  ASSERT_EQ(dirs.size(), 3u);
  EXPECT_EQ(dirs[0].dir, "/usr/local/cuda-12.1/lib64");
  EXPECT_EQ(dirs[0].libraries, (std::vector<std::string>{"libcublas.so.12", "libcublas.so.12.1.3.1"}));
  EXPECT_EQ(dirs[1].dir, "/opt/tools/lib");
  EXPECT_TRUE(dirs[1].libraries.empty());
  EXPECT_EQ(dirs[2].dir, "/nowhere");
  EXPECT_TRUE(ctx.warnings.empty());
  platform::MapEnvironment unset;
  ProbeContext none{fs, unset, kb::KnowledgeBase::builtin(), std::nullopt, {}, {}, {}, {}};
  EXPECT_TRUE(probe_library_path(none).empty());
}

// The real toolkit of this machine, where it has one: its lib64 holds the sonames alone.
TEST(LibraryPath, RealToolkitLib64) {
  platform::RootedFileSystem fs("/");
  fs.set_recording(false);
  if (fs.stat("/usr/local/cuda-13.0/lib64").kind != platform::FileKind::directory) GTEST_SKIP();
  platform::MapEnvironment env(
      std::map<std::string, std::string>{{"LD_LIBRARY_PATH", "/usr/local/cuda-13.0/lib64"}});
  ProbeContext ctx{fs, env, kb::KnowledgeBase::builtin(), std::nullopt, {}, {}, {}, {}};
  auto dirs = probe_library_path(ctx);
  ASSERT_EQ(dirs.size(), 1u);
  auto& libs = dirs[0].libraries;
  EXPECT_NE(std::find(libs.begin(), libs.end(), "libcudart.so.13"), libs.end());
  EXPECT_EQ(std::find(libs.begin(), libs.end(), "libcudart_static.a"), libs.end());
}

}  // namespace
}  // namespace gpuenv::probes
