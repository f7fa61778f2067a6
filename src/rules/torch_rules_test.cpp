#include <gtest/gtest.h>

#include <algorithm>

#include "kb/kb.hpp"
#include "rules/rules.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::rules {
namespace {

facts::Machine machine(const char* driver = "535.104.05", const char* cuda_max = "12.2") {
  facts::Machine m;
  m.os.id = "ubuntu";
  m.os.version = "22.04";
  facts::Gpu g;
  g.name = "NVIDIA GeForce RTX 3090";
  g.architecture = "Ampere";
  g.compute_capability = "8.6";
  g.chip = "GA102";
  g.kernel_driver = "nvidia";
  g.pci_bus_id = "0000:01:00.0";
  g.pci_device_id = "0x2204";
  g.memory_mib = 24576;
  g.source = "test";
  m.gpus.push_back(g);
  m.driver.version = driver;
  m.driver.userspace_version = driver;
  m.driver.cuda_max = cuda_max;
  m.driver.cuda_max_source = "kb";
  m.driver.module_loaded = true;
  m.driver.source = "/proc/driver/nvidia/version";
  m.driver.device_nodes = {{"/dev/nvidia0", true}, {"/dev/nvidiactl", true}};
  return m;
}

facts::Package pkg(const char* version, const char* variant = nullptr, const char* cuda = nullptr,
                   const char* source = "pip") {
  facts::Package p;
  p.version = version;
  if (variant) p.variant = variant;
  if (cuda) p.cuda = cuda;
  p.source = source;
  p.installer = std::string(source) == "pip" ? "pip" : "conda";
  return p;
}

facts::PythonEnv venv(const char* python = "3.11.9") {
  facts::PythonEnv e;
  e.path = "/home/a/.venv";
  e.kind = "venv";
  e.python = python;
  e.interpreter = "/home/a/.venv/bin/python";
  e.site_packages = {"/home/a/.venv/lib/python3.11/site-packages"};
  return e;
}

// torch 2.5.1+cu124 from pip with the nvidia-* wheels it requires.
facts::PythonEnv cu124_env() {
  auto e = venv();
  auto t = pkg("2.5.1+cu124", "cu124", "12.4");
  t.requires_dist = {"nvidia-cuda-runtime-cu12==12.4.127", "nvidia-cudnn-cu12==9.1.0.70",
                     "nvidia-cublas-cu12==12.4.5.8", "triton==3.1.0"};
  e.packages["torch"] = t;
  e.packages["nvidia-cuda-runtime-cu12"] = pkg("12.4.127");
  e.packages["nvidia-cudnn-cu12"] = pkg("9.1.0.70");
  e.packages["nvidia-cublas-cu12"] = pkg("12.4.5.8");
  return e;
}

facts::PythonEnv cu_env(const char* version, const char* variant, const char* cuda) {
  auto e = venv();
  e.packages["torch"] = pkg(version, variant, cuda);
  return e;
}

const Finding* find(const std::vector<Finding>& fs, const std::string& id) {
  auto it = std::find_if(fs.begin(), fs.end(), [&](auto& f) { return f.id == id; });
  return it == fs.end() ? nullptr : &*it;
}

std::vector<std::string> ids(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (auto& f : fs) out.push_back(f.id);
  return out;
}

std::vector<Finding> run(const facts::Machine& m, const RuleOptions& opt = {"2026-11-30", {}}) {
  return evaluate(m, kb::KnowledgeBase::builtin(), opt);
}

TEST(TorchCudaLibs, MissingRequiredWheelIsAnErrorWithThePinnedInstall) {
  auto m = machine("560.35.03", "12.6");
  auto e = cu124_env();
  e.packages.erase("nvidia-cudnn-cu12");
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "torch-cuda-libs-missing");
  ASSERT_NE(f, nullptr) << ::testing::PrintToString(ids(fs));
  EXPECT_EQ(f->severity, Severity::error);
  EXPECT_EQ(f->env, "/home/a/.venv");
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(f->fixes[0].commands,
            std::vector<std::string>{"/home/a/.venv/bin/python -m pip install nvidia-cudnn-cu12==9.1.0.70"});
  ASSERT_FALSE(f->evidence.empty());
  EXPECT_NE(f->evidence[0].find("nvidia-cudnn-cu12==9.1.0.70"), std::string::npos);
}

