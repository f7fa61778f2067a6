// The knowledge base on its EMBEDDED data: every table's invariants, the lookups the planner and
// probes rely on, and the JSON round trip that `gpuenv matrix --json` / `--kb FILE` depend on.
#include "kb/kb.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/testsupport.hpp"

namespace gpuenv::kb {
namespace {

const KnowledgeBase& kb() {
  return KnowledgeBase::builtin();
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += x + "\n";
  return s;
}

TEST(KbEmbedded, HasNoDataProblems) {
  EXPECT_EQ(joined(kb().check()), "");
}

TEST(KbEmbedded, EveryTableHasRowsAndASource) {
  for (auto* s :
       {&kb().gpus_source, &kb().chips_source, &kb().driver_branches_source, &kb().arch_support_source,
        &kb().cuda_releases_source, &kb().cuda_families_source, &kb().cuda_targets_source, &kb().cudnn_source,
        &kb().torch_source, &kb().driver_install_source, &kb().uv_torch_backends_source}) {
    EXPECT_FALSE(s->source.empty());
    EXPECT_EQ(s->checked.size(), 10u) << s->source;
  }
  EXPECT_GT(kb().gpus.size(), 350u);
  EXPECT_GE(kb().torch.size(), 17u);
}

TEST(KbEmbedded, FrozenTestCopyIsSoundToo) {
  auto text = test::read_file(test::source_dir() + "/tests/fixtures/kb/frozen.json");
  auto frozen = KnowledgeBase::from_json(nlohmann::json::parse(text));
  EXPECT_EQ(joined(frozen.check()), "");
  EXPECT_EQ(frozen.newest_torch(), "2.14.0");
}

TEST(KbEmbedded, Table3GaRowsPerOs) {
  auto* c = kb().cuda_ga("12.6");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->label, "12.6 GA");
  EXPECT_EQ(c->linux_driver, "560.28.03");
  EXPECT_EQ(c->windows_driver, "560.76");
  auto* c13 = kb().cuda_ga("13.0");
  ASSERT_NE(c13, nullptr);
  EXPECT_EQ(c13->linux_driver, "580.65.06");
  EXPECT_EQ(c13->windows_driver, std::nullopt);  // N/A in the table
  EXPECT_EQ(kb().cuda_ga("11.0")->label, "11.0.2 GA");
  EXPECT_EQ(kb().cuda_ga("12.7"), nullptr);  // there was never a 12.7 toolkit
  EXPECT_EQ(kb().newest_cuda(), "13.3");
}

TEST(KbEmbedded, MinorVersionFamilies) {
  EXPECT_EQ(kb().cuda_family("12.6")->linux_driver, "525.60.13");
  EXPECT_EQ(kb().cuda_family("12.6")->windows_driver, "528.33");
  EXPECT_EQ(kb().cuda_family("11.8")->linux_driver, "450.80.02");
  EXPECT_EQ(kb().cuda_family("11.0")->linux_driver, "450.36.06");
  EXPECT_EQ(kb().cuda_family("13.2")->linux_driver, "580");
  EXPECT_EQ(kb().cuda_family("10.2"), nullptr);
  EXPECT_EQ(kb().cuda_family("not a version"), nullptr);
}

TEST(KbEmbedded, TargetsDropVoltaIn13) {
  auto has = [](const char* cuda, int sm) {
    auto* t = kb().targets_for(cuda);
    return t && std::find(t->sm.begin(), t->sm.end(), sm) != t->sm.end();
  };
  EXPECT_TRUE(has("12.9", 70));
  EXPECT_FALSE(has("13.0", 70));
  EXPECT_TRUE(has("13.0", 110));
  EXPECT_FALSE(has("12.6", 120));
  EXPECT_TRUE(has("12.8", 120));
  EXPECT_FALSE(has("12.0", 37));
}

TEST(KbEmbedded, GpusFromTheAppendices) {
  auto* g = kb().gpu_by_pci_id("0x2684");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->name, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(g->compute_capability, "8.9");
  EXPECT_EQ(g->memory_mib, 24576);
  EXPECT_EQ(kb().gpu_by_pci_id("1db4")->compute_capability, "7.0");
  EXPECT_EQ(kb().gpu_by_pci_id("1DB4")->chip, "GV100GL");
  EXPECT_EQ(kb().gpu_by_pci_id("0x2b85")->compute_capability, "12.0");
  EXPECT_EQ(kb().gpu_by_pci_id("0x2e12")->compute_capability, "12.1");  // GB10
  EXPECT_EQ(kb().gpu_by_pci_id("0x25a7"), nullptr);                     // RTX 2050: CC not in the reference
  EXPECT_EQ(kb().gpu_by_pci_id("0x2206")->memory_mib, std::nullopt);    // 10 or 12 GB
  EXPECT_EQ(kb().gpu_by_name("RTX 5090")->name, "NVIDIA GeForce RTX 5090");
  EXPECT_EQ(kb().gpu_by_name("rtx 3080")->compute_capability, "8.6");
  EXPECT_EQ(kb().gpu_by_name("Tesla V100")->compute_capability, "7.0");
  EXPECT_EQ(kb().gpu_by_name("GeForce GTX 1080")->compute_capability, "6.1");
  // Names a PCI id shares keep the id's capability: 0x1e30 is Quadro RTX 6000 and 8000.
  EXPECT_EQ(kb().gpu_by_name("Quadro RTX 8000")->pci_device_id, "0x1e30");
  EXPECT_EQ(kb().gpu_by_name("Quadro RTX 8000")->memory_mib, 49152);
}

TEST(KbEmbedded, DriverSupportPerGeneration) {
  auto* b = kb().support_for("Blackwell", "", "12.0");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->min_branch, 570);
  EXPECT_EQ(kb().support_for("Blackwell", "", "12.1")->min_branch, 575);
  EXPECT_EQ(kb().support_for("Blackwell", "GB202", "")->min_branch, 570);
  EXPECT_EQ(kb().support_for("Pascal", "GP104", "6.1")->last_branch, 580);
  EXPECT_EQ(kb().support_for("Kepler", "", "3.7")->last_branch, 470);
  EXPECT_EQ(kb().support_for("Ada Lovelace", "AD102", "8.9"), nullptr);
}

