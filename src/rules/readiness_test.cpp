#include "rules/readiness.hpp"

#include <gtest/gtest.h>

namespace gpuenv::rules {
namespace {

facts::Package torch(std::string version, std::optional<std::string> variant, std::optional<std::string> cuda,
                     std::string source = "pip") {
  facts::Package p;
  p.version = std::move(version);
  p.variant = std::move(variant);
  p.cuda = std::move(cuda);
  p.source = std::move(source);
  return p;
}

facts::Machine gpu_machine(std::optional<std::string> cuda_max = "12.4") {
  facts::Machine m;
  facts::Gpu g;
  g.name = "NVIDIA GeForce RTX 3090";
  m.gpus.push_back(g);
  m.driver.version = "550.54.14";
  m.driver.module_loaded = true;
  m.driver.cuda_max = std::move(cuda_max);
  return m;
}

std::string reason(const EnvReadiness& r) {
  return r.reason.en();
}

TEST(Readiness, NoTorch) {
  facts::PythonEnv e;
  auto r = env_readiness(e, gpu_machine());
  EXPECT_EQ(r.state, Readiness::no_torch);
  EXPECT_EQ(reason(r), "no torch");
  EXPECT_EQ(r.torch, nullptr);
}

TEST(Readiness, BuildsThatCannotUseAnNvidiaGpu) {
  facts::PythonEnv e;
  e.packages["torch"] = torch("1.13.0a0", "cpu", std::nullopt, "distro");
  EXPECT_EQ(reason(env_readiness(e, gpu_machine())), "CPU-only build of torch");
  e.packages["torch"] = torch("2.5.1+rocm6.2", "rocm6.2", std::nullopt);
  EXPECT_EQ(reason(env_readiness(e, gpu_machine())), "rocm6.2 build of torch (for AMD GPUs)");
  e.packages["torch"] = torch("2.7.1+xpu", "xpu", std::nullopt);
  EXPECT_EQ(env_readiness(e, gpu_machine()).state, Readiness::not_ready);
  e.packages["torch"] = torch("2.0.0", "unknown", std::nullopt);
  EXPECT_EQ(env_readiness(e, gpu_machine()).state, Readiness::unknown);
}

TEST(Readiness, CudaBuildAgainstTheMachine) {
  facts::PythonEnv e;
  e.packages["torch"] = torch("2.5.1+cu124", "cu124", "12.4");
  auto ok = env_readiness(e, gpu_machine("12.4"));
  EXPECT_EQ(ok.state, Readiness::ready);
  EXPECT_EQ(reason(ok), "ready (CUDA 12.4)");
  auto minor = env_readiness(e, gpu_machine("12.2"));
  EXPECT_EQ(minor.state, Readiness::minor_compat);
  EXPECT_EQ(reason(minor), "CUDA 12.4 on a CUDA 12.2 driver: only through minor-version compatibility");
  auto old = env_readiness(e, gpu_machine("11.4"));
  EXPECT_EQ(old.state, Readiness::not_ready);
  EXPECT_EQ(reason(old), "needs CUDA 12.4; the driver runs up to CUDA 11.4");
  EXPECT_EQ(env_readiness(e, gpu_machine(std::nullopt)).state, Readiness::unknown);
  EXPECT_EQ(reason(env_readiness(e, facts::Machine{})), "CUDA 12.4 build, but no NVIDIA GPU found");
  auto no_driver = gpu_machine();
  no_driver.driver = {};
  EXPECT_EQ(reason(env_readiness(e, no_driver)), "CUDA 12.4 build, but no NVIDIA driver is loaded");
}

TEST(Readiness, MissingNvidiaWheels) {
  facts::PythonEnv e;
  auto t = torch("2.6.0", "cu124", "12.4");
  t.requires_dist = {"nvidia-cuda-runtime-cu12==12.4.127", "nvidia-cudnn-cu12==9.1.0.70", "triton==3.2.0"};
  e.packages["torch"] = t;
  e.packages["nvidia-cuda-runtime-cu12"] = facts::Package{};
  auto r = env_readiness(e, gpu_machine());
  EXPECT_EQ(r.state, Readiness::not_ready);
  EXPECT_EQ(reason(r), "CUDA libraries missing: nvidia-cudnn-cu12");
  // conda's torch brings its CUDA libraries another way: no such check.
  e.packages["torch"].source = "conda";
  EXPECT_EQ(env_readiness(e, gpu_machine()).state, Readiness::ready);
}

TEST(Readiness, ACopyAheadOnSysPathIsTheOneThatCounts) {
  facts::PythonEnv e;
  e.packages["torch"] = torch("2.5.1+cu124", "cu124", "12.4");
  e.also_visible.push_back({"torch", "pth", "/src", false, torch("2.7.0a0", "cpu", std::nullopt)});
  EXPECT_EQ(env_readiness(e, gpu_machine()).state, Readiness::ready);
  e.also_visible.push_back({"torch", "user-site", "/home/u/.local/lib/python3.11/site-packages", true,
                            torch("2.0.1", "cpu", std::nullopt)});
  auto r = env_readiness(e, gpu_machine());
  EXPECT_EQ(r.state, Readiness::not_ready);
  ASSERT_NE(r.shadowing, nullptr);
  EXPECT_EQ(r.shadowing->via, "user-site");
  EXPECT_EQ(r.torch->version, "2.0.1");
}

TEST(Readiness, Names) {
  EXPECT_STREQ(readiness_name(Readiness::ready), "ready");
  EXPECT_STREQ(readiness_name(Readiness::minor_compat), "minor-compat");
  EXPECT_STREQ(readiness_name(Readiness::not_ready), "not-ready");
  EXPECT_STREQ(readiness_name(Readiness::unknown), "unknown");
  EXPECT_STREQ(readiness_name(Readiness::no_torch), "no-torch");
}

TEST(Readiness, JapaneseReasons) {
  facts::PythonEnv e;
  e.packages["torch"] = torch("1.13.0a0", "cpu", std::nullopt, "distro");
  EXPECT_EQ(env_readiness(e, gpu_machine()).reason.render(i18n::Lang::ja), "torch が CPU 専用ビルドです");
}

// envs and doctor agree: with the knowledge base, a driver below CUDA 11.x's minor-compatibility floor
// (450.80.02) is "not ready" for a cu118 torch even though the driver reports CUDA 11.0 (same major).
TEST(Readiness, WithTheKnowledgeBaseTheDriverTablesDecide) {
  facts::PythonEnv e;
  e.packages["torch"] = torch("2.4.1+cu118", "cu118", "11.8");
  auto m = gpu_machine("11.0");
  m.driver.version = "450.51.06";
  m.driver.cuda_max_source = "kb";
  EXPECT_EQ(env_readiness(e, m).state, Readiness::minor_compat);  // the driver's own limit only
  auto r = env_readiness(e, m, &kb::KnowledgeBase::builtin());
  EXPECT_EQ(r.state, Readiness::not_ready);
  EXPECT_EQ(reason(r), "needs CUDA 11.8; the driver runs up to CUDA 11.0");
  m.driver.version = "470.256.02";  // above the floor, below 11.8's GA minimum (520.61.05)
  m.driver.cuda_max = "11.4";
  EXPECT_EQ(env_readiness(e, m, &kb::KnowledgeBase::builtin()).state, Readiness::minor_compat);
  m.driver.version = "535.183.01";
  m.driver.cuda_max = "12.2";
  EXPECT_EQ(env_readiness(e, m, &kb::KnowledgeBase::builtin()).state, Readiness::ready);
}

}  // namespace
}  // namespace gpuenv::rules