TEST(TorchCudaLibs, AllWheelsPresentIsNothing) {
  auto m = machine("560.35.03", "12.6");
  m.python_envs.push_back(cu124_env());
  auto fs = run(m);
  EXPECT_TRUE(fs.empty()) << ::testing::PrintToString(ids(fs));
}

TEST(TorchCudaLibs, BundledWheelNeedsItsRuntimeInTorchLib) {
  auto m = machine("560.35.03", "12.6");
  auto e = cu_env("1.13.1+cu117", "cu117", "11.7");
  e.packages["torch"].libs_dir = "/home/a/.venv/lib/python3.11/site-packages/torch/lib";
  e.packages["torch"].libs = {"libcudart-e409450e.so.11.0", "libcudnn.so.8", "libtorch_cuda.so"};
  m.python_envs.push_back(e);
  EXPECT_EQ(find(run(m), "torch-cuda-libs-missing"), nullptr);

  m.python_envs[0].packages["torch"].libs = {"libtorch_cuda.so"};
  auto fs = run(m);
  const Finding* f = find(fs, "torch-cuda-libs-missing");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->evidence[1].find("torch/lib: no libcudart"), std::string::npos) << f->evidence[1];
}

TEST(TorchCudaLibs, UnlistedTorchLibIsNotGuessed) {
  auto m = machine("560.35.03", "12.6");
  m.python_envs.push_back(cu_env("1.13.1+cu117", "cu117", "11.7"));  // no requires, libs_dir unknown
  EXPECT_EQ(find(run(m), "torch-cuda-libs-missing"), nullptr);
}

TEST(DriverGate, Cu118OnDriver470IsMinorCompatNotTooOld) {
  auto m = machine("470.256.02", "11.4");
  m.python_envs.push_back(cu_env("2.3.1+cu118", "cu118", "11.8"));
  auto fs = run(m);
  EXPECT_EQ(find(fs, "driver-too-old-for-torch"), nullptr);
  const Finding* f = find(fs, "driver-minor-compat");
  ASSERT_NE(f, nullptr) << ::testing::PrintToString(ids(fs));
  EXPECT_EQ(f->severity, Severity::warning);
  EXPECT_EQ(exit_code_for(fs), 0);
  bool names_minimum = std::any_of(f->evidence.begin(), f->evidence.end(), [](auto& s) {
    return s.find("520.61.05") != std::string::npos && s.find("450.80.02") != std::string::npos;
  });
  EXPECT_TRUE(names_minimum) << ::testing::PrintToString(f->evidence);
}

TEST(DriverGate, Cu118BelowTheFamilyFloorIsTooOld) {
  auto m = machine("450.51.06", "11.0");
  m.python_envs.push_back(cu_env("2.3.1+cu118", "cu118", "11.8"));
  auto fs = run(m);
  EXPECT_EQ(find(fs, "driver-minor-compat"), nullptr);
  const Finding* f = find(fs, "driver-too-old-for-torch");
  ASSERT_NE(f, nullptr) << ::testing::PrintToString(ids(fs));
  EXPECT_EQ(f->severity, Severity::error);
  EXPECT_EQ(f->explanation.id, "finding.driver-too-old-for-torch.explanation");
  auto need = std::find_if(f->explanation.args.begin(), f->explanation.args.end(),
                           [](auto& a) { return a.first == "need"; });
  ASSERT_NE(need, f->explanation.args.end());
  EXPECT_EQ(need->second, "450.80.02");
}

TEST(DriverGate, Cu121OnDriver470IsTooOld) {
  auto m = machine("470.256.02", "11.4");
  m.python_envs.push_back(cu_env("2.5.1+cu121", "cu121", "12.1"));
  EXPECT_NE(find(run(m), "driver-too-old-for-torch"), nullptr);
}

