#include "probes/fatbin_stub.hpp"

#include <gtest/gtest.h>

#include "probes/binary_arch.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::probes {
namespace {

TEST(FatbinStub, ReadsBackTheSameArchList) {
  test::TempDir tmp;
  const std::vector<std::string> list{"sm_70", "sm_80", "sm_90a", "sm_100f", "sm_120", "compute_120"};
  auto path = tmp.write("libtorch_cuda.so", fatbin_stub_elf(list));
  auto a = read_binary_archs(path, platform::CacheStore(""));
  ASSERT_FALSE(a.error) << a.error->text(path).en();
  EXPECT_EQ(a.arch_list(), list);
}

TEST(FatbinStub, UnknownTargetsAreLeftOut) {
  test::TempDir tmp;
  auto path = tmp.write("lib.so", fatbin_stub_elf({"sm_80", "bogus", "sm_", "compute_9x"}));
  auto a = read_binary_archs(path, platform::CacheStore(""));
  ASSERT_FALSE(a.error);
  EXPECT_EQ(a.arch_list(), std::vector<std::string>{"sm_80"});
}

}  // namespace
}  // namespace gpuenv::probes