TEST(KbEmbedded, TorchSeriesFacts) {
  EXPECT_EQ(kb().newest_torch(), "2.14.0");
  auto* s = kb().torch_series("2.4");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->python, (std::vector<std::string>{"3.8", "3.9", "3.10", "3.11", "3.12"}));
  EXPECT_EQ(s->default_variant(kLinuxX86), "cu121");
  EXPECT_EQ(s->default_variant(kWindowsX86), "cpu");
  EXPECT_EQ(s->index_url("cu124"), "https://download.pytorch.org/whl/cu124");
  auto* v = kb().torch_series("2.14")->variant("cu130");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->cuda, "13.0");
  EXPECT_EQ(v->toolkit, "13.0.2");
  EXPECT_EQ(v->arch_for(kLinuxX86)->arch_list, (std::vector<std::string>{"sm_75", "sm_80", "sm_86", "sm_90",
                                                                         "sm_100", "sm_120", "compute_120"}));
  EXPECT_EQ(v->arch_for(kWindowsX86)->arch_list.back(), "sm_120");  // +PTX is Linux only
  auto* unknown = kb().torch_series("2.6")->variant("cu126");
  EXPECT_EQ(unknown->arch_for(kLinuxX86)->list, std::nullopt);  // unconfirmed: left out
  EXPECT_EQ(kb().torch_series("2.12")->releases.back().torchaudio, std::nullopt);
  EXPECT_EQ(kb().torch_series("2.0")->releases.front().conda_torchvision, "0.15.0");
}

