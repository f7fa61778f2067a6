// Slow end-to-end tests of `gpuenv envs` (label "slow"): a real venv with real pip installing wheels
// built here (PyPI is not reachable; nothing is downloaded), and a home with 5,000 real directories.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

platform::CommandResult run(std::vector<std::string> argv, const std::string& home) {
  platform::Command c;
  c.argv = std::move(argv);
  c.timeout = std::chrono::seconds(300);
  // Keep pip away from the user's configuration, cache and the network.
  c.env["HOME"] = home;
  c.env["PIP_NO_INDEX"] = "1";
  c.env["PIP_NO_CACHE_DIR"] = "1";
  c.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1";
  c.env["PIP_CONFIG_FILE"] = "/dev/null";
  c.env["PYTHONNOUSERSITE"] = "1";
  platform::RealCommandRunner runner;
  return runner.run(c);
}

const json* env_at(const json& j, const std::string& path) {
  for (auto& e : j["python_envs"])
    if (e["path"] == path) return &e;
  return nullptr;
}

TEST(EnvsSlow, VenvWithLocallyBuiltWheelsInstalledByPip) {
  const std::string python = "/usr/bin/python3";
  if (!fs::exists(python)) GTEST_SKIP() << "no " << python;
  TempDir t;
  if (!run({python, "-m", "pip", "--version"}, t.path()).ok()) GTEST_SKIP() << "no pip for " << python;
  if (!run({python, "-c", "import setuptools, wheel, venv"}, t.path()).ok())
    GTEST_SKIP() << "setuptools/wheel/venv missing for " << python;

  // A stand-in torch with a +cu124 label and its nvidia-* requirement, and that requirement.
  t.write("src/torch/setup.py",
          "from setuptools import setup\n"
          "setup(name='torch', version='2.5.1+cu124', packages=['torch'],\n"
          "      install_requires=[\"nvidia-cuda-runtime-cu12==12.4.127; platform_system == 'Linux'\"])\n");
  t.write("src/torch/torch/__init__.py", "");
  t.write("src/torch/torch/version.py",
          "from typing import Optional\n__version__ = '2.5.1+cu124'\ndebug = False\n"
          "cuda: Optional[str] = '12.4'\nhip: Optional[str] = None\n");
  t.write("src/nv/setup.py",
          "from setuptools import setup\nsetup(name='nvidia-cuda-runtime-cu12', version='12.4.127')\n");
  auto wheel = run({python, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
                    t.path() + "/wheels", t.path() + "/src/torch", t.path() + "/src/nv"},
                   t.path());
  ASSERT_TRUE(wheel.ok()) << wheel.out << wheel.err;
  auto venv = run({python, "-m", "venv", t.path() + "/venv"}, t.path());
  ASSERT_TRUE(venv.ok()) << venv.err;
  std::vector<std::string> install = {t.path() + "/venv/bin/python", "-m", "pip", "install", "--no-deps"};
  for (auto& w : fs::directory_iterator(t.path() + "/wheels")) install.push_back(w.path().string());
  ASSERT_EQ(install.size(), 7u);
  auto pip = run(install, t.path());
  ASSERT_TRUE(pip.ok()) << pip.out << pip.err;

  auto r = run_gpuenv({"envs", "--json", "--env", t.path() + "/venv"},
                      {{"HOME", t.path()}, {"PATH", "/usr/bin:/bin"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  const json* e = env_at(j, t.path() + "/venv");
  ASSERT_NE(e, nullptr) << r.out;
  EXPECT_EQ((*e)["kind"], "venv");
  EXPECT_EQ((*e)["found_by"][0], "--env");
  EXPECT_EQ((*e)["python_source"], t.path() + "/venv/pyvenv.cfg");
  EXPECT_FALSE((*e)["base_missing"].get<bool>());
  auto& torch = (*e)["packages"]["torch"];
  EXPECT_EQ(torch["version"], "2.5.1+cu124");
  EXPECT_EQ(torch["variant"], "cu124");
  EXPECT_EQ(torch["cuda"], "12.4");
  EXPECT_EQ(torch["source"], "pip");
  EXPECT_EQ(torch["installer"], "pip");
  EXPECT_EQ(torch["location"], (*e)["site_packages"][0].get<std::string>() + "/torch-2.5.1+cu124.dist-info");
  EXPECT_EQ(torch["requires_dist"], json::array({"nvidia-cuda-runtime-cu12==12.4.127"}));
  auto& nv = (*e)["packages"]["nvidia-cuda-runtime-cu12"];
  EXPECT_EQ(nv["version"], "12.4.127");
  EXPECT_EQ(nv["cuda"], "12");
  // Its libraries are all there: what keeps it from the GPU is only the machine.
  EXPECT_NE((*e)["gpu_ready"]["reason"].get<std::string>().find("CUDA 12.4"), std::string::npos);
}

TEST(EnvsSlow, HomeWithFiveThousandRealDirectories) {
  TempDir t;
  for (int a = 0; a < 100; ++a)
    for (int b = 0; b < 50; ++b)
      fs::create_directories(t.path() + "/home/u/a" + std::to_string(a) + "/b" + std::to_string(b));
  t.write("home/u/a0/b1/pyvenv.cfg", "home = /usr/bin\nversion = 3.11.2\n");
  auto r = run_gpuenv({"facts", "--root", t.path()}, {{"HOME", "/home/u"}, {"PATH", ""}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto m = json::parse(r.out)["machine"];
  ASSERT_EQ(m["python_envs"].size(), 1u);
  EXPECT_EQ(m["python_envs"][0]["path"], "/home/u/a0/b1");
  bool reported = false;
  for (auto& w : m["warnings"])
    if (w["path"] == "/home/u" && w["message"].get<std::string>().starts_with(
                                      "search for pyvenv.cfg under /home/u: stopped after listing 3000"))
      reported = true;
  EXPECT_TRUE(reported) << m["warnings"].dump();
}

}  // namespace
}  // namespace gpuenv::test
