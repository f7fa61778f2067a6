// Probe tests: the Python environment probe on fixture roots (tests/fixtures/roots/envs-*) and on
// trees built in a temporary directory.
#include "probes/python.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/testsupport.hpp"

namespace gpuenv::probes {
namespace {

using facts::PythonEnv;

struct Probe {
  platform::RootedFileSystem fs;
  platform::MapEnvironment env;
  std::vector<std::string> extra_envs, extra_pythons;
  facts::Machine m;
  std::vector<facts::ProbeWarning> warnings;

  Probe(const std::string& root, std::map<std::string, std::string> vars) : fs(root), env(std::move(vars)) {}
  Probe& run() {
    ProbeContext ctx{fs, env, kb::KnowledgeBase::builtin(), std::nullopt, extra_envs, extra_pythons, {}, {}};
    probe_python(ctx, m);
    warnings = ctx.warnings;
    return *this;
  }
  const PythonEnv& env_at(const std::string& path) const {
    for (auto& e : m.python_envs)
      if (e.path == path) return e;
    throw std::runtime_error("no environment at " + path);
  }
  bool has_env(const std::string& path) const {
    return std::any_of(m.python_envs.begin(), m.python_envs.end(), [&](auto& e) { return e.path == path; });
  }
  bool warned(const std::string& path, const std::string& part) const {
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](auto& w) { return w.path == path && w.message.find(part) != std::string::npos; });
  }
};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

const facts::VisiblePackage* visible(const PythonEnv& e, const std::string& name, const std::string& via) {
  for (auto& v : e.also_visible)
    if (v.name == name && v.via == via) return &v;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------------
// conda: base + named envs + an env known only from environments.txt; pytorch channel CUDA and CPU
// builds, conda-forge, cudatoolkit, pip over conda.

class CondaFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    probe = new Probe(test::fixture_root("envs-conda"), {{"HOME", "/home/alice"}, {"PATH", ""}});
    probe->run();
  }
  static void TearDownTestSuite() { delete probe; }
  static Probe* probe;
};
Probe* CondaFixture::probe = nullptr;

TEST_F(CondaFixture, FindsBaseNamedEnvsEnvironmentsTxtAndOpt) {
  std::vector<std::string> paths;
  for (auto& e : probe->m.python_envs) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "/home/alice/miniconda3", "/home/alice/miniconda3/envs/mixed",
                       "/home/alice/miniconda3/envs/old-toolkit", "/home/alice/miniconda3/envs/torch-cpu",
                       "/home/alice/miniconda3/envs/torch-cuda", "/data/projects/seg/env", "/opt/conda"}));
  auto& base = probe->env_at("/home/alice/miniconda3");
  EXPECT_EQ(base.kind, "conda");
  EXPECT_EQ(base.name, "base");
  EXPECT_EQ(base.python, "3.11.5");
  EXPECT_EQ(base.found_by, (std::vector<std::string>{"conda install /home/alice/miniconda3",
                                                     "/home/alice/.conda/environments.txt"}));
  auto& only_txt = probe->env_at("/data/projects/seg/env");
  EXPECT_EQ(only_txt.found_by, (std::vector<std::string>{"/home/alice/.conda/environments.txt"}));
  EXPECT_TRUE(probe->warned("/home/alice/.conda/environments.txt", "/home/alice/gone-env"));
}

TEST_F(CondaFixture, PytorchChannelCudaBuild) {
  auto& e = probe->env_at("/home/alice/miniconda3/envs/torch-cuda");
  EXPECT_EQ(e.name, "torch-cuda");
  EXPECT_EQ(e.python, "3.10.13");
  EXPECT_EQ(e.python_source,
            "/home/alice/miniconda3/envs/torch-cuda/conda-meta/python-3.10.13-h955ad1f_0.json");
  auto& t = e.packages.at("torch");
  EXPECT_EQ(t.version, "2.1.0");
  EXPECT_EQ(t.variant, "cu121");
  EXPECT_EQ(t.cuda, "12.1");
  EXPECT_EQ(t.source, "conda");
  EXPECT_EQ(t.channel, "pytorch");
  EXPECT_EQ(t.build, "py3.10_cuda12.1_cudnn8.9.2_0");
  EXPECT_EQ(e.packages.at("pytorch-cuda").cuda, "12.1");
  EXPECT_EQ(e.packages.at("pytorch-mutex").build, "cuda");
  EXPECT_EQ(e.packages.at("torchvision").variant, "cu121");
  EXPECT_EQ(e.packages.at("cuda-cudart").channel, "nvidia");
  EXPECT_TRUE(e.also_visible.empty());
}

