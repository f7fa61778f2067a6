#include "support/testsupport.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace gpuenv::test {

namespace fs = std::filesystem;

std::string source_dir() {
  return GPUENV_SOURCE_DIR;
}
std::string fixture_root(const std::string& scenario) {
  return source_dir() + "/tests/fixtures/roots/" + scenario;
}
std::string gpuenv_binary() {
  return GPUENV_BINARY;
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "gpuenv-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Make everything writable first so permission fixtures can be removed.
  for (auto it = fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_symlink(ec)) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& rel, const std::string& content) const {
  fs::path p = fs::path(path_) / rel;
  fs::create_directories(p.parent_path());
  write_file(p.string(), content);
  return p.string();
}

std::string TempDir::mkdir(const std::string& rel) const {
  fs::path p = fs::path(path_) / rel;
  fs::create_directories(p);
  return p.string();
}

void TempDir::symlink(const std::string& target, const std::string& rel) const {
  fs::path p = fs::path(path_) / rel;
  fs::create_directories(p.parent_path());
  fs::create_symlink(target, p);
}

platform::CommandResult run_gpuenv(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env) {
  platform::Command c;
  c.argv.push_back(gpuenv_binary());
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.timeout = std::chrono::seconds(60);
  // A controlled environment: the tests decide what the rules see.
  for (const char* k :
       {"LANG", "LC_ALL", "LC_MESSAGES", "COLUMNS", "VIRTUAL_ENV", "CONDA_PREFIX", "CUDA_HOME", "CUDA_PATH",
        "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "PYTHONPATH", "PYTHONNOUSERSITE",
        "CONDA_OVERRIDE_CUDA", "GPUENV_DRIVER_VERSION", "GPUENV_GPU", "PYENV_VERSION"})
    c.env[k] = std::nullopt;
  c.env["NO_COLOR"] = "1";
  // A fixed PATH and HOME: reports include PATH, and goldens must not depend on who runs the tests.
  c.env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  c.env["HOME"] = "/root";
  c.env["GPUENV_TODAY"] = "2026-11-30";
  for (auto& [k, v] : env) c.env[k] = v;
  platform::RealCommandRunner runner;
  return runner.run(c);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << content;
}

bool update_golden() {
  const char* v = std::getenv("GPUENV_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

const std::vector<DesignFinding>& design_findings() {
  static const std::vector<DesignFinding> t{{"no-nvidia-gpu", "info"},
                                            {"driver-not-loaded", "error"},
                                            {"nouveau-active", "error"},
                                            {"secure-boot-blocks-driver", "error"},
                                            {"driver-library-mismatch", "error"},
                                            {"driver-too-old-for-gpu", "error"},
                                            {"gpu-needs-legacy-driver", "error"},
                                            {"device-nodes-missing", "error"},
                                            {"container-without-gpu", "error"},
                                            {"container-toolkit-missing", "warning"},
                                            {"wsl-linux-driver-installed", "error"},
                                            {"cuda-visible-devices-hides-gpus", "error"},
                                            {"torch-not-installed", "info"},
                                            {"torch-cpu-build", "error"},
                                            {"torch-rocm-build-on-nvidia", "error"},
                                            {"torch-cuda-libs-missing", "error"},
                                            {"driver-too-old-for-torch", "error"},
                                            {"driver-minor-compat", "warning"},
                                            {"gpu-arch-not-in-torch-build", "error"},
                                            {"torchvision-torch-mismatch", "error"},
                                            {"torchaudio-torch-mismatch", "error"},
                                            {"framework-cuda-mismatch", "error"},
                                            {"multiple-torch-installs", "warning"},
                                            {"ld-library-path-shadows", "warning"},
                                            {"conda-cudatoolkit-pip-mix", "warning"},
                                            {"python-unsupported-by-torch", "error"},
                                            {"toolkit-newer-than-driver", "warning"},
                                            {"gpu-memory-small", "info"},
                                            {"conda-pytorch-channel-eol", "info"},
                                            {"kb-outdated", "info"}};
  return t;
}

std::optional<std::vector<DesignFinding>> design_section6() {
  const std::string path = source_dir() + "/../shared/design.md";
  if (!fs::exists(path)) return std::nullopt;
  const std::string doc = read_file(path);
  std::vector<DesignFinding> out;
  auto start = doc.find("## 6.");
  if (start == std::string::npos) return out;
  auto end = doc.find("\n## 7.", start);
  const std::string sec = doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
  // A row names one id or several ("`a` / `b`"), then the severity.
  static const std::regex row(R"(\n\| (`[a-z0-9-]+`(?: / `[a-z0-9-]+`)*) \| (error|warning|info) \|)");
  static const std::regex id("`([a-z0-9-]+)`");
  for (auto it = std::sregex_iterator(sec.begin(), sec.end(), row); it != std::sregex_iterator(); ++it) {
    const std::string ids = (*it)[1];
    for (auto j = std::sregex_iterator(ids.begin(), ids.end(), id); j != std::sregex_iterator(); ++j)
      out.push_back({(*j)[1], (*it)[2]});
  }
  return out;
}

const std::vector<std::string>& design_env_vars() {
  static const std::vector<std::string> vars{"CUDA_VISIBLE_DEVICES",
                                             "NVIDIA_VISIBLE_DEVICES",
                                             "LD_LIBRARY_PATH",
                                             "PATH",
                                             "PYTHONPATH",
                                             "PYTHONNOUSERSITE",
                                             "VIRTUAL_ENV",
                                             "CONDA_PREFIX",
                                             "CUDA_HOME",
                                             "CUDA_PATH",
                                             "CONDA_OVERRIDE_CUDA",
                                             "GPUENV_DRIVER_VERSION",
                                             "GPUENV_GPU"};
  return vars;
}

}  // namespace gpuenv::test
