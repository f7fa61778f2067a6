// `gpuenv envs` end to end: golden text on fixture roots, the JSON contract, and this machine's own
// environments (pyenv's Pythons, Debian's python3-torch) where they exist.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::map<std::string, std::string> bob() {
  return {{"HOME", "/home/bob"}, {"PWD", "/home/bob"}, {"PATH", "/home/bob/.pyenv/shims:/usr/bin"}};
}

void check_golden(const std::string& name, const std::string& actual) {
  std::string path = source_dir() + "/tests/golden/envs/" + name;
  if (update_golden()) {
    fs::create_directories(fs::path(path).parent_path());
    write_file(path, actual);
    return;
  }
  EXPECT_EQ(actual, read_file(path)) << "golden " << path << " (GPUENV_UPDATE_GOLDEN=1 rewrites it)";
}

TEST(EnvsCli, PipFixtureText) {
  auto r = run_gpuenv({"envs", "--root", fixture_root("envs-pip")}, bob());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  check_golden("envs-pip.txt", r.out);
}

TEST(EnvsCli, PipFixtureTextJapanese) {
  auto r = run_gpuenv({"envs", "--lang", "ja", "--root", fixture_root("envs-pip")}, bob());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  check_golden("envs-pip.ja.txt", r.out);
}

TEST(EnvsCli, CondaFixtureVerboseText) {
  auto r = run_gpuenv({"envs", "-v", "--root", fixture_root("envs-conda")},
                      {{"HOME", "/home/alice"}, {"PATH", ""}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  check_golden("envs-conda.txt", r.out);
}

TEST(EnvsCli, HostileFixtureNeverCrashes) {
  for (auto* fmt : {"text", "json"}) {
    auto r = run_gpuenv({"envs", "--format", fmt, "--root", fixture_root("envs-hostile")},
                        {{"HOME", "/home/eve"}, {"PATH", "/home/eve/a:/home/eve/escape"}});
    EXPECT_EQ(r.exit_code, 0) << fmt << ": " << r.err;
  }
  auto f =
      run_gpuenv({"facts", "--root", fixture_root("envs-hostile")}, {{"HOME", "/home/eve"}, {"PATH", ""}});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  json parsed;
  EXPECT_NO_THROW(parsed = json::parse(f.out));
}

TEST(EnvsCli, JsonContract) {
  auto r = run_gpuenv({"envs", "--json", "--root", fixture_root("envs-pip")}, bob());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  ASSERT_TRUE(j["python_envs"].is_array());
  const json* cu124 = nullptr;
  for (auto& e : j["python_envs"])
    if (e["path"] == "/home/bob/venvs/cu124") cu124 = &e;
  ASSERT_NE(cu124, nullptr);
  EXPECT_EQ((*cu124)["kind"], "venv");
  EXPECT_EQ((*cu124)["python"], "3.11.2");
  EXPECT_EQ((*cu124)["packages"]["torch"]["version"], "2.5.1+cu124");
  EXPECT_EQ((*cu124)["packages"]["torch"]["variant"], "cu124");
  EXPECT_EQ((*cu124)["packages"]["torch"]["cuda"], "12.4");
  EXPECT_EQ((*cu124)["packages"]["torch"]["source"], "pip");
  EXPECT_EQ((*cu124)["gpu_ready"]["state"], "not-ready");
  EXPECT_EQ((*cu124)["gpu_ready"]["reason"], "CUDA 12.4 build, but no NVIDIA GPU found");
  EXPECT_TRUE((*cu124)["name"].is_null());  // absent values are null, never ""
  auto ja = json::parse(
      run_gpuenv({"envs", "--json", "--lang", "ja", "--root", fixture_root("envs-pip")}, bob()).out);
  EXPECT_EQ(ja["python_envs"][0]["gpu_ready"]["reason"], "no torch");
  EXPECT_EQ(ja["python_envs"][0]["gpu_ready"]["reason_localized"], "torch なし");
}

TEST(EnvsCli, EnvironmentsAppearInFactsAndDoctor) {
  auto f =
      run_gpuenv({"facts", "--root", fixture_root("envs-conda")}, {{"HOME", "/home/alice"}, {"PATH", ""}});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  auto j = json::parse(f.out);
  EXPECT_EQ(j["machine"]["python_envs"].size(), 7u);
  EXPECT_EQ(j["machine"]["jupyter_kernels"].size(), 1u);
  auto d =
      run_gpuenv({"doctor", "--root", fixture_root("envs-conda")}, {{"HOME", "/home/alice"}, {"PATH", ""}});
  EXPECT_NE(d.out.find("/data/projects/seg/env"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("torch 2.4.1 [cu126]"), std::string::npos) << d.out;
}

// ---------------------------------------------------------------------------------------------------
// This machine (issue 3's acceptance): every pyenv Python with its version, and the system Python with
// Debian's python3-torch.

json live_envs() {
  std::map<std::string, std::string> env{{"HOME", "/root"}};
  if (const char* p = std::getenv("PATH")) env["PATH"] = p;
  auto r = run_gpuenv({"envs", "--json"}, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

const json* env_at(const json& j, const std::string& path) {
  for (auto& e : j["python_envs"])
    if (e["path"] == path) return &e;
  return nullptr;
}

TEST(EnvsLive, EveryPyenvPythonWithItsVersion) {
  const fs::path versions = "/root/.pyenv/versions";
  std::error_code ec;
  if (!fs::is_directory(versions, ec)) GTEST_SKIP() << "no " << versions;
  auto j = live_envs();
  int n = 0;
  for (auto& d : fs::directory_iterator(versions)) {
    if (!d.is_directory()) continue;
    // The version the installation itself declares: include/pythonX.Y*/patchlevel.h.
    std::string want;
    for (auto& inc : fs::directory_iterator(d.path() / "include", ec)) {
      std::smatch m;
      std::string text = read_file((inc.path() / "patchlevel.h").string());
      static const std::regex re("#define PY_VERSION\\s+\"([^\"+]+)");
      if (std::regex_search(text, m, re)) want = m[1];
    }
    if (want.empty()) continue;
    const json* e = env_at(j, d.path().string());
    ASSERT_NE(e, nullptr) << d.path() << " not listed";
    EXPECT_EQ((*e)["kind"], "pyenv") << d.path();
    EXPECT_EQ((*e)["python"], want) << d.path();
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST(EnvsLive, SystemPythonWithDebianTorch) {
  if (!fs::exists("/usr/lib/python3/dist-packages/torch/version.py"))
    GTEST_SKIP() << "Debian's python3-torch is not installed";
  auto j = live_envs();
  const json* sys = env_at(j, "/usr");
  ASSERT_NE(sys, nullptr);
  EXPECT_EQ((*sys)["kind"], "system");
  auto& t = (*sys)["packages"]["torch"];
  EXPECT_EQ(t["version"], "1.13.0a0");
  EXPECT_EQ(t["variant"], "cpu");
  EXPECT_TRUE(t["cuda"].is_null());
  EXPECT_EQ(t["source"], "distro");
  EXPECT_EQ(t["location"].get<std::string>().rfind(
                "/usr/lib/python3/dist-packages/torch-1.13.0a0+gitunknown.egg-info", 0),
            0u);
  EXPECT_EQ((*sys)["gpu_ready"]["reason"], "CPU-only build of torch");
}

}  // namespace
}  // namespace gpuenv::test
