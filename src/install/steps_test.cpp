#include "install/steps.hpp"

#include <gtest/gtest.h>

#include "install/parse.hpp"

namespace gpuenv::install {
namespace {

plan::Recommendation cu124() {
  plan::Recommendation r;
  r.torch = "2.5.1";
  r.variant = "cu124";
  r.torchvision = "0.20.1";
  r.torchaudio = "2.5.1";
  r.python = "3.12";
  r.commands.pip_argv = {"python",
                         "-m",
                         "pip",
                         "install",
                         "torch==2.5.1",
                         "torchvision==0.20.1",
                         "torchaudio==2.5.1",
                         "--index-url",
                         "https://download.pytorch.org/whl/cu124"};
  r.commands.uv_argv = {"uv",
                        "pip",
                        "install",
                        "torch==2.5.1",
                        "torchvision==0.20.1",
                        "torchaudio==2.5.1",
                        "--torch-backend=cu124"};
  r.commands.conda_argv = {"conda",
                           "install",
                           "pytorch==2.5.1",
                           "torchvision==0.20.1",
                           "torchaudio==2.5.1",
                           "pytorch-cuda=12.4",
                           "-c",
                           "pytorch",
                           "-c",
                           "nvidia"};
  r.commands.conda_native = true;
  return r;
}

using V = std::vector<std::string>;

TEST(InstallSteps, PipIntoExistingEnvSnapshotsResolvesInstallsVerifies) {
  Target t;
  t.prefix = "/home/a/my env";
  auto s = make_steps(cu124(), t, Installer::pip, {}, true, false);
  ASSERT_EQ(s.steps.size(), 4u);
  EXPECT_EQ(s.python, "/home/a/my env/bin/python");
  EXPECT_EQ(s.steps[0].kind, StepKind::snapshot);
  EXPECT_EQ(s.steps[0].argv, (V{"/home/a/my env/bin/python", "-m", "pip", "inspect"}));
  EXPECT_EQ(s.steps[1].kind, StepKind::resolve);
  EXPECT_EQ(s.steps[1].argv, (V{"/home/a/my env/bin/python", "-m", "pip", "install", "--dry-run", "--quiet",
                                "--report", "-", "torch==2.5.1", "torchvision==0.20.1", "torchaudio==2.5.1",
                                "--index-url", "https://download.pytorch.org/whl/cu124"}));
  EXPECT_EQ(s.steps[2].argv,
            (V{"/home/a/my env/bin/python", "-m", "pip", "install", "torch==2.5.1", "torchvision==0.20.1",
               "torchaudio==2.5.1", "--index-url", "https://download.pytorch.org/whl/cu124"}));
  EXPECT_EQ(s.steps[3].argv, (V{"/home/a/my env/bin/python", "-B", "-c", "<probe.py>"}));
  EXPECT_EQ(s.what, "torch 2.5.1 (cu124)");
  EXPECT_EQ(s.packages, (V{"torch", "torchvision", "torchaudio"}));
}

TEST(InstallSteps, NewVenvIsCreatedFirstAndNotSnapshotted) {
  Target t;
  t.kind = Target::Kind::new_venv;
  t.exists = false;
  t.prefix = "/tmp/x/new";
  t.base_python = "/usr/bin/python3";
  auto s = make_steps(cu124(), t, Installer::pip, {}, false, false);
  ASSERT_EQ(s.steps.size(), 2u);
  EXPECT_EQ(s.steps[0].argv, (V{"/usr/bin/python3", "-m", "venv", "/tmp/x/new"}));
  EXPECT_EQ(s.steps[1].kind, StepKind::install);
}

TEST(InstallSteps, UvUsesItsOwnVenvListAndDryRun) {
  Target t;
  t.kind = Target::Kind::new_venv;
  t.exists = false;
  t.prefix = "/e";
  t.base_python = "3.12";
  auto s = make_steps(cu124(), t, Installer::uv, {}, true, true);
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[0].argv, (V{"uv", "venv", "--python", "3.12", "/e"}));
  EXPECT_EQ(s.steps[1].argv, (V{"uv", "pip", "install", "--python", "/e/bin/python", "torch==2.5.1",
                                "torchvision==0.20.1", "torchaudio==2.5.1", "--torch-backend=cu124"}));
  EXPECT_EQ(s.steps[2].argv, (V{"/e/bin/python", "-B", "-c", "<probe.py>", "--cpu-ok"}));
  t.exists = true;
  s = make_steps(cu124(), t, Installer::uv, {}, false, false);
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[0].argv, (V{"uv", "pip", "list", "--format", "json", "--python", "/e/bin/python"}));
  EXPECT_EQ(s.steps[1].argv[3], "--dry-run");
}

