#include "probes/python_parse.hpp"

#include <gtest/gtest.h>

namespace gpuenv::probes::py {
namespace {

TEST(PyvenvCfg, VenvOfPython311) {
  // Written by `python3 -m venv` (Debian 12, Python 3.11.2).
  auto cfg = parse_pyvenv_cfg(
      "home = /usr/bin\n"
      "include-system-site-packages = false\n"
      "version = 3.11.2\n"
      "executable = /usr/bin/python3.11\n"
      "command = /usr/bin/python3 -m venv /tmp/v\n");
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->home, "/usr/bin");
  EXPECT_EQ(cfg->version, "3.11.2");
  EXPECT_EQ(cfg->executable, "/usr/bin/python3.11");
  EXPECT_FALSE(cfg->include_system_site);
  EXPECT_FALSE(cfg->uv);
}

TEST(PyvenvCfg, UvAndVirtualenv) {
  auto uv = parse_pyvenv_cfg(
      "home = /home/u/.local/share/uv/python/cpython-3.12.4-linux-x86_64-gnu/bin\r\n"
      "implementation = CPython\r\n"
      "uv = 0.4.18\r\n"
      "version_info = 3.12.4\r\n"
      "include-system-site-packages = TRUE\r\n"
      "prompt = web\r\n");
  ASSERT_TRUE(uv);
  EXPECT_EQ(uv->version, "3.12.4");
  EXPECT_EQ(uv->uv, "0.4.18");
  EXPECT_EQ(uv->prompt, "web");
  EXPECT_TRUE(uv->include_system_site);
  auto ve = parse_pyvenv_cfg(
      "home = /usr/bin\nimplementation = CPython\nversion_info = 3.10.12.final.0\nvirtualenv = 20.24.5\n"
      "include-system-site-packages = false\nbase-prefix = /usr\nbase-exec-prefix = /usr\n"
      "base-executable = /usr/bin/python3.10\n");
  ASSERT_TRUE(ve);
  EXPECT_EQ(ve->version, "3.10.12");
  EXPECT_EQ(ve->executable, "/usr/bin/python3.10");
  EXPECT_EQ(ve->base_prefix, "/usr");
  EXPECT_EQ(ve->virtualenv, "20.24.5");
}

TEST(PyvenvCfg, RejectsJunk) {
  EXPECT_FALSE(parse_pyvenv_cfg(""));
  EXPECT_FALSE(
      parse_pyvenv_cfg(std::string("\x7f"
                                   "ELF\x02\x01\x01\0\0",
                                   9)));
  EXPECT_FALSE(parse_pyvenv_cfg("just some words\nand more\n"));
  EXPECT_FALSE(parse_pyvenv_cfg("= value without key\n"));
  auto partial = parse_pyvenv_cfg("version = banana\n");
  ASSERT_TRUE(partial);
  EXPECT_FALSE(partial->version);
}

TEST(CoreMetadata, TorchWheel) {
  // torch-2.5.1+cu124.dist-info/METADATA (headers; the description follows the empty line).
  auto md = parse_core_metadata(
      "Metadata-Version: 2.1\n"
      "Name: torch\n"
      "Version: 2.5.1+cu124\n"
      "Summary: Tensors and Dynamic neural networks in Python with strong GPU acceleration\n"
      "Requires-Python: >=3.8.0\n"
      "Requires-Dist: filelock\n"
      "Requires-Dist: nvidia-cuda-runtime-cu12==12.4.127; platform_system == \"Linux\" and platform_machine "
      "== "
      "\"x86_64\"\n"
      "Requires-Dist: opt-einsum>=3.3; extra == \"opt-einsum\"\n"
      "\n"
      "Name: not-a-header\n"
      "Requires-Dist: not-a-requirement\n");
  ASSERT_TRUE(md);
  EXPECT_EQ(md->name, "torch");
  EXPECT_EQ(md->version, "2.5.1+cu124");
  ASSERT_EQ(md->requires_dist.size(), 3u);
  EXPECT_EQ(
      md->requires_dist[1],
      "nvidia-cuda-runtime-cu12==12.4.127; platform_system == \"Linux\" and platform_machine == \"x86_64\"");
}

TEST(CoreMetadata, DebianPkgInfoAndContinuationLines) {
  // Debian 12 python3-torch: torch-1.13.0a0+gitunknown.egg-info/PKG-INFO
  auto md = parse_core_metadata(
      "Metadata-Version: 2.1\r\nName: torch\r\nVersion: 1.13.0a0+gitunknown\r\n"
      "Summary: Tensors and Dynamic neural networks in Python with strong GPU acceleration\r\n"
      "Requires-Dist: nvidia-cudnn-cu12\r\n   (==9.1.0.70)\r\n");
  ASSERT_TRUE(md);
  EXPECT_EQ(md->version, "1.13.0a0+gitunknown");
  ASSERT_EQ(md->requires_dist.size(), 1u);
  EXPECT_EQ(md->requires_dist[0], "nvidia-cudnn-cu12 (==9.1.0.70)");
}

TEST(CoreMetadata, RejectsJunk) {
  EXPECT_FALSE(parse_core_metadata(""));
  EXPECT_FALSE(
      parse_core_metadata(std::string("\0\x01\x02"
                                      "binary",
                                      9)));
  EXPECT_FALSE(parse_core_metadata("\nName: torch\n"));  // header block empty
  EXPECT_FALSE(parse_core_metadata("Summary: no name, no version\n"));
}

TEST(Requirement, Shapes) {
  auto r = parse_requirement(
      "nvidia-cudnn-cu12==9.1.0.70; platform_system == \"Linux\" and platform_machine == \"x86_64\"");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "nvidia-cudnn-cu12");
  EXPECT_EQ(r->specifier, "==9.1.0.70");
  EXPECT_EQ(r->marker, "platform_system == \"Linux\" and platform_machine == \"x86_64\"");
  EXPECT_TRUE(applies_on_linux(*r));
  auto old = parse_requirement("nvidia_cuda_runtime_cu12 (==12.4.127) ; platform_system == \"Linux\"");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->str(), "nvidia-cuda-runtime-cu12==12.4.127");
  auto tk = parse_requirement("cuda-toolkit[cublas,cudart, cufft]==13.0.2; platform_system == \"Linux\"");
  ASSERT_TRUE(tk);
  EXPECT_EQ(tk->extras, "cublas,cudart,cufft");
  EXPECT_EQ(tk->str(), "cuda-toolkit[cublas,cudart,cufft]==13.0.2");
  auto bare = parse_requirement("filelock");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->specifier, "");
  auto url = parse_requirement("torch @ https://download.pytorch.org/whl/cu124/torch-2.5.1.whl");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->name, "torch");
  EXPECT_FALSE(applies_on_linux(*parse_requirement("opt-einsum>=3.3; extra == \"opt-einsum\"")));
  EXPECT_FALSE(applies_on_linux(*parse_requirement("pywin32; platform_system == 'Windows'")));
  EXPECT_FALSE(applies_on_linux(*parse_requirement("x; sys_platform == \"darwin\"")));
  EXPECT_TRUE(applies_on_linux(*parse_requirement("triton==3.1.0; python_version < \"3.13\"")));
}

