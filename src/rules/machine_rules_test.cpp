#include <gtest/gtest.h>

#include <algorithm>

#include "kb/kb.hpp"
#include "rules/rules.hpp"

namespace gpuenv::rules {
namespace {

facts::Gpu gpu(const char* name, const char* arch, const char* cc, const char* chip = "",
               const char* driver = "nvidia") {
  facts::Gpu g;
  g.name = name;
  g.architecture = arch;
  g.compute_capability = cc;
  if (*chip) g.chip = chip;
  g.kernel_driver = driver;
  g.pci_bus_id = "0000:01:00.0";
  g.pci_device_id = "0x0000";
  g.memory_mib = 24576;
  g.source = "test";
  return g;
}

facts::Machine healthy(const char* driver = "535.104.05") {
  facts::Machine m;
  m.os.id = "ubuntu";
  m.os.version = "22.04";
  m.gpus.push_back(gpu("NVIDIA GeForce RTX 3090", "Ampere", "8.6", "GA102"));
  m.driver.version = driver;
  m.driver.userspace_version = driver;
  m.driver.cuda_max = "12.2";
  m.driver.module_loaded = true;
  m.driver.source = "/proc/driver/nvidia/version";
  m.driver.device_nodes = {{"/dev/nvidia0", true}, {"/dev/nvidiactl", true}};
  return m;
}

std::vector<std::string> ids(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (auto& f : fs) out.push_back(f.id);
  return out;
}

bool has(const std::vector<Finding>& fs, const std::string& id) {
  return std::any_of(fs.begin(), fs.end(), [&](auto& f) { return f.id == id; });
}

const kb::KnowledgeBase& kb() {
  return kb::KnowledgeBase::builtin();
}

TEST(MachineRules, HealthyMachineHasNoFinding) {
  auto fs = evaluate(healthy(), kb(), {"2026-11-30"});
  EXPECT_TRUE(fs.empty()) << ::testing::PrintToString(ids(fs));
  EXPECT_EQ(report_status(fs, true), "ok");
}

TEST(MachineRules, NoGpuIsInfoAndStatusNoGpu) {
  facts::Machine m;
  auto fs = evaluate(m, kb(), {"2026-11-30"});
  ASSERT_EQ(ids(fs), std::vector<std::string>{"no-nvidia-gpu"});
  EXPECT_EQ(fs[0].severity, Severity::info);
  EXPECT_EQ(report_status(fs, false), "no-gpu");
  EXPECT_EQ(exit_code_for(fs), 0);
}

TEST(MachineRules, NouveauIsTheRootCauseNotDriverNotLoaded) {
  auto m = healthy();
  m.gpus[0].kernel_driver = "nouveau";
  m.driver = {};
  m.driver.nouveau_loaded = true;
  auto fs = evaluate(m, kb(), {"2026-11-30"});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].id, "nouveau-active");
  EXPECT_FALSE(has(fs, "driver-not-loaded"));
  EXPECT_EQ(exit_code_for(fs), 1);
}

TEST(MachineRules, SecureBootOnlyWhenModuleInstalled) {
  auto m = healthy();
  m.gpus[0].kernel_driver.reset();
  m.driver = {};
  m.os.secure_boot = true;
  m.driver.module_installed = true;
  EXPECT_EQ(evaluate(m, kb(), {})[0].id, "secure-boot-blocks-driver");
  m.driver.module_installed = false;  // near miss: nothing installed → just not loaded
  EXPECT_EQ(evaluate(m, kb(), {})[0].id, "driver-not-loaded");
}

TEST(MachineRules, LibraryMismatch) {
  auto m = healthy("550.144.03");
  m.driver.userspace_version = "550.163.01";
  EXPECT_TRUE(has(evaluate(m, kb(), {}), "driver-library-mismatch"));
}

TEST(MachineRules, BlackwellNeeds570AndKeplerEndsAt470) {
  auto m = healthy("550.54.14");
  m.gpus[0] = gpu("NVIDIA GeForce RTX 5090", "Blackwell", "12.0", "GB202");
  auto fs = evaluate(m, kb(), {});
  ASSERT_TRUE(has(fs, "driver-too-old-for-gpu"));
  auto m2 = healthy("570.124.06");  // near miss
  m2.gpus[0] = gpu("NVIDIA GeForce RTX 5090", "Blackwell", "12.0", "GB202");
  EXPECT_FALSE(has(evaluate(m2, kb(), {}), "driver-too-old-for-gpu"));
  auto k = healthy("535.104.05");
  k.gpus[0] = gpu("Tesla K80", "Kepler", "3.7", "GK210");
  EXPECT_TRUE(has(evaluate(k, kb(), {}), "gpu-needs-legacy-driver"));
  auto k2 = healthy("470.256.02");  // near miss
  k2.gpus[0] = gpu("Tesla K80", "Kepler", "3.7", "GK210");
  EXPECT_FALSE(has(evaluate(k2, kb(), {}), "gpu-needs-legacy-driver"));
}