TEST_F(CondaFixture, PytorchChannelCpuBuild) {
  auto& e = probe->env_at("/home/alice/miniconda3/envs/torch-cpu");
  EXPECT_EQ(e.packages.at("torch").variant, "cpu");
  EXPECT_FALSE(e.packages.at("torch").cuda);
  EXPECT_EQ(e.packages.at("cpuonly").variant, "cpu");
  EXPECT_EQ(e.packages.at("pytorch-mutex").variant, "cpu");
}

TEST_F(CondaFixture, CudatoolkitEraAndCondaForge) {
  auto& old = probe->env_at("/home/alice/miniconda3/envs/old-toolkit");
  EXPECT_EQ(old.packages.at("torch").variant, "cu113");
  EXPECT_EQ(old.packages.at("cudatoolkit").cuda, "11.3");
  auto& cf = probe->env_at("/data/projects/seg/env");
  auto& t = cf.packages.at("torch");
  EXPECT_EQ(t.version, "2.4.1");
  EXPECT_EQ(t.variant, "cu126");
  EXPECT_EQ(t.cuda, "12.6");
  EXPECT_EQ(t.source, "conda");
  EXPECT_EQ(t.channel, "conda-forge");
  EXPECT_EQ(t.installer, "conda");
  EXPECT_EQ(cf.packages.at("cuda-version").cuda, "12.6");
  EXPECT_EQ(cf.packages.at("libtorch").variant, "cu126");
}

TEST_F(CondaFixture, PipTorchOverCondaTorchIsTwoCopies) {
  auto& e = probe->env_at("/home/alice/miniconda3/envs/mixed");
  auto& t = e.packages.at("torch");
  EXPECT_EQ(t.version, "2.3.1+cu121");
  EXPECT_EQ(t.source, "pip");
  EXPECT_EQ(t.requires_dist, (std::vector<std::string>{"nvidia-cuda-runtime-cu12==12.1.105"}));
  auto* conda = visible(e, "torch", "conda-meta");
  ASSERT_NE(conda, nullptr);
  EXPECT_EQ(conda->package.version, "2.0.1");
  EXPECT_EQ(conda->package.variant, "cu118");
}

TEST_F(CondaFixture, KernelInsideTheEnvIsTiedToIt) {
  const std::string k = "/home/alice/miniconda3/envs/torch-cuda/share/jupyter/kernels/python3/kernel.json";
  auto& e = probe->env_at("/home/alice/miniconda3/envs/torch-cuda");
  EXPECT_EQ(e.kernels, (std::vector<std::string>{k}));
  ASSERT_EQ(probe->m.jupyter_kernels.size(), 1u);
  EXPECT_EQ(probe->m.jupyter_kernels[0].path, k);
  EXPECT_EQ(probe->m.jupyter_kernels[0].argv0, "python");
  EXPECT_EQ(probe->m.jupyter_kernels[0].env, "/home/alice/miniconda3/envs/torch-cuda");
  EXPECT_EQ(probe->m.jupyter_kernels[0].display_name, "Python 3 (ipykernel)");
}

// ---------------------------------------------------------------------------------------------------
// pip: venvs with +cu124 / +cpu, a PyPI wheel without a label, Debian's python3-torch, a user-site torch
// shadowing it, pyenv behind shims, uv, pipenv, virtualenvwrapper, a venv whose base is gone.

std::map<std::string, std::string> bob_env(std::map<std::string, std::string> extra = {}) {
  std::map<std::string, std::string> v{
      {"HOME", "/home/bob"}, {"PWD", "/home/bob"}, {"PATH", "/home/bob/.pyenv/shims:/usr/bin"}};
  for (auto& [k, x] : extra) v[k] = x;
  return v;
}

