#include <gtest/gtest.h>

#include <algorithm>

#include "kb/kb.hpp"
#include "rules/rules.hpp"

namespace gpuenv::rules {
namespace {

facts::Machine machine(const char* driver, const char* cuda_max) {
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

facts::Package pkg(const char* version, const char* cuda = nullptr, const char* source = "pip") {
  facts::Package p;
  p.version = version;
  if (cuda) p.cuda = cuda;
  p.source = source;
  return p;
}

facts::PythonEnv venv() {
  facts::PythonEnv e;
  e.path = "/home/a/.venv";
  e.kind = "venv";
  e.python = "3.12.3";
  e.interpreter = "/home/a/.venv/bin/python";
  return e;
}

const Finding* find(const std::vector<Finding>& fs, const std::string& id) {
  auto it = std::find_if(fs.begin(), fs.end(), [&](auto& f) { return f.id == id; });
  return it == fs.end() ? nullptr : &*it;
}

std::vector<Finding> run(const facts::Machine& m) {
  return evaluate(m, kb::KnowledgeBase::builtin(), {"2026-11-30", {}});
}

TEST(FrameworkCuda, CupyForCuda12OnADriverOfCuda11IsAnErrorWithTheCuda11Wheel) {
  auto m = machine("470.256.02", "11.4");
  auto e = venv();
  e.packages["cupy-cuda12x"] = pkg("13.3.0", "12");
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "framework-cuda-mismatch");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::error);
  ASSERT_GE(f->fixes.size(), 2u);
  EXPECT_EQ(f->fixes[0].commands,
            (std::vector<std::string>{"/home/a/.venv/bin/python -m pip uninstall -y cupy-cuda12x",
                                      "/home/a/.venv/bin/python -m pip install cupy-cuda11x"}));
  bool floor = std::any_of(f->evidence.begin(), f->evidence.end(),
                           [](auto& s) { return s.find("525.60.13") != std::string::npos; });
  EXPECT_TRUE(floor);
  // The same wheel on a driver of the CUDA 12 family: nothing.
  m = machine("535.104.05", "12.2");
  m.python_envs.push_back(e);
  EXPECT_EQ(find(run(m), "framework-cuda-mismatch"), nullptr);
}

TEST(FrameworkCuda, JaxPluginOfAnotherJaxlibIsAMismatch) {
  auto m = machine("560.35.03", "12.6");
  auto e = venv();
  e.packages["jaxlib"] = pkg("0.4.31");
  e.packages["jax-cuda12-plugin"] = pkg("0.4.30", "12");
  e.packages["jax-cuda12-pjrt"] = pkg("0.4.31", "12");
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "framework-cuda-mismatch");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->explanation.id, "finding.framework-cuda-mismatch.explanation_jax");
  EXPECT_EQ(f->fixes.at(0).commands,
            std::vector<std::string>{"/home/a/.venv/bin/python -m pip install jax-cuda12-plugin==0.4.31"});
  m.python_envs[0].packages["jax-cuda12-plugin"] = pkg("0.4.31", "12");
  EXPECT_EQ(find(run(m), "framework-cuda-mismatch"), nullptr);
}

TEST(FrameworkCuda, JaxOutsideJaxlibsRangeIsAMismatch) {
  auto m = machine("560.35.03", "12.6");
  auto e = venv();
  auto jax = pkg("0.4.30");
  jax.requires_dist = {"jaxlib<=0.4.30,>=0.4.27"};
  e.packages["jax"] = jax;
  e.packages["jaxlib"] = pkg("0.4.20");
  m.python_envs.push_back(e);
  const Finding* f = nullptr;
  auto fs = run(m);
  f = find(fs, "framework-cuda-mismatch");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->explanation.id, "finding.framework-cuda-mismatch.explanation_jaxlib");
  m.python_envs[0].packages["jaxlib"] = pkg("0.4.30");
  EXPECT_EQ(find(run(m), "framework-cuda-mismatch"), nullptr);
}

TEST(FrameworkCuda, NoDriverVersionIsNotGuessed) {
  auto m = machine("470.256.02", "11.4");
  m.driver.version.reset();
  m.driver.userspace_version.reset();
  auto e = venv();
  e.packages["cupy-cuda12x"] = pkg("13.3.0", "12");
  m.python_envs.push_back(e);
  EXPECT_EQ(find(run(m), "framework-cuda-mismatch"), nullptr);
}

facts::Machine shadowed(std::vector<std::string> libs, const char* ld = "/usr/local/cuda-12.1/lib64") {
  auto m = machine("560.35.03", "12.6");
  m.env_vars["LD_LIBRARY_PATH"] = ld;
  m.library_path.push_back({"/usr/local/cuda-12.1/lib64", std::move(libs), "LD_LIBRARY_PATH"});
  auto e = venv();
  e.packages["nvidia-cublas-cu12"] = pkg("12.4.5.8", "12");
  e.packages["nvidia-cudnn-cu12"] = pkg("9.1.0.70", "12");
  m.python_envs.push_back(e);
  return m;
}

