// Rules about the rest of each environment's stack: other frameworks' CUDA builds (jax, cupy,
// tensorflow), LD_LIBRARY_PATH copies of the libraries the wheels ship, conda CUDA packages mixed with
// pip's nvidia-* wheels of another major.
#include <algorithm>

#include "facts/dotted.hpp"
#include "facts/pep440.hpp"
#include "rules/env_common.hpp"
#include "rules/fixes.hpp"

namespace gpuenv::rules {

namespace {

using namespace detail;
using facts::Dotted;

// The minor-version-compatibility row for a CUDA version ("12.4") or a bare major ("12", as cupy-cuda12x
// and jax-cuda12-plugin name it: then the row most of the family's releases need).
const kb::CudaFamily* family_for(const kb::KnowledgeBase& kb, const std::string& cuda) {
  if (cuda.find('.') != std::string::npos) return kb.cuda_family(cuda);
  auto d = Dotted::parse(cuda);
  if (!d) return nullptr;
  const kb::CudaFamily* best = nullptr;
  for (auto& f : kb.cuda_families)
    if (f.major == d->major() && (!best || f.minor_min > best->minor_min)) best = &f;
  return best;
}

bool is_framework_cuda_package(const std::string& n) {
  return n == "jaxlib" || n.starts_with("jax-cuda") || n.starts_with("cupy-cuda") || n == "cupy" ||
         n == "cupy-core" || n == "tensorflow" || n == "tensorflow-base";
}

// framework-cuda-mismatch: a framework built for a CUDA the driver cannot run even with minor-version
// compatibility; jax's CUDA plugin and jaxlib of different releases; jax outside jaxlib's range.
void frameworks(const RuleInput& in, const facts::PythonEnv& e, std::vector<Finding>& out) {
  const auto& m = in.machine;
  auto dv = driver_version(m);
  auto driver = dv ? Dotted::parse(*dv) : std::nullopt;
  const bool windows = m.os.wsl;
  for (auto& [name, p] : e.packages) {
    if (!is_framework_cuda_package(name) || !p.cuda || !p.version || !driver || !usable_gpu(m)) continue;
    const kb::CudaFamily* fam = family_for(in.kb, *p.cuda);
    if (!fam) continue;
    const std::string& need = windows ? fam->windows_driver : fam->linux_driver;
    auto min = Dotted::parse(need);
    if (!min || *driver >= *min) continue;
    auto f = env_finding("framework-cuda-mismatch", Severity::error, e,
                         {{"package", name},
                          {"package_version", *p.version},
                          {"cuda", *p.cuda},
                          {"driver", *dv},
                          {"need", need}});
    f.evidence.push_back(name + " " + *p.version + ": CUDA " + *p.cuda + " (" + p.location.value_or(e.path) +
                         ")");
    f.evidence.push_back("driver " + *dv + " (" + m.driver.source.value_or("driver") + ")");
    f.evidence.push_back("CUDA " + std::to_string(fam->major) + ".x needs driver >= " + need +
                         " even with minor-version compatibility");
    // cupy has a wheel per CUDA major: the one this driver runs.
    auto max = m.driver.cuda_max ? Dotted::parse(*m.driver.cuda_max) : std::nullopt;
    if (name.starts_with("cupy-cuda") && max && max->major() >= 11) {
      std::string other = "cupy-cuda" + std::to_string(max->major()) + "x";
      f.fixes.push_back(
          {{"fix.framework.cupy", {{"package", other}}},
           {python_of(e) + " -m pip uninstall -y " + name, python_of(e) + " -m pip install " + other}});
    }
    f.fixes.push_back(
        driver_install_fix(m.os, 0, m.gpus.empty() ? std::nullopt : m.gpus.front().architecture));
    out.push_back(std::move(f));
  }
  // jax's plugins are released with jaxlib and must be the same version.
  auto jl = e.packages.find("jaxlib");
  if (jl != e.packages.end() && jl->second.version) {
    const std::string jv = base_version(*jl->second.version);
    std::vector<std::string> bad, pins;
    for (auto& [name, p] : e.packages)
      if (name.starts_with("jax-cuda") && p.version &&
          facts::compare_dotted(base_version(*p.version), jv) != 0) {
        bad.push_back(name + " " + *p.version);
        pins.push_back(shell_quote(name + "==" + jv));
      }
    if (!bad.empty()) {
      std::string list;
      for (auto& b : bad) list += (list.empty() ? "" : ", ") + b;
      auto f =
          env_finding("framework-cuda-mismatch", Severity::error, e, {{"package", list}, {"jaxlib", jv}});
      f.explanation = {"finding.framework-cuda-mismatch.explanation_jax",
                       {{"package", list}, {"jaxlib", jv}, {"env", e.path}}};
      f.evidence.push_back("jaxlib " + *jl->second.version + " (" + jl->second.location.value_or(e.path) +
                           ")");
      for (auto& b : bad) f.evidence.push_back(b);
      std::string cmd = python_of(e) + " -m pip install";
      for (auto& p : pins) cmd += " " + p;
      f.fixes.push_back({{"fix.framework.jax_pair", {{"jaxlib", jv}}}, {cmd}});
      out.push_back(std::move(f));
    }
  }
  // jax names the jaxlib range it works with in its METADATA.
  auto jx = e.packages.find("jax");
  if (jx != e.packages.end() && jx->second.version && jl != e.packages.end() && jl->second.version) {
    for (auto& r : jx->second.requires_dist) {
      if (!r.starts_with("jaxlib")) continue;
      auto spec = facts::Pep440SpecifierSet::parse(r.substr(6));
      if (!spec || spec->contains(*jl->second.version, true)) continue;
      auto f = env_finding("framework-cuda-mismatch", Severity::error, e,
                           {{"package", "jax " + *jx->second.version}, {"jaxlib", *jl->second.version}});
      f.explanation = {"finding.framework-cuda-mismatch.explanation_jaxlib",
                       {{"jax", *jx->second.version},
                        {"jaxlib", *jl->second.version},
                        {"spec", spec->str()},
                        {"env", e.path}}};
      f.evidence.push_back("jax " + *jx->second.version + " requires " + r + " (" +
                           jx->second.location.value_or(e.path) + ")");
      f.evidence.push_back("jaxlib " + *jl->second.version + " (" + jl->second.location.value_or(e.path) +
                           ")");
      f.fixes.push_back({{"fix.framework.jax_upgrade", {}},
                         {python_of(e) + " -m pip install " + shell_quote("jaxlib" + spec->str())}});
      out.push_back(std::move(f));
      break;
    }
  }
}

// The libraries an nvidia-* wheel ships (their sonames carry the wheel version's major).
struct WheelLibs {
  std::string_view prefix;  ///< of the wheel name, before -cu12 (CUDA 13 drops the suffix)
  std::vector<std::string_view> libs;
};
const std::vector<WheelLibs>& wheel_libs() {
  static const std::vector<WheelLibs> table = {
      {"nvidia-cudnn", {"libcudnn"}},         {"nvidia-cublas", {"libcublas", "libcublasLt"}},
      {"nvidia-nccl", {"libnccl"}},           {"nvidia-cuda-runtime", {"libcudart"}},
      {"nvidia-cuda-nvrtc", {"libnvrtc"}},    {"nvidia-cuda-cupti", {"libcupti"}},
      {"nvidia-cufft", {"libcufft"}},         {"nvidia-curand", {"libcurand"}},
      {"nvidia-cusolver", {"libcusolver"}},   {"nvidia-cusparse", {"libcusparse"}},
      {"nvidia-nvjitlink", {"libnvJitLink"}},
  };
  return table;
}

// "libcublas.so.12.1.3.1" → {"libcublas", "12.1.3.1"}; nullopt for other shapes.
std::optional<std::pair<std::string, std::string>> split_so(const std::string& file) {
  auto so = file.find(".so.");
  if (so == std::string::npos) return std::nullopt;
  std::string ver = file.substr(so + 4);
  if (!Dotted::parse(ver)) return std::nullopt;
  return std::make_pair(file.substr(0, so), ver);
}

// ld-library-path-shadows: a directory of LD_LIBRARY_PATH holding an older library of the same soname
// as one of the environment's nvidia-* wheels; the loader takes it first.
void ld_library_path(const RuleInput& in, const facts::PythonEnv& e, std::vector<Finding>& out) {
  const auto& m = in.machine;
  if (m.library_path.empty()) return;
  std::vector<std::string> evidence, dirs_used, libs;
  for (auto& [name, p] : e.packages) {
    if (!name.starts_with("nvidia-") || !p.version || p.source != "pip") continue;
    auto wv = Dotted::parse(base_version(*p.version));
    if (!wv) continue;
    const WheelLibs* w = nullptr;
    for (auto& row : wheel_libs())
      if (name.starts_with(row.prefix) &&
          (name.size() == row.prefix.size() || name.compare(row.prefix.size(), 3, "-cu") == 0))
        w = &row;
    if (!w) continue;
    for (auto lib : w->libs) {
      const std::string soname = std::string(lib) + ".so." + std::to_string(wv->major());
      for (auto& d : m.library_path) {
        // The fullest name of that soname in the directory says its version.
        std::optional<Dotted> best;
        std::string file;
        for (auto& f : d.libraries) {
          auto s = split_so(f);
          if (!s || s->first != lib) continue;
          auto v = Dotted::parse(s->second);
          if (!v || v->major() != wv->major()) continue;
          if (!best || v->parts.size() > best->parts.size()) {
            best = v;
            file = f;
          }
        }
        if (!best) continue;
        // Only the soname (toolkits assembled from wheels ship libcublas.so.13 alone): a toolkit's own
        // libraries carry its CUDA version, which its version.json says; compare major.minor then.
        Dotted against = *wv;
        std::string from_toolkit;
        static constexpr std::string_view kToolkitVersioned[] = {"libcublas", "libcublasLt",  "libcudart",
                                                                 "libnvrtc",  "libnvJitLink", "libcupti"};
        const bool versioned = std::find(std::begin(kToolkitVersioned), std::end(kToolkitVersioned), lib) !=
                               std::end(kToolkitVersioned);
        for (auto& t : m.cuda_toolkits) {
          if (best->parts.size() >= 2 || !versioned || !t.version) break;
          bool inside =
              d.dir.starts_with(t.path + "/") || (t.real_path && d.dir.starts_with(*t.real_path + "/"));
          auto tv = Dotted::parse(*t.version);
          if (!inside || !tv) continue;
          best = Dotted{{tv->major(), tv->minor()}};
          against = Dotted{{wv->major(), wv->minor()}};
          from_toolkit = " (CUDA " + *t.version + " toolkit, " + t.source + ")";
        }
        if (best->parts.size() < 2) {
          evidence.push_back(d.dir + "/" + file + ": version not in the file name; comes before " + name +
                             " " + *p.version + " (" + soname + ")");
        } else if (*best < against) {
          evidence.push_back(d.dir + "/" + file + from_toolkit + " is older than " + name + " " + *p.version +
                             " (" + soname + ")");
          libs.push_back(file);
        } else {
          continue;
        }
        if (std::find(dirs_used.begin(), dirs_used.end(), d.dir) == dirs_used.end())
          dirs_used.push_back(d.dir);
        break;  // the first directory that has it is the one the loader takes
      }
    }
  }
  if (libs.empty()) return;
  std::string list, dirs;
  for (auto& l : libs) list += (list.empty() ? "" : ", ") + l;
  for (auto& d : dirs_used) dirs += (dirs.empty() ? "" : ":") + d;
  auto f = env_finding("ld-library-path-shadows", Severity::warning, e, {{"libs", list}, {"dirs", dirs}});
  auto ld = m.env_vars.count("LD_LIBRARY_PATH") ? m.env_vars.at("LD_LIBRARY_PATH") : std::nullopt;
  f.evidence.push_back("LD_LIBRARY_PATH=" + ld.value_or(dirs));
  for (auto& x : evidence) f.evidence.push_back(x);
  // The variable without the directories that shadow: what the loader should search.
  std::string keep;
  for (auto& d : m.library_path)
    if (std::find(dirs_used.begin(), dirs_used.end(), d.dir) == dirs_used.end())
      keep += (keep.empty() ? "" : ":") + d.dir;
  f.fixes.push_back({{"fix.ld_library_path", {{"dirs", dirs}}},
                     {keep.empty() ? std::string("unset LD_LIBRARY_PATH")
                                   : "export LD_LIBRARY_PATH=" + shell_quote(keep)}});
  out.push_back(std::move(f));
}

// conda-cudatoolkit-pip-mix: conda's CUDA packages of one major beside pip's nvidia-* wheels of another.
void conda_pip_mix(const facts::PythonEnv& e, std::vector<Finding>& out) {
  static constexpr std::string_view kCondaCuda[] = {"cudatoolkit", "cuda-cudart", "cuda-runtime",
                                                    "cuda-version", "pytorch-cuda"};
  std::vector<std::pair<std::string, const facts::Package*>> conda, pip;
  for (auto& name : kCondaCuda) {
    auto it = e.packages.find(std::string(name));
    if (it != e.packages.end() && it->second.source == "conda" && it->second.cuda)
      conda.emplace_back(std::string(name), &it->second);
  }
  if (conda.empty()) return;
  auto major = [](const std::string& cuda) {
    auto d = Dotted::parse(cuda);
    return d ? d->major() : -1;
  };
  const int conda_major = major(*conda.front().second->cuda);
  for (auto& [name, p] : e.packages)
    if (name.starts_with("nvidia-") && p.source == "pip" && p.cuda && major(*p.cuda) != conda_major &&
        major(*p.cuda) > 0)
      pip.emplace_back(name, &p);
  if (pip.empty()) return;
  auto f = env_finding("conda-cudatoolkit-pip-mix", Severity::warning, e,
                       {{"conda", conda.front().first + " " + *conda.front().second->version},
                        {"pip", pip.front().first + " " + pip.front().second->version.value_or("?")}});
  for (auto& [n, p] : conda)
    f.evidence.push_back("conda: " + n + " " + p->version.value_or("?") + " (CUDA " + *p->cuda + ", " +
                         p->location.value_or(e.path) + ")");
  for (auto& [n, p] : pip)
    f.evidence.push_back("pip: " + n + " " + p->version.value_or("?") + " (CUDA " + *p->cuda + ", " +
                         p->location.value_or(e.path) + ")");
  auto torch = e.packages.find("torch");
  const bool pip_torch = torch != e.packages.end() && torch->second.source == "pip";
  if (pip_torch) {
    // torch came from pip with its nvidia-* wheels: conda's toolkit of the other major is the stray one.
    std::string cmd = "conda remove -y -p " + shell_quote(e.path);
    for (auto& [n, p] : conda) cmd += " " + n;
    f.fixes.push_back({{"fix.conda_pip_mix.remove_conda", {}}, {cmd}});
  } else {
    std::string cmd = python_of(e) + " -m pip uninstall -y";
    for (auto& [n, p] : pip) cmd += " " + n;
    f.fixes.push_back({{"fix.conda_pip_mix.remove_pip", {}}, {cmd}});
  }
  out.push_back(std::move(f));
}

}  // namespace

void stack_rules(const RuleInput& in, std::vector<Finding>& out) {
  for (auto& e : in.machine.python_envs) {
    frameworks(in, e, out);
    ld_library_path(in, e, out);
    conda_pip_mix(e, out);
  }
}

}  // namespace gpuenv::rules
