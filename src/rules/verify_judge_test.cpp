// The verdict of design.md §5: exit 0 only when every step passed on the GPU (or on the CPU with
// --cpu-ok), and every failure explained.
#include "rules/verify_judge.hpp"

#include <gtest/gtest.h>

namespace gpuenv::rules {
namespace {

facts::VerifyStep step(std::string name, facts::Opt device, bool ok, facts::Opt error = std::nullopt) {
  facts::VerifyStep s;
  s.name = std::move(name);
  s.device = std::move(device);
  s.ok = ok;
  s.seconds = 0.1;
  s.error = std::move(error);
  return s;
}

/// What probe.py reports on this repository's CI machine: Debian's python3-torch, no GPU.
facts::VerifyRun debian_cpu_run() {
  facts::VerifyRun r;
  r.python = "/usr/bin/python3";
  r.selector = "--python /usr/bin/python3";
  r.python_version = "3.11.2";
  r.torch_imported = true;
  r.torch_version = "1.13.0a0";
  r.arch_list = std::vector<std::string>{};
  r.cuda_available = false;
  r.device_count = 0;
  r.steps = {step("import", std::nullopt, true), step("reference", "cpu", true), step("matmul", "cpu", true),
             step("conv2d", "cpu", true)};
  return r;
}

facts::VerifyRun h200_run() {
  facts::VerifyRun r;
  r.python = "/opt/torch/.venv/bin/python";
  r.env = "/opt/torch/.venv";
  r.selector = "--python /opt/torch/.venv/bin/python";
  r.torch_imported = true;
  r.torch_version = "2.5.1+cu124";
  r.torch_cuda = "12.4";
  r.cuda_available = true;
  r.device_count = 1;
  facts::VerifyDevice d;
  d.name = "NVIDIA H200";
  d.compute_capability = "9.0";
  r.devices.push_back(d);
  r.steps = {step("import", std::nullopt, true),  step("reference", "cpu", true),
             step("matmul", "cpu", true),         step("conv2d", "cpu", true),
             step("cuda_init", "cuda", true),     step("allocate", "cuda:0", true),
             step("matmul", "cuda:0", true),      step("conv2d", "cuda:0", true),
             step("synchronize", "cuda:0", true), step("benchmark", "cuda:0", true)};
  r.speedup = 38.2;
  return r;
}

std::vector<std::string> ids(const VerifyVerdict& v) {
  std::vector<std::string> out;
  for (auto& f : v.findings) out.push_back(f.id);
  return out;
}

TEST(JudgeVerify, GpuRunPasses) {
  auto v = judge_verify(h200_run(), nullptr, false);
  EXPECT_TRUE(v.ok);
  EXPECT_TRUE(v.ran_on_gpu);
  EXPECT_TRUE(v.cpu_passed);
  EXPECT_TRUE(v.findings.empty());
}

TEST(JudgeVerify, CpuBuildWithoutGpuFailsUnlessCpuOk) {
  facts::Machine none;
  auto v = judge_verify(debian_cpu_run(), &none, false);
  EXPECT_FALSE(v.ok);
  EXPECT_FALSE(v.ran_on_gpu);
  EXPECT_TRUE(v.cpu_passed);
  ASSERT_EQ(ids(v), std::vector<std::string>{"no-nvidia-gpu"});
  EXPECT_EQ(v.findings[0].severity, Severity::error);
  EXPECT_EQ(v.findings[0].env, "/usr/bin/python3");
  EXPECT_FALSE(v.findings[0].fixes.empty());

  auto ok = judge_verify(debian_cpu_run(), &none, true);
  EXPECT_TRUE(ok.ok);
  ASSERT_EQ(ids(ok), std::vector<std::string>{"no-nvidia-gpu"});
  EXPECT_EQ(ok.findings[0].severity, Severity::info);
  EXPECT_TRUE(ok.findings[0].fixes.empty());  // its fix was --cpu-ok itself
}

TEST(JudgeVerify, CpuOkStillNeedsTheCpuChecks) {
  auto run = debian_cpu_run();
  run.steps.pop_back();  // no conv2d on the CPU
  EXPECT_FALSE(judge_verify(run, nullptr, true).ok);
  run = debian_cpu_run();
  run.steps[2] =
      step("matmul", "cpu", false, "ArithmeticError: matmul: relative error 0.5 exceeds the float32 bound");
  auto v = judge_verify(run, nullptr, true);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(ids(v)[0], "verify-step-failed");
}

TEST(JudgeVerify, OneFailureSeenTwiceIsOneFinding) {
  auto run = h200_run();
  run.devices[0].name = "NVIDIA GeForce RTX 5090";
  run.devices[0].compute_capability = "12.0";
  run.steps[5] = step("allocate", "cuda:0", false,
                      "RuntimeError: CUDA error: no kernel image is available for execution on the device");
  run.steps.resize(6);
  run.speedup.reset();
  run.warnings.push_back(
      {"UserWarning",
       "NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with the current "
       "PyTorch installation.",
       "__init__.py:215"});
  auto v = judge_verify(run, nullptr, false);
  EXPECT_FALSE(v.ok);
  EXPECT_FALSE(v.ran_on_gpu);
  ASSERT_EQ(ids(v), std::vector<std::string>{"gpu-arch-not-in-torch-build"});
  EXPECT_EQ(v.findings[0].severity, Severity::error);
  auto& ev = v.findings[0].evidence;
  EXPECT_NE(
      std::find(
          ev.begin(), ev.end(),
          "step allocate (cuda:0): RuntimeError: CUDA error: no kernel image is available for execution "
          "on the device"),
      ev.end());
  EXPECT_NE(std::find_if(ev.begin(), ev.end(),
                         [](auto& e) { return e.starts_with("warning: UserWarning: NVIDIA"); }),
            ev.end());
}

TEST(JudgeVerify, KnownWarningOnAPassingRunIsAWarning) {
  auto run = h200_run();
  run.warnings.push_back({"UserWarning",
                          "NVIDIA H200 with CUDA capability sm_90 is not compatible with the current PyTorch "
                          "installation.",
                          std::nullopt});
  run.warnings.push_back({"UserWarning", "TypedStorage is deprecated.", std::nullopt});
  auto v = judge_verify(run, nullptr, false);
  EXPECT_TRUE(v.ok);
  ASSERT_EQ(ids(v), std::vector<std::string>{"gpu-arch-not-in-torch-build"});
  EXPECT_EQ(v.findings[0].severity, Severity::warning);
}

TEST(JudgeVerify, CudaInitFailureExplainsTheUnavailableGpu) {
  auto run = h200_run();
  run.cuda_available = false;
  run.device_count = 0;
  run.devices.clear();
  run.speedup.reset();
  run.steps.resize(5);
  run.steps[4] = step("cuda_init", "cuda", false,
                      "RuntimeError: The NVIDIA driver on your system is too old (found version 11040).");
  auto v = judge_verify(run, nullptr, true);  // --cpu-ok does not excuse a failed step
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(ids(v), std::vector<std::string>{"driver-too-old-for-torch"});
}

TEST(JudgeVerify, TorchMissingOrBroken) {
  facts::VerifyRun run;
  run.python = "/usr/bin/python3.12";
  run.steps = {step("import", std::nullopt, false, "ModuleNotFoundError: No module named 'torch'")};
  auto v = judge_verify(run, nullptr, true);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(ids(v), std::vector<std::string>{"torch-not-installed"});
  EXPECT_EQ(v.findings[0].severity, Severity::error);

  run.steps = {step("import", std::nullopt, false, "ImportError: cannot import name 'Foo' from 'torch._C'")};
  EXPECT_EQ(ids(judge_verify(run, nullptr, false)), std::vector<std::string>{"torch-import-failed"});
}

TEST(JudgeVerify, ProbeFailuresAreNeverOk) {
  facts::VerifyRun run;
  run.python = "/usr/bin/python3";
  run.probe_failure = "timed out after 300 s during step import (gpuenv verify --timeout)";
  run.steps = {step("import", std::nullopt, false, *run.probe_failure)};
  auto v = judge_verify(run, nullptr, true);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(ids(v), std::vector<std::string>{"verify-step-failed"});  // a timeout is not an import error

  auto internal = h200_run();
  internal.internal_error = "Traceback (most recent call last):\nNameError: name 'x' is not defined";
  auto w = judge_verify(internal, nullptr, false);
  EXPECT_FALSE(w.ok);
  EXPECT_EQ(ids(w), std::vector<std::string>{"verify-step-failed"});
  EXPECT_NE(w.findings[0].explanation.en().find("NameError: name 'x' is not defined"), std::string::npos);
}

TEST(JudgeVerify, ErrorsComeFirst) {
  auto run = h200_run();
  run.steps[7] = step("conv2d", "cuda:0", false, "RuntimeError: mystery");
  run.warnings.push_back({"UserWarning", "CUDA out of memory. Tried to allocate 2.00 MiB", std::nullopt});
  auto v = judge_verify(run, nullptr, false);
  EXPECT_FALSE(v.ok);
  ASSERT_EQ(v.findings.size(), 2u);
  EXPECT_EQ(v.findings[0].id, "verify-step-failed");
  EXPECT_EQ(v.findings[1].id, "gpu-out-of-memory");
  for (auto& f : v.findings) EXPECT_EQ(f.severity, Severity::error);
}

}  // namespace
}  // namespace gpuenv::rules
