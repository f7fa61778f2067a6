// Issue 2: the chain report on fixture roots (golden text and JSON) and on this machine.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

const char* const kChainScenarios[] = {"chain-proprietary-535", "chain-open-570", "chain-nouveau",
                                       "chain-lib-mismatch",    "chain-wsl2",     "chain-container",
                                       "chain-multi-toolkit",   "chain-pci-ids"};

std::string frozen_kb() {
  return source_dir() + "/tests/fixtures/kb/frozen.json";
}

void compare_golden(const std::string& name, const std::string& actual) {
  std::string path = source_dir() + "/tests/golden/" + name;
  if (update_golden()) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    write_file(path, actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " missing: run with GPUENV_UPDATE_GOLDEN=1";
  EXPECT_EQ(read_file(path), actual) << "golden " << path << " differs (GPUENV_UPDATE_GOLDEN=1 rewrites it)";
}

class ChainGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(ChainGolden, TextAndJson) {
  std::string scenario = GetParam();
  auto text = run_gpuenv({"doctor", "--root", fixture_root(scenario), "--kb", frozen_kb(), "--no-cache"});
  ASSERT_TRUE(text.status == platform::CommandResult::Status::exited) << text.err;
  EXPECT_TRUE(text.exit_code == 0 || text.exit_code == 1) << text.err;
  compare_golden(scenario + ".txt", text.out);
  auto json =
      run_gpuenv({"doctor", "--json", "--root", fixture_root(scenario), "--kb", frozen_kb(), "--no-cache"});
  ASSERT_TRUE(json.exit_code == 0 || json.exit_code == 1) << json.err;
  auto doc = nlohmann::json::parse(json.out);  // valid JSON or the test fails here
  EXPECT_EQ(doc["schema_version"], 1);
  compare_golden(scenario + ".json", json.out);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ChainGolden, ::testing::ValuesIn(kChainScenarios),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

nlohmann::json doctor_json(const std::string& scenario) {
  auto r = run_gpuenv({"doctor", "--json", "--root", fixture_root(scenario), "--kb", frozen_kb()});
  return nlohmann::json::parse(r.out);
}

TEST(Chain, ProprietaryDriverAndAbsoluteToolkitLink) {
  auto j = doctor_json("chain-proprietary-535");
  auto& m = j["machine"];
  ASSERT_EQ(m["gpus"].size(), 1u);
  EXPECT_EQ(m["gpus"][0]["name"], "NVIDIA GeForce RTX 3090");
  EXPECT_EQ(m["gpus"][0]["compute_capability"], "8.6");
  EXPECT_EQ(m["gpus"][0]["source"], "sysfs+kb");
  EXPECT_EQ(m["driver"]["version"], "535.104.05");
  EXPECT_EQ(m["driver"]["flavor"], "proprietary");
  EXPECT_EQ(m["driver"]["cuda_max"], "12.2");
  EXPECT_EQ(m["driver"]["cuda_max_source"], "kb");
  ASSERT_EQ(m["cuda_toolkits"].size(), 1u);
  EXPECT_EQ(m["cuda_toolkits"][0]["version"], "12.1.66");  // date-stamped SDK version → nvcc's
  EXPECT_EQ(m["cudnn"][0]["version"], "8.9.7");
}

TEST(Chain, OpenModuleAndOtherVendors) {
  auto j = doctor_json("chain-open-570");
  EXPECT_EQ(j["machine"]["driver"]["flavor"], "open");
  EXPECT_EQ(j["machine"]["driver"]["cuda_max"], "12.8");
  ASSERT_EQ(j["machine"]["other_display_devices"].size(), 1u);
  EXPECT_EQ(j["machine"]["other_display_devices"][0]["vendor"], "intel");
}

TEST(Chain, NouveauHoldsTheCard) {
  auto j = doctor_json("chain-nouveau");
  EXPECT_EQ(j["machine"]["gpus"][0]["kernel_driver"], "nouveau");
  EXPECT_TRUE(j["machine"]["driver"]["nouveau_loaded"]);
  EXPECT_FALSE(j["machine"]["driver"]["module_loaded"]);
  EXPECT_TRUE(j["machine"]["driver"]["version"].is_null());
}

TEST(Chain, UserspaceOfAnotherVersion) {
  auto j = doctor_json("chain-lib-mismatch");
  EXPECT_EQ(j["machine"]["driver"]["version"], "550.144.03");
  EXPECT_EQ(j["machine"]["driver"]["userspace_version"], "550.163.01");
}

TEST(Chain, Wsl2) {
  auto j = doctor_json("chain-wsl2");
  EXPECT_TRUE(j["machine"]["os"]["wsl"]);
  ASSERT_EQ(j["machine"]["gpus"].size(), 1u);
  EXPECT_EQ(j["machine"]["gpus"][0]["kernel_driver"], "dxg");
  EXPECT_NE(j["status"], "no-gpu");
}

TEST(Chain, Container) {
  auto j = doctor_json("chain-container");
  EXPECT_EQ(j["machine"]["os"]["container"], "docker");
  EXPECT_EQ(j["machine"]["driver"]["version"], "580.95.05");
}

TEST(Chain, SeveralToolkitsAbsoluteLinkResolvesInsideRoot) {
  auto j = doctor_json("chain-multi-toolkit");
  auto& tks = j["machine"]["cuda_toolkits"];
  ASSERT_EQ(tks.size(), 3u);
  EXPECT_EQ(tks[0]["path"], "/usr/local/cuda-12.4");
  EXPECT_EQ(tks[0]["version"], "12.4.1");
  // /usr/local/cuda → /usr/local/cuda-12.4 (absolute) was followed inside the root: the same toolkit.
  auto found_by = tks[0]["found_by"].get<std::vector<std::string>>();
  EXPECT_EQ(found_by, std::vector<std::string>{"/usr/local/cuda*"});
  EXPECT_EQ(tks[1]["version"], "11.8.89");
  EXPECT_EQ(tks[2]["version"], "10.0.130");
  EXPECT_EQ(tks[2]["source"], "version.txt");
  auto& cudnn = j["machine"]["cudnn"];
  ASSERT_EQ(cudnn.size(), 2u);
  EXPECT_EQ(cudnn[0]["version"], "8.9.7");
  EXPECT_EQ(cudnn[1]["version"], "9.1.0");
}

TEST(Chain, GpuFromPciIdsWhenTheTableLacksIt) {
  auto j = doctor_json("chain-pci-ids");
  auto& g = j["machine"]["gpus"][0];
  EXPECT_EQ(g["name"], "NVIDIA GeForce GTX 780 Ti");
  EXPECT_EQ(g["chip"], "GK110B");
  EXPECT_EQ(g["compute_capability"], "3.5");
  EXPECT_EQ(g["architecture"], "Kepler");
  EXPECT_EQ(g["source"], "sysfs+pci.ids");
}

// Acceptance of issue 2 on this machine: no GPU, the CUDA 13.0 toolkit and cuDNN 9.19.
TEST(ThisMachine, DoctorJsonNoGpuWithToolkit) {
  if (!std::filesystem::exists("/usr/local/cuda-13.0/dist-info"))
    GTEST_SKIP() << "/usr/local/cuda-13.0 is not on this machine";
  if (std::filesystem::exists("/proc/driver/nvidia/version"))
    GTEST_SKIP() << "this machine has an NVIDIA driver: the no-GPU acceptance does not apply";
  auto r = run_gpuenv({"doctor", "--json", "--no-cache"}, {{"PATH", "/usr/bin:/bin"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["status"], "no-gpu");
  EXPECT_TRUE(j["machine"]["gpus"].empty());
  bool toolkit = false;
  for (auto& t : j["machine"]["cuda_toolkits"])
    if (t["path"] == "/usr/local/cuda-13.0") {
      toolkit = true;
      EXPECT_EQ(t["version"], "13.0.88");
      EXPECT_NE(t["source"].get<std::string>().find("nvidia_cuda_nvcc"), std::string::npos);
    }
  EXPECT_TRUE(toolkit) << r.out;
  bool cudnn = false;
  for (auto& c : j["machine"]["cudnn"]) cudnn = cudnn || c["version"] == "9.19.0";
  EXPECT_TRUE(cudnn) << r.out;
  bool info = false;
  for (auto& f : j["findings"]) info = info || (f["id"] == "no-nvidia-gpu" && f["severity"] == "info");
  EXPECT_TRUE(info);
}

}  // namespace
}  // namespace gpuenv::test

namespace gpuenv::test {
namespace {

// doctor and facts never start Python or nvidia-smi (design.md §3): fake ones on PATH leave a marker
// when run, and the marker must not appear.
TEST(Chain, DoctorStartsNoPythonAndNoNvidiaSmi) {
  TempDir tmp;
  std::string marker = tmp.path() + "/ran";
  for (const char* name : {"python3", "python", "nvidia-smi", "nvcc", "python3.11"}) {
    std::string p = tmp.write(std::string("bin/") + name, "#!/bin/sh\necho \"$0\" >> '" + marker + "'\n");
    std::filesystem::permissions(p, std::filesystem::perms::owner_all);
  }
  std::string path = tmp.path() + "/bin:/usr/bin:/bin";
  for (auto& args :
       std::vector<std::vector<std::string>>{{"doctor", "--json"},
                                             {"facts"},
                                             {"doctor"},
                                             {"doctor", "--root", fixture_root("chain-proprietary-535")}}) {
    auto r = run_gpuenv(args, {{"PATH", path}});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(marker)) << read_file(marker);
}

}  // namespace
}  // namespace gpuenv::test