TEST(MachineRules, CudaVisibleDevices) {
  auto m = healthy();
  for (const char* v : {"", "-1", "1", "GPU-deadbeef"}) {
    m.gpus[0].uuid = "GPU-3f1d2c8e-4b5a";
    m.env_vars["CUDA_VISIBLE_DEVICES"] = v;
    EXPECT_TRUE(has(evaluate(m, kb(), {}), "cuda-visible-devices-hides-gpus")) << v;
  }
  for (const char* v : {"0", "GPU-3f1d", "0,1"}) {  // near misses
    m.env_vars["CUDA_VISIBLE_DEVICES"] = v;
    EXPECT_FALSE(has(evaluate(m, kb(), {}), "cuda-visible-devices-hides-gpus")) << v;
  }
}

TEST(MachineRules, NvccOlderThanDriverIsNormal) {
  auto m = healthy();  // driver CUDA 12.2
  m.cuda_toolkits.push_back({"/usr/local/cuda-12.1", "12.1.1", "version.json", {}, {}});
  EXPECT_FALSE(has(evaluate(m, kb(), {}), "toolkit-newer-than-driver"));
  m.cuda_toolkits.push_back({"/usr/local/cuda-13.0", "13.0.88", "version.json", {}, {}});
  EXPECT_TRUE(has(evaluate(m, kb(), {}), "toolkit-newer-than-driver"));
}

TEST(MachineRules, DeviceNodes) {
  auto m = healthy();
  m.driver.device_nodes = {{"/dev/nvidiactl", true}};
  EXPECT_TRUE(has(evaluate(m, kb(), {}), "device-nodes-missing"));
  m.driver.device_nodes = {{"/dev/nvidia0", false}, {"/dev/nvidiactl", true}};
  EXPECT_TRUE(has(evaluate(m, kb(), {}), "device-nodes-missing"));
}

TEST(MachineRules, ContainerWithoutGpu) {
  facts::Machine m;
  m.os.container = "docker";
  m.env_vars["NVIDIA_VISIBLE_DEVICES"] = "all";
  EXPECT_EQ(ids(evaluate(m, kb(), {})), std::vector<std::string>{"container-without-gpu"});
  m.env_vars["NVIDIA_VISIBLE_DEVICES"] = std::nullopt;  // near miss: a CPU container
  EXPECT_EQ(ids(evaluate(m, kb(), {})), std::vector<std::string>{"no-nvidia-gpu"});
}

TEST(MachineRules, ContainerToolkitMissingOnHostsWithDocker) {
  auto m = healthy();
  m.os.container_engines = {"docker"};
  EXPECT_TRUE(has(evaluate(m, kb(), {}), "container-toolkit-missing"));
  m.os.nvidia_container_toolkit = true;
  EXPECT_FALSE(has(evaluate(m, kb(), {}), "container-toolkit-missing"));
}

TEST(MachineRules, WslLinuxDriver) {
  facts::Machine m = healthy();
  m.os.wsl = true;
  m.gpus[0].kernel_driver = "dxg";
  m.driver = {};
  m.driver.userspace_libs = {"/usr/lib/x86_64-linux-gnu/libcuda.so.550.54.14"};
  EXPECT_TRUE(has(evaluate(m, kb(), {}), "wsl-linux-driver-installed"));
  m.driver.userspace_libs = {"/usr/lib/wsl/lib/libcuda.so.1.1"};
  EXPECT_FALSE(has(evaluate(m, kb(), {}), "wsl-linux-driver-installed"));
}

TEST(MachineRules, SmallMemoryAndKbOutdated) {
  auto m = healthy();
  m.gpus[0].memory_mib = 4096;
  EXPECT_TRUE(has(evaluate(m, kb(), {}), "gpu-memory-small"));
  auto n = healthy("999.10.01");
  EXPECT_TRUE(has(evaluate(n, kb(), {}), "kb-outdated"));
  EXPECT_TRUE(has(evaluate(healthy(), kb(), {"2030-01-01"}), "kb-outdated"));
  EXPECT_FALSE(has(evaluate(healthy(), kb(), {"2026-12-01"}), "kb-outdated"));
}

TEST(MachineRules, EveryFindingHasCatalogTextAndPasteableFixes) {
  std::vector<facts::Machine> ms;
  auto a = healthy();
  a.gpus[0].kernel_driver = "nouveau";
  a.driver = {};
  ms.push_back(a);
  auto b = healthy("550.54.14");
  b.gpus[0] = gpu("NVIDIA GeForce RTX 5090", "Blackwell", "12.0", "GB202");
  b.driver.userspace_version = "550.163.01";
  b.env_vars["CUDA_VISIBLE_DEVICES"] = "-1";
  b.os.container_engines = {"docker"};
  ms.push_back(b);
  for (auto& m : ms) {
    for (auto& f : evaluate(m, kb(), {})) {
      for (auto lang : {i18n::Lang::en, i18n::Lang::ja}) {
        EXPECT_NE(f.title.render(lang), f.title.id) << f.id;
        EXPECT_NE(f.explanation.render(lang), f.explanation.id) << f.id;
        EXPECT_EQ(f.explanation.render(lang).find('{'), std::string::npos)
            << f.id << ": unfilled placeholder";
      }
      for (auto& fx : f.fixes)
        for (auto& c : fx.commands) {
          EXPECT_EQ(c.find('<'), std::string::npos) << c;
          EXPECT_EQ(std::count(c.begin(), c.end(), '\'') % 2, 0) << c;
        }
    }
  }
}

}  // namespace
}  // namespace gpuenv::rules
