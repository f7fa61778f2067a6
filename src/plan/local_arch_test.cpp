#include "plan/local_arch.hpp"

#include <gtest/gtest.h>

namespace gpuenv::plan::local {
namespace {

using K = Coverage::Kind;
// torch 2.14 cu130 on Linux x86_64 (RELEASE.md CUDA support matrix).
const std::vector<std::string> cu130 = {"sm_75",  "sm_80",  "sm_86",      "sm_90",
                                        "sm_100", "sm_120", "compute_120"};
// torch 2.14 cu126.
const std::vector<std::string> cu126 = {"sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"};

TEST(LocalArch, SameMajorCubinRunsOnNewerMinor) {
  EXPECT_EQ(coverage(cu126, 8, 9).via, "sm_86");    // RTX 4090 on sm_86
  EXPECT_EQ(coverage(cu126, 6, 1).via, "sm_60");    // GTX 1080 on sm_60
  EXPECT_EQ(coverage(cu130, 12, 1).via, "sm_120");  // GB10 on sm_120
  EXPECT_EQ(coverage(cu130, 10, 3).via, "sm_100");  // B300 on sm_100
}

TEST(LocalArch, NoCubinAcrossMajorsAndPtxOnlyUpward) {
  auto v100 = coverage(cu130, 7, 0);
  EXPECT_EQ(v100.kind, K::none);  // compute_120 is newer than 7.0
  EXPECT_EQ(v100.via, "");
  EXPECT_EQ(coverage(cu126, 12, 0).kind, K::none);  // RTX 5090 on cu126: no kernel image
  auto future = coverage(cu130, 13, 0);
  EXPECT_EQ(future.kind, K::ptx);
  EXPECT_EQ(future.via, "compute_120");
}

TEST(LocalArch, ArchSpecificAndFamilyCubins) {
  EXPECT_EQ(coverage({"sm_90a"}, 9, 0).kind, K::cubin);
  EXPECT_EQ(coverage({"sm_90a"}, 9, 1).kind, K::none);
  EXPECT_EQ(coverage({"sm_100a"}, 10, 3).kind, K::none);
  EXPECT_EQ(coverage({"sm_100f"}, 10, 3).kind, K::cubin);
  EXPECT_EQ(coverage({"sm_103f"}, 10, 0).kind, K::none);
}

TEST(LocalArch, NewestUsablePtxWins) {
  auto c = coverage({"sm_50", "compute_50", "compute_70", "compute_90"}, 8, 6);
  EXPECT_EQ(c.kind, K::ptx);
  EXPECT_EQ(c.via, "compute_70");
}

TEST(LocalArch, ParseEntries) {
  auto e = parse_arch_entry("sm_120a");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->major, 12);
  EXPECT_EQ(e->minor, 0);
  EXPECT_EQ(e->suffix, 'a');
  EXPECT_TRUE(parse_arch_entry("compute_37")->ptx);
  for (const char* bad : {"sm_", "sm_8", "sm_1234", "gfx90a", "sm_8x", "compute_"})
    EXPECT_FALSE(parse_arch_entry(bad)) << bad;
}

}  // namespace
}  // namespace gpuenv::plan::local