TEST(LdLibraryPath, OlderSameSonameCopyShadowsTheWheel) {
  auto m =
      shadowed({"libcublas.so.12", "libcublas.so.12.1.3.1", "libcublasLt.so.12", "libcublasLt.so.12.1.3.1"});
  auto fs = run(m);
  const Finding* f = find(fs, "ld-library-path-shadows");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::warning);
  EXPECT_EQ(f->evidence.at(0), "LD_LIBRARY_PATH=/usr/local/cuda-12.1/lib64");
  EXPECT_EQ(f->evidence.at(1),
            "/usr/local/cuda-12.1/lib64/libcublas.so.12.1.3.1 is older than nvidia-cublas-cu12 12.4.5.8 "
            "(libcublas.so.12)");
  EXPECT_EQ(f->fixes.at(0).commands, std::vector<std::string>{"unset LD_LIBRARY_PATH"});
}

TEST(LdLibraryPath, KeepsTheOtherDirectoriesInTheFix) {
  auto m = shadowed({"libcudnn.so.9", "libcudnn.so.9.0.0"}, "/usr/local/cuda-12.1/lib64:/opt/tools/lib");
  m.library_path.push_back({"/opt/tools/lib", {}, "LD_LIBRARY_PATH"});
  const Finding* f = nullptr;
  auto fs = run(m);
  f = find(fs, "ld-library-path-shadows");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->fixes.at(0).commands, std::vector<std::string>{"export LD_LIBRARY_PATH=/opt/tools/lib"});
}

TEST(LdLibraryPath, AnotherSonameOrANewerCopyIsNothing) {
  // cuDNN 8 beside the wheel's cuDNN 9: different sonames, both load.
  EXPECT_EQ(find(run(shadowed({"libcudnn.so.8", "libcudnn.so.8.9.7"})), "ld-library-path-shadows"), nullptr);
  EXPECT_EQ(find(run(shadowed({"libcublas.so.12", "libcublas.so.12.6.4.1"})), "ld-library-path-shadows"),
            nullptr);
  // No listing of the directories (a snapshot without them): nothing guessed.
  auto m = shadowed({"libcublas.so.12.1.3.1"});
  m.library_path.clear();
  EXPECT_EQ(find(run(m), "ld-library-path-shadows"), nullptr);
}

TEST(LdLibraryPath, SonameOnlyCopiesOfAToolkitTakeTheToolkitsVersion) {
  // A CUDA 12.1 toolkit assembled from wheels: libcublas.so.12 without the full version in its name.
  auto m = shadowed({"libcublas.so", "libcublas.so.12"});
  m.cuda_toolkits.push_back({"/usr/local/cuda-12.1", "12.1.1", "version.json", std::nullopt, {}});
  auto fs = run(m);
  const Finding* f = find(fs, "ld-library-path-shadows");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(1),
            "/usr/local/cuda-12.1/lib64/libcublas.so.12 (CUDA 12.1.1 toolkit, version.json) is older than "
            "nvidia-cublas-cu12 12.4.5.8 (libcublas.so.12)");
  // Without the toolkit's version: said, not raised.
  m.cuda_toolkits.clear();
  EXPECT_EQ(find(run(m), "ld-library-path-shadows"), nullptr);
}

TEST(CondaPipMix, CondaToolkitOfAnotherMajorBesidePipWheelsIsAWarning) {
  auto m = machine("560.35.03", "12.6");
  auto e = venv();
  e.kind = "conda";
  e.path = "/home/a/miniconda3/envs/ml";
  e.interpreter = "/home/a/miniconda3/envs/ml/bin/python";
  e.packages["cudatoolkit"] = pkg("11.8.0", "11.8", "conda");
  e.packages["nvidia-cublas-cu12"] = pkg("12.4.5.8", "12");
  auto t = pkg("2.5.1+cu124", "12.4");
  t.variant = "cu124";
  e.packages["torch"] = t;
  m.python_envs.push_back(e);
  auto fs = run(m);
  const Finding* f = find(fs, "conda-cudatoolkit-pip-mix");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::warning);
  EXPECT_EQ(f->fixes.at(0).commands,
            std::vector<std::string>{"conda remove -y -p /home/a/miniconda3/envs/ml cudatoolkit"});
  m.python_envs[0].packages["cudatoolkit"] = pkg("12.4.1", "12.4", "conda");
  EXPECT_EQ(find(run(m), "conda-cudatoolkit-pip-mix"), nullptr);
}

}  // namespace
}  // namespace gpuenv::rules