TEST(InstallSteps, CondaNativeCreatesSnapshotsAndInstallsByName) {
  Target t;
  t.kind = Target::Kind::conda;
  t.conda_name = "dl";
  t.prefix = "/opt/conda/envs/dl";
  t.exists = false;
  t.python_version = "3.12";
  auto s = make_steps(cu124(), t, Installer::conda, {}, false, false);
  ASSERT_EQ(s.steps.size(), 2u);
  EXPECT_TRUE(s.conda_native);
  EXPECT_EQ(s.steps[0].argv, (V{"conda", "create", "--yes", "--name", "dl", "python=3.12"}));
  EXPECT_EQ(s.steps[1].argv,
            (V{"conda", "install", "--yes", "--name", "dl", "pytorch==2.5.1", "torchvision==0.20.1",
               "torchaudio==2.5.1", "pytorch-cuda=12.4", "-c", "pytorch", "-c", "nvidia"}));
  t.exists = true;
  s = make_steps(cu124(), t, Installer::conda, {}, false, false);
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[0].argv, (V{"conda", "list", "--explicit", "--name", "dl"}));
  EXPECT_EQ(s.steps[1].argv, (V{"conda", "list", "--revisions", "--name", "dl"}));
}

TEST(InstallSteps, CondaWithoutABuildUsesPipOfTheEnvironment) {
  auto r = cu124();
  r.commands.conda_native = false;
  r.commands.conda_argv = r.commands.pip_argv;
  Target t;
  t.kind = Target::Kind::conda;
  t.conda_name = "dl";
  t.prefix = "/opt/conda/envs/dl";
  auto s = make_steps(r, t, Installer::conda, {}, false, false);
  EXPECT_FALSE(s.conda_native);
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[0].argv, (V{"/opt/conda/envs/dl/bin/python", "-m", "pip", "inspect"}));
  EXPECT_EQ(s.steps[2].argv[0], "/opt/conda/envs/dl/bin/python");
}

TEST(InstallIndex, PassThroughAndMirrors) {
  V args{"torch==2.5.1", "--index-url", "https://download.pytorch.org/whl/cu124"};
  IndexOptions idx;
  idx.find_links = {"/w h"};
  idx.no_index = true;
  idx.extra_index_urls = {"http://x/simple"};
  EXPECT_EQ(apply_index_options(args, idx, false),
            (V{"torch==2.5.1", "--index-url", "https://download.pytorch.org/whl/cu124", "--extra-index-url",
               "http://x/simple", "--find-links", "/w h", "--no-index"}));
  IndexOptions m;
  m.mirrors = {{"https://download.pytorch.org/whl", "http://mirror.lab/torch"}};
  EXPECT_EQ(apply_index_options(args, m, false),
            (V{"torch==2.5.1", "--index-url", "http://mirror.lab/torch/cu124"}));
  EXPECT_EQ(apply_index_options({"torch==2.5.1", "--torch-backend=cu124"}, m, true),
            (V{"torch==2.5.1", "--index-url", "http://mirror.lab/torch/cu124"}));
  EXPECT_EQ(apply_index_options({"torch==2.5.1", "--torch-backend=cu124"}, {}, true),
            (V{"torch==2.5.1", "--torch-backend=cu124"}));
  IndexOptions own;
  own.index_url = "http://pypi.lab/simple";
  EXPECT_EQ(apply_index_options(args, own, false),
            (V{"torch==2.5.1", "--index-url", "http://pypi.lab/simple"}));
  EXPECT_EQ(apply_index_options({"torch==2.5.1"}, own, false),
            (V{"torch==2.5.1", "--index-url", "http://pypi.lab/simple"}));
}

