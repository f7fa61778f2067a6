#include "fleet/query.hpp"

#include <gtest/gtest.h>

#include "fleet/report.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::fleet {
namespace {

const kb::KnowledgeBase& kb() {
  return kb::KnowledgeBase::builtin();
}

facts::Machine machine(const std::string& name) {
  auto p = parse_report(test::read_file(test::source_dir() + "/tests/fixtures/fleet/reports/" + name), kb());
  if (!p.report) throw std::runtime_error(p.error->reason.en());
  return *p.report->machine;
}

TEST(Query, VariantNames) {
  EXPECT_EQ(variant_cuda("cu130"), "13.0");
  EXPECT_EQ(variant_cuda("cu118"), "11.8");
  EXPECT_EQ(variant_cuda("cu102"), "10.2");
  for (auto bad : {"cpu", "cu13", "cu", "rocm6.2", "cu12a", "CU126", "xpu"})
    EXPECT_EQ(variant_cuda(bad), std::nullopt) << bad;
}

// The answers come from the planner and the embedded knowledge base (2026-11): torch 2.11 has a
// cu130 build, which needs the 580 driver branch.
TEST(Query, NewDriverCanRunIt) {
  auto v = ask(machine("hgx01.json"), kb(), {"==2.11.*", "cu130"});
  ASSERT_TRUE(v.can) << (v.reasons.empty() ? "" : v.reasons[0].text.en());
  EXPECT_EQ(v.torch, "2.11.0");
  EXPECT_EQ(v.variant, "cu130");
  EXPECT_EQ(v.compat, "direct");
  EXPECT_FALSE(v.cuda_visible_devices);
}

TEST(Query, OldDriverCannotAndSaysWhich) {
  auto v = ask(machine("gpu01.json"), kb(), {"==2.11.*", "cu130"});
  EXPECT_FALSE(v.can);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0].id, "driver-too-old-for-torch");
  EXPECT_NE(v.reasons[0].text.en().find("535.183.01"), std::string::npos) << v.reasons[0].text.en();
  EXPECT_EQ(v.driver_hint, "580");
}

TEST(Query, NewerDriverAloneDoesNotHelpOldGpus) {
  // Volta (7.0) on driver 470: CUDA 13.0 builds need the 580 branch and have no Volta kernels.
  auto v = ask(machine("old01.json"), kb(), {"==2.11.*", "cu130"});
  EXPECT_FALSE(v.can);
  ASSERT_EQ(v.reasons.size(), 2u);
  EXPECT_EQ(v.reasons[0].id, "driver-too-old-for-torch");
  EXPECT_EQ(v.reasons[1].id, "gpu-arch-not-in-torch-build");
  EXPECT_FALSE(v.driver_hint);
}

TEST(Query, MixedGpusRunOnTheOnesABuildServes) {
  // An RTX 3090 (8.6) and a GTX 1080 (6.1): CUDA 13 builds no longer carry Pascal kernels.
  auto v = ask(machine("mix01.json"), kb(), {"==2.11.*", "cu130"});
  ASSERT_TRUE(v.can) << (v.reasons.empty() ? "" : v.reasons[0].text.en());
  EXPECT_EQ(v.cuda_visible_devices, "0");
}

TEST(Query, NoGpuNoDriverNoRelease) {
  auto login = ask(machine("login1.json"), kb(), {"", "cu130"});
  EXPECT_FALSE(login.can);
  ASSERT_EQ(login.reasons.size(), 1u);
  EXPECT_EQ(login.reasons[0].id, "no-nvidia-gpu");
  EXPECT_EQ(login.reasons[0].text.en(), "no NVIDIA GPU for a cu130 build");
  auto cpu = ask(machine("login1.json"), kb(), {">=2.5", std::nullopt});
  ASSERT_TRUE(cpu.can);  // a CPU build
  EXPECT_EQ(cpu.variant, "cpu");
  auto nodrv = ask(machine("nodrv01.json"), kb(), {"==2.11.*", "cu130"});
  EXPECT_FALSE(nodrv.can);
  ASSERT_FALSE(nodrv.reasons.empty());
  EXPECT_EQ(nodrv.reasons[0].id, "driver-not-loaded");
  auto none = ask(machine("hgx01.json"), kb(), {"==1.0.*", std::nullopt});
  EXPECT_FALSE(none.can);
  EXPECT_FALSE(none.reasons.empty());
}

}  // namespace
}  // namespace gpuenv::fleet