TEST(PipFixture, SystemPythonWithDebianTorchShadowedByUserSite) {
  Probe p(test::fixture_root("envs-pip"), bob_env());
  p.run();
  auto& sys = p.env_at("/usr");
  EXPECT_EQ(sys.kind, "system");
  EXPECT_EQ(sys.python, "3.11.2");
  EXPECT_EQ(sys.python_source, "/var/lib/dpkg/status (python3.11-minimal)");
  EXPECT_EQ(sys.interpreter, "/usr/bin/python3");  // the first that led there
  EXPECT_EQ(sys.site_packages, (std::vector<std::string>{"/usr/lib/python3/dist-packages"}));
  auto& t = sys.packages.at("torch");
  EXPECT_EQ(t.version, "1.13.0a0");  // version.py; the egg-info says 1.13.0a0+gitunknown
  EXPECT_EQ(t.variant, "cpu");
  EXPECT_FALSE(t.cuda);
  EXPECT_EQ(t.source, "distro");
  EXPECT_EQ(t.location, "/usr/lib/python3/dist-packages/torch-1.13.0a0+gitunknown.egg-info");
  EXPECT_EQ(sys.user_site, "/home/bob/.local/lib/python3.11/site-packages");
  auto* user = visible(sys, "torch", "user-site");
  ASSERT_NE(user, nullptr);
  EXPECT_TRUE(user->ahead);
  EXPECT_EQ(user->package.version, "2.0.1");
  EXPECT_EQ(user->package.cuda, "11.7");
  EXPECT_EQ(user->package.variant, "cu117");
  EXPECT_EQ(p.m.user_sites, (std::vector<std::string>{"/home/bob/.local/lib/python3.11/site-packages"}));
  // Found through PATH (python3 and python3.11) and as the system Python: one environment.
  EXPECT_EQ(
      std::count_if(p.m.python_envs.begin(), p.m.python_envs.end(), [](auto& e) { return e.path == "/usr"; }),
      1);
  EXPECT_TRUE(sys.on_path);
}

TEST(PipFixture, PyenvShimResolvedThroughTheGlobalVersionFile) {
  Probe p(test::fixture_root("envs-pip"), bob_env());
  p.run();
  auto& e = p.env_at("/home/bob/.pyenv/versions/3.12.3");
  EXPECT_EQ(e.kind, "pyenv");
  EXPECT_EQ(e.python, "3.12.3");
  EXPECT_EQ(e.python_source, "/home/bob/.pyenv/versions/3.12.3/include/python3.12/patchlevel.h");
  EXPECT_TRUE(e.on_path);
  EXPECT_TRUE(contains(e.found_by,
                       "pyenv shim /home/bob/.pyenv/shims/python3 (3.12.3 from /home/bob/.pyenv/version)"));
  EXPECT_EQ(p.m.python_envs.front().path, "/home/bob/.pyenv/versions/3.12.3");  // first on PATH
}

TEST(PipFixture, PyenvVersionSystemFallsThroughToTheNextPathEntry) {
  Probe p(test::fixture_root("envs-pip"), bob_env({{"PYENV_VERSION", "system"}}));
  p.run();
  auto& sys = p.env_at("/usr");
  EXPECT_TRUE(
      contains(sys.found_by, "pyenv shim /home/bob/.pyenv/shims/python3 (system from $PYENV_VERSION)"));
  EXPECT_FALSE(p.env_at("/home/bob/.pyenv/versions/3.12.3").on_path);
}