TEST(Requirement, RejectsJunk) {
  EXPECT_FALSE(parse_requirement(""));
  EXPECT_FALSE(parse_requirement("==1.0"));
  EXPECT_FALSE(parse_requirement("foo[bar==1.0"));
  EXPECT_FALSE(parse_requirement("foo (==1.0"));
  EXPECT_FALSE(parse_requirement("foo ==banana"));
}

TEST(TorchVersionPy, Generations) {
  // 2.7.1+cu126 (annotated, with xpu)
  auto a = parse_torch_version_py(
      "from typing import Optional\n\n__all__ = ['__version__', 'debug', 'cuda', 'git_version', 'hip', "
      "'xpu']\n"
      "__version__ = '2.7.1+cu126'\ndebug = False\ncuda: Optional[str] = '12.6'\n"
      "git_version = 'e2d141dbde55c2a4370fac5165b0561b6af4798b'\nhip: Optional[str] = None\n"
      "xpu: Optional[str] = None\n");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->version, "2.7.1+cu126");
  EXPECT_EQ(a->cuda, "12.6");
  EXPECT_TRUE(a->cuda_known);
  EXPECT_FALSE(a->hip);
  // Debian 12 python3-torch 1.13.1+dfsg: plain assignments, CPU.
  auto d = parse_torch_version_py(
      "__version__ = '1.13.0a0'\ndebug = False\ncuda = None\ngit_version = 'Unknown'\nhip = None\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->version, "1.13.0a0");
  EXPECT_FALSE(d->cuda);
  EXPECT_TRUE(d->cuda_known);
  // A ROCm build.
  auto r = parse_torch_version_py(
      "__version__ = '2.5.1+rocm6.2'\ncuda: Optional[str] = None\nhip: Optional[str] = "
      "'6.2.41133-dd7f95766'\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->hip, "6.2.41133-dd7f95766");
  // Double quotes, and `==` comparisons are not assignments.
  auto q = parse_torch_version_py("__version__ = \"2.0.0\"\nif cuda == None:\n    pass\n");
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->cuda_known);
}

TEST(TorchVersionPy, RejectsJunk) {
  EXPECT_FALSE(parse_torch_version_py(""));
  EXPECT_FALSE(parse_torch_version_py(std::string("garbage \0\x01 = = =\n", 18)));
  EXPECT_FALSE(parse_torch_version_py("__version__ = get_version()\n"));
  EXPECT_FALSE(parse_torch_version_py("    __version__ = '1.0'\n"));  // indented: not module level
}

TEST(Pth, PathLines) {
  auto v = parse_pth(
      "# comment\n/home/u/src/project\n\nimport sys; sys.path.append('/x')\nrel/dir\n\tindented \n" +
      std::string("\0\xff\n", 3));
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], "/home/u/src/project");
  EXPECT_EQ(v[1], "rel/dir");
  EXPECT_EQ(v[2], "indented");
  EXPECT_TRUE(parse_pth("import _virtualenv\n").empty());
}