TEST(DriverGate, DirectIsSilentAndNoDriverVersionIsNotGuessed) {
  auto m = machine("535.104.05", "12.2");
  m.python_envs.push_back(cu_env("2.5.1+cu121", "cu121", "12.1"));  // 12.1 GA needs 530.30.02
  EXPECT_TRUE(run(m).empty()) << ::testing::PrintToString(ids(run(m)));
  m.driver.version.reset();
  m.driver.userspace_version.reset();
  auto fs = run(m);
  EXPECT_EQ(find(fs, "driver-too-old-for-torch"), nullptr);
  EXPECT_EQ(find(fs, "driver-minor-compat"), nullptr);
}

TEST(DriverGate, TheDriverOwnCudaVersionDecidesWhenItSaysIt) {
  auto m = machine("550.54.14", "12.4");
  m.driver.cuda_max_source = "nvml";
  m.python_envs.push_back(cu_env("2.5.1+cu124", "cu124", "12.4"));
  EXPECT_EQ(find(run(m), "driver-minor-compat"), nullptr);
}

TEST(DriverGate, NouveauMachineReportsTheDriverFirst) {
  auto m = machine();
  m.gpus[0].kernel_driver = "nouveau";
  m.driver = {};
  m.driver.nouveau_loaded = true;
  m.python_envs.push_back(cu_env("2.5.1+cu124", "cu124", "12.4"));
  auto fs = run(m);
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs.front().id, "nouveau-active");
  EXPECT_EQ(find(fs, "driver-too-old-for-torch"), nullptr);
}

TEST(Companions, TorchvisionOfAnotherReleaseIsAMismatch) {
  auto m = machine("560.35.03", "12.6");
  auto e = cu124_env();
  e.packages["torchvision"] = pkg("0.19.0+cu124", "cu124", "12.4");
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "torchvision-torch-mismatch");
  ASSERT_NE(f, nullptr) << ::testing::PrintToString(ids(fs));
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(
      f->fixes[0].commands,
      std::vector<std::string>{"/home/a/.venv/bin/python -m pip install torchvision==0.20.1 --index-url "
                               "https://download.pytorch.org/whl/cu124"});
  m.python_envs[0].packages["torchvision"] = pkg("0.20.1+cu124", "cu124", "12.4");
  EXPECT_EQ(find(run(m), "torchvision-torch-mismatch"), nullptr);
}

TEST(Companions, CpuTorchvisionBesideACudaTorchIsAVariantMismatch) {
  auto m = machine("560.35.03", "12.6");
  auto e = cu124_env();
  e.packages["torchvision"] = pkg("0.20.1+cpu", "cpu");
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "torchvision-torch-mismatch");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->explanation.id, "finding.torchvision-torch-mismatch.explanation_variant");
}

TEST(Companions, UnknownTorchFallsBackToTheCompanionsPinAndElseSaysNothing) {
  auto m = machine("560.35.03", "12.6");
  auto e = cu_env("9.9.1+cu124", "cu124", "12.4");
  auto ta = pkg("9.9.0");
  ta.requires_dist = {"torch==9.9.0"};
  e.packages["torchaudio"] = ta;
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "torchaudio-torch-mismatch");
  ASSERT_NE(f, nullptr) << ::testing::PrintToString(ids(fs));
  EXPECT_EQ(f->explanation.id, "finding.torchaudio-torch-mismatch.explanation_pin");
  m.python_envs[0].packages["torchaudio"].requires_dist.clear();
  EXPECT_EQ(find(run(m), "torchaudio-torch-mismatch"), nullptr);
}