TEST(PipFixture, VenvWithCu124WheelsAndItsKernel) {
  Probe p(test::fixture_root("envs-pip"), bob_env());
  p.run();
  auto& e = p.env_at("/home/bob/venvs/cu124");
  EXPECT_EQ(e.kind, "venv");
  EXPECT_EQ(e.python, "3.11.2");
  EXPECT_EQ(e.interpreter, "/home/bob/venvs/cu124/bin/python3");
  EXPECT_EQ(e.base_interpreter, "/usr/bin/python3.11");
  EXPECT_FALSE(e.base_missing);
  EXPECT_FALSE(e.user_site_visible);
  EXPECT_FALSE(e.user_site);
  auto& t = e.packages.at("torch");
  EXPECT_EQ(t.version, "2.5.1+cu124");
  EXPECT_EQ(t.variant, "cu124");
  EXPECT_EQ(t.cuda, "12.4");
  EXPECT_EQ(t.source, "pip");
  EXPECT_EQ(t.installer, "pip");
  EXPECT_EQ(t.requires_dist,
            (std::vector<std::string>{"nvidia-cuda-runtime-cu12==12.4.127", "nvidia-cudnn-cu12==9.1.0.70",
                                      "nvidia-cublas-cu12==12.4.5.8", "triton==3.1.0"}));
  EXPECT_EQ(e.packages.at("nvidia-cudnn-cu12").version, "9.1.0.70");
  EXPECT_EQ(e.packages.at("nvidia-cudnn-cu12").cuda, "12");
  EXPECT_EQ(e.packages.at("nvidia-cuda-runtime-cu12").cuda, "12");
  EXPECT_EQ(e.packages.at("torchvision").variant, "cu124");
  EXPECT_EQ(e.kernels,
            (std::vector<std::string>{"/home/bob/.local/share/jupyter/kernels/cu124/kernel.json"}));
  EXPECT_TRUE(
      p.warned("/home/bob/.local/share/jupyter/kernels/lost/kernel.json", "/home/bob/deleted/bin/python"));
}

TEST(PipFixture, PypiWheelWithoutLabel) {
  Probe p(test::fixture_root("envs-pip"), bob_env());
  p.run();
  // CUDA from torch/version.py (and its nvidia-*-cu12 pins agree).
  auto& e = p.env_at("/home/bob/.virtualenvs/pypi");
  EXPECT_EQ(e.python, "3.12.3");
  EXPECT_EQ(e.base_interpreter, "/home/bob/.pyenv/versions/3.12.3/bin/python3.12");
  auto& t = e.packages.at("torch");
  EXPECT_EQ(t.version, "2.6.0");
  EXPECT_EQ(t.variant, "cu124");
  EXPECT_EQ(t.cuda, "12.4");
  EXPECT_EQ(e.packages.at("jax-cuda12-plugin").cuda, "12");
  EXPECT_EQ(e.packages.at("cupy-cuda12x").cuda, "12");
  EXPECT_EQ(e.packages.at("tensorflow").version, "2.17.0");
  EXPECT_EQ(e.packages.at("jaxlib").version, "0.4.30");
  // No version.py: the CUDA comes from the nvidia-cuda-runtime-cu12 pin alone.
  auto& n = p.env_at("/home/bob/projects/noversionpy/env");
  EXPECT_EQ(n.packages.at("torch").variant, "cu124");
  EXPECT_EQ(n.packages.at("torch").cuda, "12.4");
  EXPECT_EQ(n.packages.at("torch").installer, "uv");
  EXPECT_EQ(n.packages.at("torch").source, "pip");
}

TEST(PipFixture, VenvWhoseBaseIsGone) {
  Probe p(test::fixture_root("envs-pip"), bob_env());
  p.run();
  auto& e = p.env_at("/home/bob/old-venv");
  EXPECT_TRUE(e.base_missing);
  EXPECT_EQ(e.base_interpreter, "/usr/local/bin/python3.9");
  EXPECT_EQ(e.python, "3.9.7");
  ASSERT_EQ(e.warnings.size(), 1u);
  EXPECT_NE(e.warnings[0].message.find("/usr/local/bin/python3.9"), std::string::npos);
  EXPECT_EQ(e.warnings[0].id, "warning.env.base_missing");
  EXPECT_EQ(e.warnings[0].path, "/usr/local/bin/python3.9");
  EXPECT_EQ(e.found_by, (std::vector<std::string>{"search of /home/bob"}));
}

