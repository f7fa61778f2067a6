// `gpuenv verify` against real interpreters (issue 7 acceptance): Debian's python3-torch (a real CPU
// build), interpreters without torch, torch packages that fail the way real ones do, the probe's GPU
// code path run on the CPU, and the device check script on a machine without a GPU.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

using nlohmann::json;

constexpr const char* kDebianPython = "/usr/bin/python3";

bool debian_torch() {
  struct stat st {};
  return ::stat("/usr/lib/python3/dist-packages/torch/__init__.py", &st) == 0 &&
         ::stat(kDebianPython, &st) == 0;
}

#define REQUIRE_DEBIAN_TORCH() \
  if (!debian_torch())         \
  GTEST_SKIP() << "Debian's python3-torch is not installed (apt-get install python3-torch)"

/// A venv of the system Python without its dist-packages: an interpreter that has no torch.
std::string venv_without_torch(const TempDir& d) {
  platform::Command c;
  c.argv = {kDebianPython, "-m", "venv", "--without-pip", d.path() + "/venv"};
  platform::RealCommandRunner runner;
  auto r = runner.run(c);
  if (!r.ok()) return {};
  return d.path() + "/venv";
}

/// A package named torch whose import does `body`: the failures of real broken installs, reproduced.
std::string fake_torch(const TempDir& d, const std::string& body) {
  d.write("site/torch/__init__.py", body + "\n");
  return d.path() + "/site";
}

const json* find_step(const json& j, const std::string& name, const json& device) {
  for (auto& s : j["steps"])
    if (s["name"] == name && s["device"] == device) return &s;
  return nullptr;
}