TEST(MultipleTorch, UserSiteCopyAheadIsAWarningWithItsFix) {
  auto m = machine("560.35.03", "12.6");
  auto e = cu124_env();
  e.also_visible.push_back(
      {"torch", "user-site", "/home/a/.local/lib/python3.11/site-packages", true, pkg("2.4.0+cpu", "cpu")});
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "multiple-torch-installs");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::warning);
  EXPECT_EQ(f->evidence.size(), 2u);
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(f->fixes[0].commands, std::vector<std::string>{"export PYTHONNOUSERSITE=1"});
  m.python_envs[0].also_visible.clear();
  EXPECT_EQ(find(run(m), "multiple-torch-installs"), nullptr);
}

TEST(PythonUnsupported, ActiveEnvWithAPythonNoReleaseHasIsAnError) {
  auto m = machine("560.35.03", "12.6");
  auto e = venv("3.99.0");
  e.active = true;
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "python-unsupported-by-torch");
  ASSERT_NE(f, nullptr) << ::testing::PrintToString(ids(fs));
  EXPECT_EQ(f->severity, Severity::error);
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_TRUE(f->fixes[0].commands.at(0).starts_with("gpuenv plan --python-version 3."));
  // Not the environment the user works in: only torch-not-installed.
  m.python_envs[0].active = false;
  EXPECT_EQ(find(run(m), "python-unsupported-by-torch"), nullptr);
  // A supported Python.
  m.python_envs[0] = venv("3.11.9");
  m.python_envs[0].active = true;
  EXPECT_EQ(find(run(m), "python-unsupported-by-torch"), nullptr);
  // Unknown Python: nothing guessed.
  m.python_envs[0].python.reset();
  EXPECT_EQ(find(run(m), "python-unsupported-by-torch"), nullptr);
}

TEST(ChannelEol, TorchFromThePytorchChannelIsInfo) {
  auto m = machine("560.35.03", "12.6");
  auto e = venv();
  e.kind = "conda";
  auto t = pkg("2.5.1", "cu124", "12.4", "conda");
  t.channel = "pytorch";
  t.location = "/home/a/.venv/conda-meta/pytorch-2.5.1-py3.11_cuda12.4_cudnn9.1.0_0.json";
  e.packages["torch"] = t;
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "conda-pytorch-channel-eol");
  ASSERT_NE(f, nullptr) << ::testing::PrintToString(ids(fs));
  EXPECT_EQ(f->severity, Severity::info);
  EXPECT_EQ(exit_code_for(fs), 0);
  m.python_envs[0].packages["torch"].channel = "conda-forge";
  EXPECT_EQ(find(run(m), "conda-pytorch-channel-eol"), nullptr);
}

TEST(Planner, FixesUseThePlannersCommandsWithTheEnvironmentsPython) {
  auto m = machine("560.35.03", "12.6");
  m.python_envs.push_back(cu_env("2.5.1+cpu", "cpu", nullptr));
  RuleOptions opt{
      "2026-11-30", [](const facts::PythonEnv& e) -> std::optional<EnvInstall> {
        return EnvInstall{"2.9.1", "cu126", {e.interpreter.value_or("") + " -m pip install torch==2.9.1"}};
      }};
  auto fs = run(m, opt);
  const Finding* f = find(fs, "torch-cpu-build");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(f->fixes[0].text.id, "fix.torch.install_instead");
  EXPECT_EQ(f->fixes[0].commands,
            std::vector<std::string>{"/home/a/.venv/bin/python -m pip install torch==2.9.1"});
  // Without a planner: the pointer to `gpuenv plan`.
  auto plain = run(m);
  f = find(plain, "torch-cpu-build");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->fixes[0].commands, std::vector<std::string>{"gpuenv plan"});
}

TEST(ChainRank, EveryDesignIdHasARankAndTheOrderHolds) {
  for (auto& f : test::design_findings()) EXPECT_LT(chain_rank(f.id), 30) << f.id;
  EXPECT_LT(chain_rank("nouveau-active"), chain_rank("torch-cpu-build"));
  EXPECT_LT(chain_rank("driver-too-old-for-torch"), chain_rank("torchvision-torch-mismatch"));
  EXPECT_LT(chain_rank("ld-library-path-shadows"), chain_rank("multiple-torch-installs"));
}

}  // namespace
}  // namespace gpuenv::rules