TEST(PipFixture, UvPipenvVirtualenvwrapperAndHiddenVenv) {
  Probe p(test::fixture_root("envs-pip"), bob_env());
  p.run();
  auto& uv = p.env_at("/home/bob/.local/share/uv/python/cpython-3.12.4-linux-x86_64-gnu");
  EXPECT_EQ(uv.kind, "uv");
  EXPECT_EQ(uv.python, "3.12.4");
  EXPECT_EQ(p.env_at("/home/bob/.local/share/virtualenvs/proj-AbC123").found_by,
            (std::vector<std::string>{"pipenv /home/bob/.local/share/virtualenvs"}));
  EXPECT_EQ(p.env_at("/home/bob/.virtualenvs/pypi").found_by,
            (std::vector<std::string>{"virtualenvwrapper /home/bob/.virtualenvs"}));
  auto& web = p.env_at("/home/bob/projects/web/.venv");
  EXPECT_EQ(web.python, "3.12.4");
  EXPECT_TRUE(web.include_system_site);
  EXPECT_TRUE(web.user_site_visible);
  EXPECT_EQ(web.base_interpreter,
            "/home/bob/.local/share/uv/python/cpython-3.12.4-linux-x86_64-gnu/bin/python3.12");
}

TEST(PoetryScenario, DefaultVirtualenvsPathIsSearched) {
  Probe p(test::source_dir() + "/tests/fixtures/scenarios/fm-33-poetry-missing-nvidia-wheels/root", {});
  p.run();
  auto& e = p.env_at("/home/alice/.cache/pypoetry/virtualenvs/proj-Xa3bC9dE-py3.10");
  EXPECT_EQ(e.found_by, (std::vector<std::string>{"poetry /home/alice/.cache/pypoetry/virtualenvs"}));
  EXPECT_EQ(e.python, "3.10.12");
}

TEST(PipFixture, PthPythonpathAndNoUserSite) {
  Probe p(
      test::fixture_root("envs-pip"),
      bob_env({{"PYTHONPATH", "/home/bob/src/torch-checkout:relative:/missing"}, {"PYTHONNOUSERSITE", "1"}}));
  p.run();
  auto& cpu = p.env_at("/home/bob/venvs/cpu");
  EXPECT_EQ(cpu.packages.at("torch").variant, "cpu");
  EXPECT_TRUE(contains(cpu.extra_paths, "/home/bob/src/torch-checkout"));
  auto* pth = visible(cpu, "torch", "pth");
  ASSERT_NE(pth, nullptr);
  EXPECT_FALSE(pth->ahead);
  EXPECT_EQ(pth->package.version, "2.7.0a0+git1234567");
  EXPECT_EQ(pth->package.variant, "cpu");
  auto& sys = p.env_at("/usr");
  EXPECT_FALSE(sys.user_site);
  EXPECT_EQ(visible(sys, "torch", "user-site"), nullptr);
  auto* pp = visible(sys, "torch", "PYTHONPATH");
  ASSERT_NE(pp, nullptr);
  EXPECT_TRUE(pp->ahead);
  EXPECT_EQ(sys.extra_paths, (std::vector<std::string>{"/home/bob/src/torch-checkout"}));
}

TEST(PipFixture, ExplicitPythonAndActiveEnvMergeIntoTheSameEnvironment) {
  Probe p(test::fixture_root("envs-pip"), bob_env({{"VIRTUAL_ENV", "/home/bob/venvs/cu124"}}));
  p.extra_pythons = {"/home/bob/venvs/cu124/bin/python", "/nowhere/python"};
  p.extra_envs = {"/home/bob/venvs/cpu/"};
  p.run();
  EXPECT_EQ(p.m.python_envs.front().path, "/home/bob/venvs/cu124");
  auto& e = p.env_at("/home/bob/venvs/cu124");
  EXPECT_TRUE(e.active);
  EXPECT_TRUE(contains(e.found_by, "$VIRTUAL_ENV"));
  EXPECT_TRUE(contains(e.found_by, "--python"));
  EXPECT_TRUE(contains(p.env_at("/home/bob/venvs/cpu").found_by, "--env"));
  EXPECT_TRUE(p.warned("/nowhere/python", "--python"));
  EXPECT_EQ(std::count_if(p.m.python_envs.begin(), p.m.python_envs.end(),
                          [](auto& x) { return x.path == "/home/bob/venvs/cu124"; }),
            1);
}

// ---------------------------------------------------------------------------------------------------
// Hostile input: junk where metadata should be, loops, a kernel.json that is a list.

