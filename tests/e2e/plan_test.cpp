// `gpuenv plan` end to end: the worked examples of issue 4 on the frozen knowledge base (--kb), a
// fixture root with nothing on it (--root), and a fixed date, so the output depends on nothing else.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

const std::map<std::string, std::string> kEnv{{"GPUENV_TODAY", "2026-12-01"}};

platform::CommandResult plan(std::vector<std::string> args) {
  std::vector<std::string> all{"plan", "--kb", source_dir() + "/tests/fixtures/kb/frozen.json", "--root",
                               fixture_root("empty")};
  all.insert(all.end(), args.begin(), args.end());
  return run_gpuenv(all, kEnv);
}

nlohmann::json plan_json(std::vector<std::string> args, int expected_exit = 0) {
  args.push_back("--json");
  auto r = plan(args);
  EXPECT_EQ(r.exit_code, expected_exit) << r.err;
  return nlohmann::json::parse(r.out);
}

const nlohmann::json* alternative(const nlohmann::json& j, const std::string& torch,
                                  const std::string& variant) {
  for (auto& a : j["alternatives"])
    if (a["torch"] == torch && a["variant"] == variant) return &a;
  return nullptr;
}

TEST(PlanE2e, Rtx4090Driver535IsCu126MinorWithAdvice) {
  auto j = plan_json({"--gpu", "RTX 4090", "--driver", "535.104.05", "--python-version", "3.11"});
  EXPECT_EQ(j["schema_version"], 1);
  auto& r = j["recommendation"];
  EXPECT_EQ(r["torch"], "2.14.0");
  EXPECT_EQ(r["variant"], "cu126");
  EXPECT_EQ(r["compatibility"], "minor");
  EXPECT_EQ(r["python"], "3.11");
  EXPECT_EQ(r["warnings"][0],
            "This build runs only through minor-version compatibility: CUDA 12.6 wants NVIDIA driver ≥ "
            "560.28.03, and "
            "this machine has 535.104.05 (≥ 525.60.13 is the floor). PTX JIT and CUDA APIs new in 12.6 can "
            "fail; update "
            "the driver (see below).");
  EXPECT_EQ(r["driver_advice"]["minimum"], "580.65.06");
  EXPECT_EQ(r["driver_advice"]["unlocks"]["variant"], "cu130");
  auto* cu130 = alternative(j, "2.14.0", "cu130");
  ASSERT_NE(cu130, nullptr);
  EXPECT_EQ((*cu130)["status"], "rejected");
  EXPECT_EQ((*cu130)["reasons"][0]["id"], "driver-too-old-for-torch");
}

