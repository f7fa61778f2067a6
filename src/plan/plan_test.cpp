// The planner on the FROZEN test knowledge base (tests/fixtures/kb/frozen.json), so updating
// data/kb does not rewrite these expectations.
#include "plan/plan.hpp"

#include <gtest/gtest.h>

#include "plan/output.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::plan {
namespace {

const kb::KnowledgeBase& frozen() {
  static const kb::KnowledgeBase kb = kb::KnowledgeBase::from_json(
      nlohmann::json::parse(test::read_file(test::source_dir() + "/tests/fixtures/kb/frozen.json")));
  return kb;
}

PlanGpu gpu(const char* name, int index = 0) {
  const kb::GpuModel* m = frozen().gpu_by_name(name);
  EXPECT_NE(m, nullptr) << name;
  return {index, m->name, m->architecture, m->chip, m->compute_capability, std::nullopt};
}

Request linux_req(std::vector<PlanGpu> gpus, const char* driver, const char* python) {
  Request r;
  r.gpus = std::move(gpus);
  if (driver) r.driver = driver;
  if (python) r.python = python;
  r.today = "2026-12-01";
  return r;
}

const Candidate* find(const Plan& p, const std::string& torch, const std::string& variant) {
  for (auto& c : p.alternatives)
    if (c.torch == torch && c.variant == variant) return &c;
  return nullptr;
}

TEST(Planner, Rtx4090On535IsMinorWithAdviceFor580) {
  Plan p = make_plan(linux_req({gpu("RTX 4090")}, "535.104.05", "3.11"), frozen());
  ASSERT_TRUE(p.recommendation);
  EXPECT_EQ(p.recommendation->torch, "2.14.0");
  EXPECT_EQ(p.recommendation->variant, "cu126");
  EXPECT_EQ(p.recommendation->compat, Compat::minor);
  ASSERT_EQ(p.recommendation->warnings.size(), 1u);
  EXPECT_EQ(p.recommendation->warnings[0].id, "plan.warning.minor");
  ASSERT_TRUE(p.driver_advice);
  EXPECT_EQ(p.driver_advice->minimum.driver, "580.65.06");
  EXPECT_EQ(p.driver_advice->minimum.variant, "cu130");
  ASSERT_EQ(p.driver_advice->steps.size(), 3u);
  EXPECT_EQ(p.driver_advice->steps[0].driver, "560.28.03");  // cu126 becomes direct
  EXPECT_EQ(p.driver_advice->steps[2].variant, "cu132");
  auto* cu130 = find(p, "2.14.0", "cu130");
  ASSERT_NE(cu130, nullptr);
  ASSERT_EQ(cu130->reasons.size(), 1u);
  EXPECT_EQ(cu130->reasons[0].gate, 1);
  EXPECT_EQ(
      cu130->reasons[0].text.en(),
      "CUDA 13.0 needs NVIDIA driver ≥ 580.65.06 (≥ 580 with minor-version compatibility); this machine has "
      "535.104.05");
  EXPECT_TRUE(p.findings.empty());
}

TEST(Planner, V100On580KeepsCu126AndExplainsCu130) {
  Plan p = make_plan(linux_req({gpu("Tesla V100")}, "580.95.05", "3.12"), frozen());
  ASSERT_TRUE(p.recommendation);
  EXPECT_EQ(p.recommendation->variant, "cu126");
  EXPECT_EQ(p.recommendation->compat, Compat::direct);
  EXPECT_FALSE(p.driver_advice);  // no driver makes a newer build run a V100
  auto* cu130 = find(p, "2.14.0", "cu130");
  ASSERT_NE(cu130, nullptr);
  EXPECT_EQ(cu130->compat, Compat::direct);
  ASSERT_EQ(cu130->reasons.size(), 1u);
  EXPECT_EQ(cu130->reasons[0].id, "gpu-arch-not-in-torch-build");
  EXPECT_EQ(
      cu130->reasons[0].text.en(),
      "no kernel for Tesla V100 SXM2 16GB (7.0): its cubins are sm_75, sm_80, sm_86, sm_90, sm_100, sm_120 "
      "(none for compute capability 7.0) and its PTX (compute_120) is newer than 7.0");
}

TEST(Planner, Rtx5090On550NeedsR570First) {
  Plan p = make_plan(linux_req({gpu("RTX 5090")}, "550.54.14", "3.12"), frozen());
  EXPECT_FALSE(p.recommendation);
  ASSERT_TRUE(p.driver_advice);
  EXPECT_EQ(p.driver_advice->minimum.driver, "570");
  EXPECT_TRUE(p.driver_advice->minimum.branch_only);
  EXPECT_EQ(p.driver_advice->minimum.torch, "2.11.0");
  EXPECT_EQ(p.driver_advice->minimum.variant, "cu128");
  ASSERT_FALSE(p.findings.empty());
  EXPECT_EQ(p.findings[0].id, "driver-too-old-for-gpu");
  EXPECT_EQ(
      p.findings[0].explanation.en(),
      "NVIDIA GeForce RTX 5090 (12.0) is a Blackwell GPU, which needs an NVIDIA driver of the 570 branch or "
      "newer; this machine has 550.54.14");
}

TEST(Planner, WindowsUsesTheWindowsColumn) {
  Request r = linux_req({gpu("RTX 3080")}, "560.94", "3.12");
  r.os = Os::windows;
  Plan p = make_plan(r, frozen());
  ASSERT_TRUE(p.recommendation);
  EXPECT_EQ(p.recommendation->variant, "cu126");
  EXPECT_EQ(p.recommendation->compat, Compat::direct);  // 12.6 GA on Windows: 560.76
  EXPECT_EQ(p.platform, "windows-x86_64");
  // The same driver number on Linux would be below 12.6 GA (560.28.03 < 560.94, so direct too),
  // but 560.70 separates the columns:
  Request l = linux_req({gpu("RTX 3080")}, "560.70", "3.12");
  Request w = l;
  w.os = Os::windows;
  EXPECT_EQ(make_plan(l, frozen()).recommendation->compat, Compat::direct);
  EXPECT_EQ(make_plan(w, frozen()).recommendation->compat, Compat::minor);
}

TEST(Planner, WslTakesWindowsDriversButLinuxWheels) {
  Request r = linux_req({gpu("RTX 3080")}, "560.70", "3.12");
  r.wsl = true;
  Plan p = make_plan(r, frozen());
  EXPECT_EQ(p.platform, "linux-x86_64");
  EXPECT_EQ(p.recommendation->compat, Compat::minor);
  ASSERT_TRUE(p.driver_advice);
  EXPECT_EQ(p.driver_advice->install_os, "wsl2");
}

TEST(Planner, PythonTooNewForTheSpec) {
  Request r = linux_req({}, nullptr, "3.13");
  r.torch_spec = "==2.4.*";
  Plan p = make_plan(r, frozen());
  EXPECT_FALSE(p.recommendation);
  ASSERT_EQ(p.findings.size(), 1u);
  EXPECT_EQ(p.findings[0].id, "python-unsupported-by-torch");
  EXPECT_EQ(p.findings[0].title.en(), "No torch ==2.4.* wheels for Python 3.13");
  EXPECT_EQ(p.findings[0].explanation.en(),
            "no wheels for Python 3.13: torch 2.4.1 supports Python 3.8, 3.9, 3.10, 3.11, 3.12");
}

TEST(Planner, NoGpuGivesTheCpuBuild) {
  Plan p = make_plan(linux_req({}, nullptr, "3.12"), frozen());
  ASSERT_TRUE(p.recommendation);
  EXPECT_EQ(p.recommendation->variant, "cpu");
  EXPECT_EQ(p.recommendation->compat, std::nullopt);
  EXPECT_EQ(p.recommendation->commands.pip,
            "python -m pip install torch==2.14.0 torchvision==0.29.0 --index-url "
            "https://download.pytorch.org/whl/cpu");
  EXPECT_FALSE(p.driver_advice);
}

TEST(Planner, MixedGpusFindABuildForBoth) {
  // cu126 lacks sm_120 and cu13x lacks sm_70, but 2.10 cu128 has both.
  Plan p = make_plan(linux_req({gpu("Tesla V100", 0), gpu("RTX 5090", 1)}, "580.95.05", "3.12"), frozen());
  ASSERT_TRUE(p.recommendation);
  EXPECT_EQ(p.recommendation->torch, "2.10.0");
  EXPECT_EQ(p.recommendation->variant, "cu128");
  EXPECT_EQ(p.served, (std::vector<int>{0, 1}));
  EXPECT_FALSE(p.cuda_visible_devices);
  EXPECT_EQ(p.recommendation->commands.pip,
            "python -m pip install torch==2.10.0 torchvision==0.25.0 torchaudio==2.10.0");
}

TEST(Planner, GpusNoBuildServesTogetherGetASubset) {
  // A K80 needs a driver ≤ R470, an RTX 5090 ≥ R570: with 580 the plan serves the 5090 only.
  Plan p = make_plan(linux_req({gpu("Tesla K80", 0), gpu("RTX 5090", 1)}, "580.95.05", "3.12"), frozen());
  ASSERT_TRUE(p.recommendation);
  EXPECT_EQ(p.recommendation->variant, "cu130");
  EXPECT_EQ(p.served, (std::vector<int>{1}));
  EXPECT_EQ(p.cuda_visible_devices, "1");
  EXPECT_EQ(p.recommendation->notes.back().id, "plan.note.subset");
}

TEST(Planner, KeplerOnANewDriverIsToldToGoBackToR470) {
  Plan p = make_plan(linux_req({gpu("Tesla K80")}, "535.104.05", "3.10"), frozen());
  EXPECT_FALSE(p.recommendation);
  ASSERT_TRUE(p.driver_advice);
  EXPECT_EQ(p.driver_advice->legacy_branch, 470);
  EXPECT_EQ(p.driver_advice->minimum.torch, "2.5.1");
  EXPECT_EQ(p.driver_advice->minimum.variant, "cu118");
  EXPECT_EQ(p.findings.front().id, "gpu-needs-legacy-driver");
}

TEST(Planner, CudaOptionRestrictsVariants) {
  Request r = linux_req({gpu("RTX 4090")}, "580.95.05", "3.12");
  r.cuda = "12.8";
  Plan p = make_plan(r, frozen());
  ASSERT_TRUE(p.recommendation);
  EXPECT_EQ(p.recommendation->torch, "2.11.0");
  EXPECT_EQ(p.recommendation->variant, "cu128");
  r.cuda = "12.7";
  Plan none = make_plan(r, frozen());
  ASSERT_EQ(none.findings.size(), 1u);
  EXPECT_EQ(none.findings[0].id, "cuda-variant-unavailable");
}

TEST(Planner, PtxOnlyNeedsDirect) {
  // A future 13.0 GPU runs cu130 only through compute_120 PTX: fine with a direct driver...
  Request r = linux_req({{0, "Future GPU", "", "", "13.0", std::nullopt}}, "580.95.05", "3.12");
  Plan p = make_plan(r, frozen());
  ASSERT_TRUE(p.recommendation);
  EXPECT_EQ(p.recommendation->variant, "cu130");
  EXPECT_EQ(p.recommendation->warnings[0].id, "plan.warning.ptx_jit");
  auto* cu132 = find(p, "2.14.0", "cu132");  // ...but not through minor-version compatibility
  ASSERT_NE(cu132, nullptr);
  EXPECT_EQ(cu132->reasons.back().text.id, "plan.reason.ptx_needs_direct");
}

TEST(Planner, UnknownDriverPlansForTheBestBuildAndSaysWhichDriver) {
  Plan p = make_plan(linux_req({gpu("RTX 4090")}, nullptr, "3.12"), frozen());
  ASSERT_TRUE(p.recommendation);
  EXPECT_EQ(p.recommendation->variant, "cu132");
  EXPECT_EQ(p.recommendation->warnings.back().id, "plan.warning.no_driver");
  EXPECT_EQ(p.recommendation->warnings.back().args[0].second, "595.45.04");
}

TEST(Planner, KbOutdatedFindings) {
  Request r = linux_req({gpu("RTX 4090")}, "700.12", "3.12");
  r.today = "2027-07-01";
  r.installed_torch = {"2.16.0+cu132"};
  r.torch_spec = ">=2.15";
  Plan p = make_plan(r, frozen());
  std::vector<std::string> texts;
  for (auto& f : p.findings)
    if (f.id == "kb-outdated") texts.push_back(f.explanation.id);
  EXPECT_EQ(texts,
            (std::vector<std::string>{"plan.finding.kb_outdated.driver", "plan.finding.kb_outdated.torch",
                                      "plan.finding.kb_outdated.spec", "plan.finding.kb_outdated.age"}));
  EXPECT_EQ(p.findings.back().id, "torch-version-unknown");
}

TEST(Planner, RequestFromMachineFacts) {
  facts::Machine m;
  facts::Gpu g;
  g.index = 0;
  g.pci_device_id = "0x2684";
  g.vendor = "nvidia";
  m.gpus.push_back(g);
  m.driver.version = "550.54.14";
  m.os.id = "ubuntu";
  m.os.version = "22.04";
  m.os.arch = "x86_64";
  facts::PythonEnv e;
  e.path = "/home/a/.venv";
  e.python = "3.11.9";
  e.active = true;
  e.packages["torch"].version = "2.3.1+cu121";
  m.python_envs.push_back(e);
  Request r = request_from_machine(m, frozen());
  ASSERT_EQ(r.gpus.size(), 1u);
  EXPECT_EQ(r.gpus[0].name, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(r.gpus[0].cc, "8.9");
  EXPECT_EQ(r.driver, "550.54.14");
  EXPECT_EQ(r.python, "3.11");
  EXPECT_EQ(r.installed_torch, (std::vector<std::string>{"2.3.1+cu121"}));
  Plan p = make_plan(r, frozen());
  ASSERT_TRUE(p.driver_advice);
  EXPECT_EQ(p.driver_advice->install_os, "ubuntu");
  EXPECT_EQ(p.driver_advice->install_commands,
            (std::vector<std::string>{"sudo apt update", "sudo apt install nvidia-driver-580"}));
}

TEST(Planner, RecommendationJsonHasTheDesignShape) {
  auto j = recommendation_json(make_plan(linux_req({gpu("RTX 4090")}, "535.104.05", "3.11"), frozen()));
  for (const char* k : {"torch", "variant", "torchvision", "torchaudio", "python", "compatibility",
                        "commands", "driver_advice"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["compatibility"], "minor");
  EXPECT_EQ(j["driver_advice"]["minimum"], "580.65.06");
  EXPECT_TRUE(
      recommendation_json(make_plan(linux_req({gpu("RTX 5090")}, "550.54.14", "3.12"), frozen())).is_null());
}

}  // namespace
}  // namespace gpuenv::plan