TEST(HostileFixture, BrokenFilesBecomeWarningsNamingThePath) {
  Probe p(test::fixture_root("envs-hostile"),
          {{"HOME", "/home/eve"}, {"PATH", "/home/eve/a:/home/eve/escape"}});
  ASSERT_NO_THROW(p.run());
  EXPECT_TRUE(p.warned("/home/eve/junk/pyvenv.cfg", "key = value"));
  EXPECT_TRUE(p.warned("/home/eve/junk/lib/python3.11/site-packages/torch-2.5.1.dist-info/METADATA",
                       "not package metadata"));
  EXPECT_TRUE(p.warned("/home/eve/miniconda3/conda-meta/pytorch-cuda-12.1-ha16c6d3_5.json",
                       "not a conda-meta record"));
  EXPECT_TRUE(p.warned("/home/eve/.local/share/jupyter/kernels/bad/kernel.json", "not a kernelspec"));
  auto& junk = p.env_at("/home/eve/junk");
  EXPECT_EQ(junk.python, "3.11");  // from lib/python3.11
  EXPECT_EQ(junk.packages.at("torch").variant, "unknown");
  auto& loops = p.env_at("/home/eve/loops");
  EXPECT_TRUE(loops.base_missing);
  EXPECT_TRUE(loops.site_packages.empty());
  // The truncated pytorch record still gives name, version and build from its file name.
  EXPECT_EQ(p.env_at("/home/eve/miniconda3").packages.at("torch").variant, "cu121");
  // The .pth's NUL line and its escape above the root lead nowhere.
  EXPECT_TRUE(p.env_at("/home/eve/loops2").extra_paths.empty());
  for (auto& a : p.fs.accesses()) EXPECT_EQ(a.path.find('\0'), std::string::npos);
}

// ---------------------------------------------------------------------------------------------------
// Trees built here: pyenv's .python-version, links. (The walk's limits: python_walk_test.cpp.)

TEST(Pyenv, DotPythonVersionPrefixPicksTheNewestPatchRelease) {
  test::TempDir t;
  for (auto v : {"3.11.2", "3.11.10", "3.12.1"}) {
    t.write(std::string("root/.pyenv/versions/") + v + "/bin/python3", "");
    t.write(std::string("root/.pyenv/versions/") + v + "/include/python" + std::string(v).substr(0, 4) +
                "/patchlevel.h",
            std::string("#define PY_VERSION \"") + v + "\"\n");
  }
  t.write("root/.pyenv/shims/python3", "#!/usr/bin/env bash\n");
  t.write("root/.pyenv/version", "3.12.1\n");
  t.write("root/proj/.python-version", "3.11\n");
  Probe p(t.path(), {{"HOME", "/root"}, {"PWD", "/root/proj/sub"}, {"PATH", "/root/.pyenv/shims"}});
  p.run();
  auto& e = p.env_at("/root/.pyenv/versions/3.11.10");
  EXPECT_TRUE(e.on_path);
  EXPECT_TRUE(
      contains(e.found_by, "pyenv shim /root/.pyenv/shims/python3 (3.11 from /root/proj/.python-version)"));
  EXPECT_FALSE(p.env_at("/root/.pyenv/versions/3.12.1").on_path);
  EXPECT_FALSE(p.env_at("/root/.pyenv/versions/3.11.2").on_path);
}

TEST(Dedup, EnvironmentReachedThroughALinkIsListedOnce) {
  test::TempDir t;
  t.write("opt/miniconda3/conda-meta/python-3.12.2-h996f2a0_0_cpython.json", "{}");
  t.symlink("/opt/miniconda3", "opt/conda");
  Probe p(t.path(), {{"PATH", ""}});
  p.run();
  ASSERT_EQ(p.m.python_envs.size(), 1u);
  EXPECT_EQ(p.m.python_envs[0].path, "/opt/conda");
  EXPECT_EQ(p.m.python_envs[0].found_by,
            (std::vector<std::string>{"conda install /opt/conda", "conda install /opt/miniconda3"}));
  EXPECT_EQ(p.m.python_envs[0].python, "3.12.2");
}

}  // namespace
}  // namespace gpuenv::probes