TEST(InstallIndex, MirrorSettings) {
  std::string err;
  auto m = parse_mirrors(std::string("http://m/whl/"), std::nullopt, err);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].first, kPytorchIndex);
  EXPECT_EQ((*m)[0].second, "http://m/whl");
  m = parse_mirrors(std::string("https://a/x=http://b/y"),
                    std::string(R"({"index_mirror": {"https://download.pytorch.org/whl": "http://c/whl"}})"),
                    err);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0], (std::pair<std::string, std::string>{"https://a/x", "http://b/y"}));
  EXPECT_EQ((*m)[1].second, "http://c/whl");
  EXPECT_FALSE(parse_mirrors(std::nullopt, std::string("[1]"), err));
  EXPECT_FALSE(parse_mirrors(std::nullopt, std::string(R"({"index_mirror": {"a": 1}})"), err));
  EXPECT_NE(err.find("\"a\""), std::string::npos);
}

TEST(InstallParse, PackageSetsAndReports) {
  auto inspect = parse_package_set(
      R"({"version": "1", "installed": [{"metadata": {"name": "Torch_Vision", "version": "0.20.1"}},
          {"metadata": {"name": "numpy", "version": "2.1.0"}}]})");
  ASSERT_TRUE(inspect);
  EXPECT_EQ(*inspect, (PackageSet{{"torch-vision", "0.20.1"}, {"numpy", "2.1.0"}}));
  auto list = parse_package_set(R"([{"name": "pip", "version": "24.0"}])");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->at("pip"), "24.0");
  EXPECT_FALSE(parse_package_set("not json"));
  EXPECT_FALSE(parse_package_set(R"({"x": 1})"));
  auto report = parse_pip_report(R"({"install": [{"metadata": {"name": "nvidia_cudnn.cu12"}}, {"x": 1}]})");
  ASSERT_TRUE(report);
  EXPECT_EQ(*report, (V{"nvidia-cudnn-cu12"}));
  EXPECT_EQ(
      parse_uv_dry_run("Resolved 3 packages\nWould uninstall 1 package\n - torch==2.4.0\n + torch==2.5.1\n"),
      (V{"torch"}));
  EXPECT_EQ(parse_conda_revision(
                "2026-11-01 10:00:00  (rev 0)\n    +python-3.12\n\n2026-11-02 10:00:00  (rev 12)\n"),
            12);
  EXPECT_FALSE(parse_conda_revision("nothing"));
  EXPECT_EQ(parse_conda_explicit("# platform: linux-64\n@EXPLICIT\nhttps://c/a.conda\n\n"),
            (V{"@EXPLICIT", "https://c/a.conda"}));
  auto info = parse_conda_info(
      R"({"envs": ["/opt/conda", "/opt/conda/envs/dl"], "envs_dirs": ["/opt/conda/envs"]})", "dl");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->existing, "/opt/conda/envs/dl");
  EXPECT_EQ(info->new_prefix, "/opt/conda/envs/dl");
  EXPECT_EQ(parse_record("torch/__init__.py,sha256=x,10\n\"a,b/c.py\",,\n\"q\"\"uote\",,\n"),
            (V{"torch/__init__.py", "a,b/c.py", "q\"uote"}));
  auto meta = parse_metadata("Metadata-Version: 2.1\nName: torch\nVersion: 2.5.1\n\nName: body\n");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->name, "torch");
  EXPECT_EQ(meta->version, "2.5.1");
  EXPECT_EQ(normalize_name("Foo__Bar.baz"), "foo-bar-baz");
}

}  // namespace
}  // namespace gpuenv::install
