// The reader on the real NVIDIA libraries of /usr/local/cuda-13.0/lib64, where this machine has them
// (issue 6 acceptance): each library with a fat binary section lists a non-empty set of targets that
// CUDA 13.0 can build; a library without one has none. Skipped where the toolkit is absent.
#include <gtest/gtest.h>

#include <set>

#include "kb/arch.hpp"
#include "platform/fs.hpp"
#include "probes/binary_arch.hpp"

namespace gpuenv::probes {
namespace {

const std::string kLib64 = "/usr/local/cuda-13.0/lib64";

// `sm_XY` CUDA 13.0 can compile for (reference/cuda-facts.md §4, from CMake's list for 13.0).
const std::set<int> kCuda130 = {75, 80, 86, 87, 88, 89, 90, 100, 103, 110, 120, 121};

// The real files (not the symlinks) of the libraries in lib64.
std::vector<std::string> libraries() {
  platform::RootedFileSystem fs("/");
  fs.set_recording(false);
  std::vector<std::string> out;
  for (auto& e : fs.list(kLib64).entries)
    if (e.kind == platform::FileKind::regular && e.name.find(".so") != std::string::npos)
      out.push_back(kLib64 + "/" + e.name);
  return out;
}

TEST(CudaLibraries, EveryFatbinLibraryListsTargetsCuda130Knows) {
  auto libs = libraries();
  if (libs.empty()) GTEST_SKIP() << kLib64 << " not present";
  platform::CacheStore no_cache("");
  int with_fatbin = 0;
  for (auto& path : libs) {
    auto a = read_binary_archs(path, no_cache);
    ASSERT_FALSE(a.error) << a.error->text(path).en();
    if (a.sections.empty()) {
      EXPECT_TRUE(a.arch_list().empty()) << path;
      continue;
    }
    ++with_fatbin;
    auto list = a.arch_list();
    EXPECT_FALSE(list.empty()) << path;
    // cuDNN is a separate product whose engines still carry sm_70 code; the toolkit's own libraries
    // must hold only targets that CUDA 13.0 builds.
    bool toolkit_own = path.find("libcudnn") == std::string::npos;
    for (auto& t : list) {
      auto parsed = kb::parse_arch_target(t);
      ASSERT_TRUE(parsed) << path << ": " << t;
      int n = parsed->major * 10 + parsed->minor;
      if (toolkit_own) {
        EXPECT_TRUE(kCuda130.count(n)) << path << ": " << t;
      }
      EXPECT_GE(n, 70) << path << ": " << t;
    }
  }
  EXPECT_GT(with_fatbin, 0);
}

TEST(CudaLibraries, CudartHasNoFatbin) {
  const std::string path = kLib64 + "/libcudart.so.13";
  platform::RootedFileSystem fs("/");
  if (fs.stat(path).kind == platform::FileKind::missing) GTEST_SKIP() << path << " not present";
  auto a = read_binary_archs(*fs.host_path(path), platform::CacheStore(""));
  EXPECT_FALSE(a.error);
  EXPECT_TRUE(a.sections.empty());
  EXPECT_TRUE(a.arch_list().empty());
}

}  // namespace
}  // namespace gpuenv::probes