TEST(ParseTorchArchList, RealListsFromBuildScripts) {
  EXPECT_EQ(
      parse_torch_arch_list("5.0;6.0;7.0;7.5;8.0;8.6;3.7;9.0"),
      (std::vector<std::string>{"sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_37", "sm_90"}));
  EXPECT_EQ(parse_torch_arch_list("3.7+PTX;5.0;6.0;6.1;7.0;7.5"),
            (std::vector<std::string>{"sm_37", "compute_37", "sm_50", "sm_60", "sm_61", "sm_70", "sm_75"}));
  EXPECT_EQ(parse_torch_arch_list("8.0;9.0;10.0;11.0;12.0+PTX"),
            (std::vector<std::string>{"sm_80", "sm_90", "sm_100", "sm_110", "sm_120", "compute_120"}));
  EXPECT_EQ(parse_torch_arch_list("9.0a 10.0f"), (std::vector<std::string>{"sm_90a", "sm_100f"}));
}

TEST(ParseTorchArchList, RejectsWhatIsNotAList) {
  for (const char* bad :
       {"", ";", "8", "8.", ".8", "8.6.1", "sm_86", "8.6+ptx", "8.6b", "x.y", "12.0+PTX+PTX"})
    EXPECT_EQ(parse_torch_arch_list(bad), std::nullopt) << bad;
}

TEST(VersionLess, NumericComponents) {
  EXPECT_TRUE(version_less("2.9.1", "2.10.0"));
  EXPECT_FALSE(version_less("2.10.0", "2.9.1"));
  EXPECT_FALSE(version_less("12.6", "12.6.0"));
  EXPECT_FALSE(version_less("12.6.0", "12.6"));
  EXPECT_TRUE(version_less("3.9", "3.13"));
  EXPECT_TRUE(version_less("580", "580.65.06"));
  EXPECT_FALSE(version_less("", ""));
}

TEST(KbJson, RoundTripsExactly) {
  auto j = kb().to_json();
  auto again = KnowledgeBase::from_json(nlohmann::json::parse(j.dump())).to_json();
  EXPECT_EQ(j.dump(), again.dump());
}

TEST(KbJson, MalformedRowsNameTableAndRow) {
  auto j = nlohmann::json::parse(kb().to_json().dump());
  j["tables"]["torch"]["rows"][3]["variants"][0]["arch"]["linux-x86_64"] = "8.6;nine";
  try {
    KnowledgeBase::from_json(j);
    FAIL() << "accepted a broken arch list";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(),
                 "kb table torch row 3 (1.13) variant cu116: arch of linux-x86_64: cannot read \"8.6;nine\"");
  }
  auto k = nlohmann::json::parse(kb().to_json().dump());
  k["tables"]["cuda_releases"]["rows"][2].erase("label");
  EXPECT_THROW(KnowledgeBase::from_json(k), std::runtime_error);
}

TEST(KbCheck, ReportsEachKindOfProblem) {
  KnowledgeBase bad = kb();
  std::swap(bad.gpus[0], bad.gpus[5]);
  bad.cuda_releases.push_back(bad.cuda_releases.front());
  auto& s = bad.torch.back();
  s.variants[0].cuda = "12.7";
  s.variants[0].name = "cu127";
  s.releases.push_back(s.releases.back());
  s.note = "";
  bad.cudnn_source.source = "";
  auto problems = joined(bad.check());
  EXPECT_NE(problems.find("gpus: row 5 (0x0ff5 GRID K1 Tesla USM) is out of order"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("cuda_releases: 9.0.76 GA is a duplicate"), std::string::npos) << problems;
  EXPECT_NE(problems.find("torch: 2.14 cu127: CUDA 12.7 is not in cuda_releases"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("torch: 2.14.0 is out of order"), std::string::npos) << problems;
  EXPECT_NE(problems.find("torch: 2.14.0: no torchaudio pair and no note saying why"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("cudnn: no source"), std::string::npos) << problems;
}

TEST(KbCheck, ArchListsMustBeTargetsOfTheirCuda) {
  KnowledgeBase bad = kb();
  auto& v = bad.torch.back().variants[1];  // 2.14 cu130
  for (auto& a : v.arch)
    if (a.platform == kLinuxX86) a.arch_list.push_back("sm_70");
  auto problems = joined(bad.check());
  EXPECT_EQ(problems, "torch: 2.14 cu130 linux-x86_64: sm_70 is not a target of CUDA 13.0\n");
}

}  // namespace
}  // namespace gpuenv::kb