TEST(Patchlevel, Versions) {
  EXPECT_EQ(parse_patchlevel_h("/* Version as a string */\n#define PY_VERSION              \"3.11.7\"\n"),
            "3.11.7");
  EXPECT_EQ(parse_patchlevel_h("#define PY_VERSION      \t\"2.7.18\"\n"), "2.7.18");
  EXPECT_EQ(parse_patchlevel_h("# define PY_VERSION \"3.14.0a1+\"\n"), "3.14.0a1");
  EXPECT_FALSE(parse_patchlevel_h("#define PY_VERSION_HEX 0x030B07F0\n"));
  EXPECT_FALSE(parse_patchlevel_h("#define PY_VERSION \"banana\"\n"));
  EXPECT_FALSE(parse_patchlevel_h(""));
}

TEST(PyenvVersionFile, Names) {
  EXPECT_EQ(parse_pyenv_version_file("3.11.7\n"), (std::vector<std::string>{"3.11.7"}));
  EXPECT_EQ(parse_pyenv_version_file("# pinned\n3.12.3 system\n2.7.18\n"),
            (std::vector<std::string>{"3.12.3", "system", "2.7.18"}));
  EXPECT_EQ(parse_pyenv_version_file("../../etc\nmyenv\n"), (std::vector<std::string>{"myenv"}));
  EXPECT_TRUE(parse_pyenv_version_file("\n\n").empty());
}

TEST(Dpkg, StatusVersion) {
  std::string status =
      "Package: python3.11\nStatus: deinstall ok config-files\nVersion: 3.11.1-1\n\n"
      "Package: python3.11-minimal\nStatus: install ok installed\nPriority: optional\nVersion: "
      "3.11.2-6+deb12u6\n"
      "Description: Minimal subset\n\n";
  EXPECT_EQ(parse_dpkg_status_version(status, "python3.11-minimal"), "3.11.2-6+deb12u6");
  EXPECT_FALSE(parse_dpkg_status_version(status, "python3.11"));  // not installed
  EXPECT_FALSE(parse_dpkg_status_version(status, "python3.12-minimal"));
  EXPECT_EQ(debian_upstream_version("3.11.2-6+deb12u6"), "3.11.2");
  EXPECT_EQ(debian_upstream_version("1:2.0-1"), "2.0");
  EXPECT_EQ(debian_upstream_version("3.11.2"), "3.11.2");
}

TEST(DistDirName, Shapes) {
  auto a = parse_dist_dir_name("nvidia_cudnn_cu12-9.1.0.70.dist-info");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "nvidia-cudnn-cu12");
  EXPECT_EQ(a->version, "9.1.0.70");
  EXPECT_FALSE(a->egg);
  auto b = parse_dist_dir_name("torch-1.13.0a0+gitunknown.egg-info");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->version, "1.13.0a0+gitunknown");
  EXPECT_TRUE(b->egg);
  auto c = parse_dist_dir_name("Pillow-9.4.0-py3.11.egg-info");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "pillow");
  EXPECT_EQ(c->version, "9.4.0");
  auto d = parse_dist_dir_name("foo.egg-info");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->version);
  EXPECT_FALSE(parse_dist_dir_name("torch"));
  EXPECT_FALSE(parse_dist_dir_name("-1.0.dist-info"));
}

TEST(PythonNames, Versions) {
  EXPECT_EQ(python_dir_version("python3.11"), "3.11");
  EXPECT_EQ(python_dir_version("python3.13t"), "3.13");
  EXPECT_EQ(python_dir_version("python2.7"), "2.7");
  EXPECT_FALSE(python_dir_version("python3"));
  EXPECT_FALSE(python_dir_version("python3.11-config"));
  EXPECT_FALSE(python_dir_version("python3."));
  EXPECT_TRUE(is_python_executable_name("python3"));
  EXPECT_TRUE(is_python_executable_name("python3.11"));
  EXPECT_FALSE(is_python_executable_name("python3.13t"));
  EXPECT_FALSE(is_python_executable_name("python3-config"));
  EXPECT_FALSE(is_python_executable_name("ipython3"));
  EXPECT_EQ(uv_python_dir_version("cpython-3.12.4-linux-x86_64-gnu"), "3.12.4");
  EXPECT_EQ(uv_python_dir_version("cpython-3.13.0+freethreaded-linux-x86_64-gnu"), "3.13.0");
  EXPECT_FALSE(uv_python_dir_version("3.12.4"));
  EXPECT_FALSE(uv_python_dir_version("jython-2.7"));
  EXPECT_EQ(python_version_prefix("3.10.12.final.0"), "3.10.12");
  EXPECT_EQ(python_version_prefix("3.12"), "3.12");
  EXPECT_FALSE(python_version_prefix("final"));
}

}  // namespace
}  // namespace gpuenv::probes::py