TEST(PlanE2e, Rtx4090TextIsTheGolden) {
  auto r = plan({"--gpu", "RTX 4090", "--driver", "535.104.05", "--python-version", "3.11"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string golden = source_dir() + "/tests/e2e/golden/plan_rtx4090_535.txt";
  if (update_golden()) write_file(golden, r.out);
  EXPECT_EQ(r.out, read_file(golden));
}

TEST(PlanE2e, V100KeepsCu126BecauseCu130HasNoKernelForIt) {
  auto j = plan_json({"--gpu", "Tesla V100", "--driver", "580.95.05", "--python-version", "3.12"});
  EXPECT_EQ(j["recommendation"]["variant"], "cu126");
  EXPECT_EQ(j["recommendation"]["compatibility"], "direct");
  auto* cu130 = alternative(j, "2.14.0", "cu130");
  ASSERT_NE(cu130, nullptr);
  EXPECT_EQ((*cu130)["compatibility"], "direct");
  EXPECT_EQ((*cu130)["reasons"][0]["gate"], 2);
  EXPECT_EQ((*cu130)["reasons"][0]["text"],
            "no kernel for Tesla V100 SXM2 16GB (7.0): its cubins are sm_75, sm_80, sm_86, sm_90, sm_100, "
            "sm_120 (none "
            "for compute capability 7.0) and its PTX (compute_120) is newer than 7.0");
}

TEST(PlanE2e, Rtx5090Driver550NeedsR570ThenCu128) {
  auto j = plan_json({"--gpu", "RTX 5090", "--driver", "550.54.14", "--python-version", "3.12"}, 1);
  EXPECT_TRUE(j["recommendation"].is_null());
  EXPECT_EQ(j["findings"][0]["id"], "driver-too-old-for-gpu");
  EXPECT_EQ(j["findings"][0]["severity"], "error");
  auto& a = j["driver_advice"];
  EXPECT_EQ(a["minimum"], "570");
  EXPECT_EQ(a["branch_only"], true);
  EXPECT_EQ(a["unlocks"]["torch"], "2.11.0");
  EXPECT_EQ(a["unlocks"]["variant"], "cu128");
  for (auto& alt : j["alternatives"]) EXPECT_EQ(alt["reasons"][0]["id"], "driver-too-old-for-gpu") << alt;
}

TEST(PlanE2e, Rtx3080WindowsDriver56094IsCu126Direct) {
  auto j =
      plan_json({"--gpu", "RTX 3080", "--driver", "560.94", "--os", "windows", "--python-version", "3.12"});
  EXPECT_EQ(j["machine"]["platform"], "windows-x86_64");
  EXPECT_EQ(j["recommendation"]["variant"], "cu126");
  EXPECT_EQ(j["recommendation"]["compatibility"], "direct");
  EXPECT_EQ(j["recommendation"]["commands"]["pip"],
            "python -m pip install torch==2.14.0 torchvision==0.29.0 --index-url "
            "https://download.pytorch.org/whl/cu126");
}

TEST(PlanE2e, Torch24OnPython313HasNoWheel) {
  auto j = plan_json({"--torch", "==2.4.*", "--python-version", "3.13"}, 1);
  EXPECT_TRUE(j["recommendation"].is_null());
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["id"], "python-unsupported-by-torch");
  EXPECT_EQ(j["findings"][0]["title"], "No torch ==2.4.* wheels for Python 3.13");
  EXPECT_EQ(j["findings"][0]["explanation"],
            "no wheels for Python 3.13: torch 2.4.1 supports Python 3.8, 3.9, 3.10, 3.11, 3.12");
}

TEST(PlanE2e, JapaneseText) {
  auto r = plan({"--gpu", "RTX 4090", "--driver", "535.104.05", "--python-version", "3.11", "--lang", "ja"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("インストールするもの: torch 2.14.0 + cu126（CUDA 12.6、minor）"), std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find("ドライバ: NVIDIAドライバ 580.65.06 以上で torch 2.14.0 + cu130 が使えるようになります。"),
      std::string::npos);
}

TEST(PlanE2e, InstallerSelectsOneCommand) {
  auto r =
      plan({"--gpu", "0x2684", "--driver", "580.95.05", "--python-version", "3.12", "--installer", "uv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  uv    uv pip install torch==2.14.0 torchvision==0.29.0\n"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("  pip   "), std::string::npos);
}

TEST(PlanE2e, UsageErrors) {
  auto os = plan({"--os", "macos"});
  EXPECT_EQ(os.exit_code, 2);
  EXPECT_NE(os.err.find("--os macos: use one of linux, windows"), std::string::npos) << os.err;
  auto spec = plan({"--torch", "latest"});
  EXPECT_EQ(spec.exit_code, 2);
  EXPECT_NE(spec.err.find("--torch latest: not a version specifier"), std::string::npos) << spec.err;
  auto gpu = plan({"--gpu", "RTX 9999"});
  EXPECT_EQ(gpu.exit_code, 2);
  EXPECT_NE(gpu.err.find("unknown GPU RTX 9999"), std::string::npos) << gpu.err;
  auto driver = plan({"--driver", "latest"});
  EXPECT_EQ(driver.exit_code, 2);
}

TEST(PlanE2e, KnowledgeBaseAgeFromTheDate) {
  auto r = run_gpuenv({"plan", "--kb", source_dir() + "/tests/fixtures/kb/frozen.json", "--root",
                       fixture_root("empty"), "--python-version", "3.12", "--json"},
                      {{"GPUENV_TODAY", "2027-07-01"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["id"], "kb-outdated");
  EXPECT_EQ(j["findings"][0]["severity"], "info");
}

}  // namespace
}  // namespace gpuenv::test