TEST(VerifyDebianTorch, JsonReportsACpuBuildAndWhyNoGpu) {
  REQUIRE_DEBIAN_TORCH();
  auto r = run_gpuenv({"verify", "--python", kDebianPython, "--json"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["python"], kDebianPython);
  EXPECT_EQ(j["torch"]["version"], "1.13.0a0");
  EXPECT_TRUE(j["torch"]["cuda"].is_null());
  EXPECT_TRUE(j["torch"]["cudnn"].is_null());
  EXPECT_EQ(j["torch"]["arch_list"], json::array());
  EXPECT_EQ(j["cuda_available"], false);
  EXPECT_TRUE(j["speedup"].is_null());
  EXPECT_EQ(j["ok"], false);
  // The CPU matrix check runs and passes, against the float64 reference.
  auto* mm = find_step(j, "matmul", "cpu");
  ASSERT_TRUE(mm) << j["steps"].dump();
  EXPECT_EQ((*mm)["ok"], true);
  EXPECT_LT((*mm)["detail"]["rel_error"].get<double>(), (*mm)["detail"]["bound"].get<double>());
  auto* conv = find_step(j, "conv2d", "cpu");
  ASSERT_TRUE(conv);
  EXPECT_EQ((*conv)["ok"], true);
  // Why: no NVIDIA GPU here, and a CPU-only build.
  ASSERT_EQ(j["findings"].size(), 1u) << j["findings"].dump();
  auto& f = j["findings"][0];
  EXPECT_EQ(f["id"], "no-nvidia-gpu");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(
      f["explanation"],
      "No NVIDIA GPU was found on this machine, and torch 1.13.0a0 is a CPU-only build (torch.version.cuda "
      "is None), so work runs on the CPU only. The CPU steps above show whether that works.");
}

TEST(VerifyDebianTorch, CpuOkQuickPasses) {
  REQUIRE_DEBIAN_TORCH();
  auto r = run_gpuenv({"verify", "--python", kDebianPython, "--quick", "--cpu-ok"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("✓ matmul (cpu)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("info: No NVIDIA GPU: nothing can run on CUDA here"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Result: passed on the CPU (--cpu-ok) — nothing ran on a GPU.\n"), std::string::npos);
}

TEST(VerifyWithoutTorch, ActiveVirtualEnvIsChosen) {
  TempDir d;
  auto venv = venv_without_torch(d);
  if (venv.empty()) GTEST_SKIP() << "cannot create a venv with " << kDebianPython;
  auto r = run_gpuenv({"verify", "--json", "--quick"}, {{"VIRTUAL_ENV", venv}});
  EXPECT_EQ(r.exit_code, 1);
  auto j = json::parse(r.out);
  EXPECT_EQ(j["found_by"], "$VIRTUAL_ENV");
  EXPECT_EQ(j["env"], venv);
  EXPECT_EQ(j["findings"][0]["id"], "torch-not-installed");
  EXPECT_EQ(j["findings"][0]["env"], venv);
}

TEST(VerifyWithoutTorch, ClearTorchNotInstalled) {
  TempDir d;
  auto venv = venv_without_torch(d);
  if (venv.empty()) GTEST_SKIP() << "cannot create a venv with " << kDebianPython;
  auto j_run = run_gpuenv({"verify", "--env", venv, "--json"});
  ASSERT_EQ(j_run.exit_code, 1) << j_run.err;
  auto j = json::parse(j_run.out);
  EXPECT_TRUE(j["torch"].is_null());
  ASSERT_EQ(j["steps"].size(), 1u);
  EXPECT_EQ(j["steps"][0]["error"], "ModuleNotFoundError: No module named 'torch'");
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["id"], "torch-not-installed");
  EXPECT_EQ(j["ok"], false);

  // For people: the finding is the main message, not a traceback.
  auto t = run_gpuenv({"verify", "--env", venv});
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_EQ(t.out.find("Traceback"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("error: torch is not installed for " + venv + "/bin/python3"), std::string::npos)
      << t.out;
  EXPECT_NE(t.out.find("$ gpuenv plan --env " + venv), std::string::npos) << t.out;
}

TEST(VerifyWithoutTorch, OldestSupportedPython) {
  // The probe must run on Python 3.6 (pyenv's 3.6.15 on the CI image).
  const std::string py36 = "/root/.pyenv/versions/3.6.15/bin/python3";
  struct stat st {};
  if (::stat(py36.c_str(), &st) != 0) GTEST_SKIP() << py36 << " is not installed";
  auto r = run_gpuenv({"verify", "--python", py36, "--json"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["python_version"], "3.6.15");
  EXPECT_TRUE(j["probe_failure"].is_null()) << j.dump();
  EXPECT_EQ(j["findings"][0]["id"], "torch-not-installed");
}

TEST(VerifyBrokenTorch, MissingCudaLibrary) {
  TempDir d;
  auto site = fake_torch(
      d, "raise ImportError('libcudnn.so.9: cannot open shared object file: No such file or directory')");
  auto r = run_gpuenv({"verify", "--python", kDebianPython, "--json"}, {{"PYTHONPATH", site}});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["steps"][0]["error"],
            "ImportError: libcudnn.so.9: cannot open shared object file: No such file or directory");
  EXPECT_EQ(j["findings"][0]["id"], "torch-cuda-libs-missing");
}

TEST(VerifyBrokenTorch, CrashDuringImport) {
  TempDir d;
  auto site = fake_torch(d, "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)");
  auto r = run_gpuenv({"verify", "--python", kDebianPython, "--json"}, {{"PYTHONPATH", site}});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["probe_failure"], "Python was killed by SIGSEGV (11) during step import");
  EXPECT_EQ(j["steps"][0]["name"], "import");
  EXPECT_EQ(j["findings"][0]["id"], "verify-step-failed");
}

TEST(VerifyBrokenTorch, HangingImportTimesOut) {
  TempDir d;
  auto site = fake_torch(d, "import time\ntime.sleep(120)");
  auto r =
      run_gpuenv({"verify", "--python", kDebianPython, "--json", "--timeout", "1"}, {{"PYTHONPATH", site}});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["probe_failure"], "timed out after 1 s during step import (gpuenv verify --timeout)");
  EXPECT_EQ(j["ok"], false);
}

TEST(VerifyProbe, GpuCodePathRunsOnTheCpu) {
  // The GPU steps of probe.py, run on the CPU device (--gpu-steps-on cpu), so a machine without a
  // GPU still executes every line of them with a real torch.
  REQUIRE_DEBIAN_TORCH();
  platform::Command c;
  c.argv = {kDebianPython,    "-B", "-c", read_file(source_dir() + "/data/verify/probe.py"), "--quick",
            "--gpu-steps-on", "cpu"};
  c.timeout = std::chrono::seconds(240);
  platform::RealCommandRunner runner;
  auto r = runner.run(c);
  ASSERT_TRUE(r.ok()) << r.err;
  auto j = json::parse(r.out);
  EXPECT_TRUE(j["internal_error"].is_null()) << j["internal_error"];
  std::vector<std::string> names;
  for (auto& s : j["steps"]) {
    EXPECT_EQ(s["ok"], true) << s.dump();
    names.push_back(s["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"import", "reference", "matmul", "conv2d", "allocate", "matmul",
                                             "conv2d", "synchronize", "benchmark"}));
  EXPECT_TRUE(j["speedup"].is_number()) << j.dump();
  EXPECT_EQ(j["steps"].back()["detail"]["n"], 256);
  // Progress lines went to stderr, the document alone to stdout.
  EXPECT_NE(r.err.find("gpuenv-verify: step benchmark cpu\n"), std::string::npos);
  EXPECT_EQ(r.out.find("gpuenv-verify"), std::string::npos);
}

TEST(DeviceCheckScript, RunsWithoutAGpu) {
  REQUIRE_DEBIAN_TORCH();
  TempDir d;
  platform::Command c;
  c.argv = {"bash", source_dir() + "/scripts/device-check.sh", d.path() + "/run"};
  c.env["GPUENV"] = gpuenv_binary();
  c.env["TORCH_PYTHON"] = kDebianPython;
  c.env["VERIFY_TIMEOUT"] = "120";
  c.env["PATH"] = "/usr/bin:/bin";  // no nvidia-smi here: the script must carry on without it
  c.timeout = std::chrono::seconds(600);
  platform::RealCommandRunner runner;
  auto r = runner.run(c);
  ASSERT_TRUE(r.ok()) << r.out << r.err;
  auto summary = read_file(d.path() + "/run/summary.txt");
  EXPECT_NE(summary.find("Device check: gpuenv next to nvidia-smi"), std::string::npos) << summary;
  EXPECT_NE(summary.find("verify: ok=false  torch=1.13.0a0"), std::string::npos) << summary;
  EXPECT_NE(summary.find("nvidia-smi: not found on this machine"), std::string::npos) << summary;
  EXPECT_EQ(read_file(d.path() + "/run/verify-json.rc"), "1\n");
  EXPECT_EQ(read_file(d.path() + "/run/doctor-json.rc"), "0\n");
  EXPECT_EQ(json::parse(read_file(d.path() + "/run/verify-json.out"))["torch"]["version"], "1.13.0a0");
}

TEST(DeviceCheckScript, SummaryComparesWithNvidiaSmi) {
  // nvidia-smi's answers in the shapes it prints them (CSV query, banner), next to gpuenv's JSON.
  TempDir d;
  d.write("out/nvidia-smi-query.out", "NVIDIA H200, 143771 MiB, 550.90.07, 9.0\n");
  d.write("out/nvidia-smi-query.rc", "0\n");
  d.write("out/nvidia-smi.out",
          "| NVIDIA-SMI 550.90.07              Driver Version: 550.90.07      CUDA Version: 12.4     |\n");
  d.write(
      "out/doctor-json.out",
      R"({"status":"ok","machine":{"gpus":[{"name":"NVIDIA H200","memory_mib":143771,"compute_capability":"9.0"}],)"
      R"("driver":{"version":"550.90.07","cuda_max":"12.4"}},"findings":[]})");
  d.write(
      "out/verify-json.out",
      R"({"ok":true,"device_count":1,"devices":[{"name":"NVIDIA H200","compute_capability":"9.0","memory_mib":)"
      R"(143156}],"torch":{"version":"2.5.1+cu124","cuda":"12.4","cudnn":"9.1.0"},"speedup":61.5,"steps":[],)"
      R"("findings":[]})");
  platform::Command c;
  c.argv = {kDebianPython, source_dir() + "/scripts/device-summary.py", d.path() + "/out"};
  platform::RealCommandRunner runner;
  auto r = runner.run(c);
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_NE(r.out.find("GPU name            NVIDIA H200  NVIDIA H200  NVIDIA H200  yes           yes\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("memory MiB          143771       143771       143156       yes           yes\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("CUDA (driver max)   12.4         12.4         -            yes           -\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("verify: ok=true  torch=2.5.1+cu124  cuda build=12.4  cuDNN=9.1.0  speed-up=61.5\n"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace gpuenv::test
