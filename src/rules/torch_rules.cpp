// Rules about each environment's torch: its CUDA libraries, the driver its CUDA runtime needs (gate 1
// of design.md §1 with the knowledge base's Table 3 and minor-version rows), its companions
// (torchvision, torchaudio), other copies on sys.path, the Python it needs, where conda took it from.
#include <algorithm>

#include "facts/dotted.hpp"
#include "facts/pep440.hpp"
#include "rules/env_common.hpp"
#include "rules/fixes.hpp"

namespace gpuenv::rules {

namespace {

using namespace detail;
using facts::Dotted;

std::string req_name(const std::string& req) {
  return req.substr(0, req.find_first_of("=<>!~[ ;"));
}

std::string site_of(const facts::PythonEnv& e) {
  return e.site_packages.empty() ? e.path : e.site_packages.front();
}

bool cuda_build(const facts::Package& t) {
  return t.variant && t.variant->starts_with("cu");
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

// torch-cuda-libs-missing: the nvidia-* wheels METADATA requires, or (wheels that bundle them, which
// require none) the runtime in torch/lib.
void cuda_libs(const RuleInput& in, const facts::PythonEnv& e, const facts::Package& t,
               std::vector<Finding>& out) {
  if (!cuda_build(t) || t.source != "pip") return;  // conda and distro packages bring theirs otherwise
  std::vector<std::string> missing, names;
  bool wants_wheels = false;
  for (auto& r : t.requires_dist) {
    std::string n = req_name(r);
    if (!n.starts_with("nvidia-")) continue;
    wants_wheels = true;
    if (!e.packages.count(n)) {
      missing.push_back(r);
      names.push_back(n);
    }
  }
  const std::string& version = *t.version;
  if (!missing.empty()) {
    auto f = env_finding("torch-cuda-libs-missing", Severity::error, e,
                         {{"version", version}, {"packages", join(names)}});
    for (auto& r : missing)
      f.evidence.push_back("torch " + version + " requires " + r + " (" + t.location.value_or("METADATA") +
                           "): not installed in " + site_of(e));
    std::string cmd = python_of(e) + " -m pip install";
    for (auto& r : missing) cmd += " " + shell_quote(r);
    f.fixes.push_back({{"fix.torch.install_libs", {}}, {cmd}});
    out.push_back(std::move(f));
    return;
  }
  if (wants_wheels || !t.libs_dir) return;  // the wheels are there, or torch/lib could not be listed
  bool cudart = std::any_of(t.libs.begin(), t.libs.end(), [](auto& l) { return l.starts_with("libcudart"); });
  if (cudart) return;
  auto f = env_finding("torch-cuda-libs-missing", Severity::error, e,
                       {{"version", version}, {"packages", "libcudart (" + *t.libs_dir + ")"}});
  f.evidence.push_back("torch " + version +
                       ": METADATA requires no nvidia-* wheel, so the wheel bundles its "
                       "CUDA libraries");
  f.evidence.push_back(*t.libs_dir + ": no libcudart*.so*" +
                       (t.libs.empty() ? std::string() : " (has " + join(t.libs) + ")"));
  f.fixes.push_back(install_fix(in, e));
  out.push_back(std::move(f));
}

}  // namespace

DriverCheck detail::driver_fit(const facts::Machine& m, const kb::KnowledgeBase& kb,
                               const std::string& cuda_text) {
  DriverCheck c;
  c.driver = driver_version(m);
  auto driver = c.driver ? Dotted::parse(*c.driver) : std::nullopt;
  auto cuda = Dotted::parse(cuda_text);
  if (!driver || !cuda) return c;  // driver-not-loaded and friends say why there is no version
  // The driver says itself which CUDA it runs (NVML, libcuda): as new as the build is `direct`.
  if (m.driver.cuda_max && m.driver.cuda_max_source != "kb") {
    auto max = Dotted::parse(*m.driver.cuda_max);
    if (max && Dotted{{cuda->major(), cuda->minor()}} <= *max) {
      c.fit = DriverFit::direct;
      return c;
    }
  }
  const bool windows = m.os.wsl;  // WSL2 runs the Windows driver: Table 3's Windows column
  if (const kb::CudaRelease* ga = kb.cuda_ga(cuda_text))
    c.direct_min = windows ? ga->windows_driver : ga->linux_driver;
  if (const kb::CudaFamily* fam = kb.cuda_family(cuda_text))
    c.minor_min = windows ? fam->windows_driver : fam->linux_driver;
  auto direct = c.direct_min ? Dotted::parse(*c.direct_min) : std::nullopt;
  auto minor = c.minor_min ? Dotted::parse(*c.minor_min) : std::nullopt;
  if (direct && *driver >= *direct)
    c.fit = DriverFit::direct;
  else if (minor && *driver >= *minor)
    c.fit = direct ? DriverFit::minor : DriverFit::unknown;  // cannot tell `direct` from `minor`
  else if (minor || direct)
    c.fit = DriverFit::too_old;
  // else: the knowledge base knows neither row: kb-outdated's business
  return c;
}

namespace {

// Gate 1: the driver against the CUDA runtime torch was built with. `direct` (Table 3 of the CUDA
// release's GA row) raises nothing; `minor` (only the family's minor-version minimum) is a warning;
// below the family's minimum is an error.
void driver_gate(const RuleInput& in, const facts::PythonEnv& e, const facts::Package& t,
                 std::vector<Finding>& out) {
  const auto& m = in.machine;
  if (!cuda_build(t) || !t.cuda || !usable_gpu(m)) return;
  auto cuda = Dotted::parse(*t.cuda);
  if (!cuda) return;
  DriverCheck check = driver_fit(m, in.kb, *t.cuda);
  if (check.fit == DriverFit::direct || check.fit == DriverFit::unknown) return;
  const std::string dv = *check.driver;
  const std::optional<std::string>& direct_text = check.direct_min;
  const std::optional<std::string>& minor_text = check.minor_min;
  const std::string& version = *t.version;
  const std::string where = m.driver.source.value_or("driver");
  if (check.fit == DriverFit::minor) {
    auto f = env_finding("driver-minor-compat", Severity::warning, e,
                         {{"version", version}, {"cuda", *t.cuda}, {"driver", dv}, {"direct", *direct_text}});
    f.evidence.push_back("torch " + version + ": CUDA " + *t.cuda + " (" + t.location.value_or(e.path) + ")");
    f.evidence.push_back("driver " + dv + " (" + where + ")");
    f.evidence.push_back("CUDA " + *t.cuda + " GA needs driver >= " + *direct_text +
                         "; minor-version compatibility of CUDA " + std::to_string(cuda->major()) +
                         ".x needs >= " + *minor_text);
    f.fixes.push_back(driver_install_fix(m.os, 0, m.gpus.front().architecture));
    // The planner's build helps only when it is another CUDA variant (it may be `minor` too).
    Fix instead = install_fix(in, e);
    bool same = std::any_of(instead.text.args.begin(), instead.text.args.end(),
                            [&](auto& a) { return a.first == "variant" && a.second == *t.variant; });
    if (!same) f.fixes.push_back(std::move(instead));
    out.push_back(std::move(f));
    return;
  }
  const std::string need = minor_text ? *minor_text : direct_text.value_or("");
  auto f = env_finding("driver-too-old-for-torch", Severity::error, e,
                       {{"version", version}, {"cuda", *t.cuda}, {"driver", dv}, {"need", need}});
  f.evidence.push_back("torch " + version + ": CUDA " + *t.cuda + " (" + t.location.value_or(e.path) + ")");
  f.evidence.push_back("driver " + dv + " (" + where + ")");
  if (minor_text)
    f.evidence.push_back("CUDA " + std::to_string(cuda->major()) + ".x needs driver >= " + *minor_text +
                         " even with minor-version compatibility");
  else
    f.evidence.push_back("CUDA " + *t.cuda + " needs driver >= " + need);
  f.fixes.push_back(install_fix(in, e));
  f.fixes.push_back(driver_install_fix(m.os, 0, m.gpus.front().architecture));
  out.push_back(std::move(f));
}

// The torch release's row in the knowledge base, or nullptr.
const kb::TorchRelease* release_of(const kb::KnowledgeBase& kb, const std::string& torch,
                                   const kb::TorchSeries** series) {
  auto v = facts::Pep440Version::parse(torch);
  if (!v) return nullptr;
  const kb::TorchSeries* s = kb.torch_series(v->release_prefix(2));
  if (!s) return nullptr;
  std::string base = v->base_version().str();
  for (auto& r : s->releases)
    if (r.version == base || facts::compare_dotted(r.version, base) == 0) {
      *series = s;
      return &r;
    }
  return nullptr;
}

// torchvision-torch-mismatch / torchaudio-torch-mismatch: the release the knowledge base pairs with
// this torch (else the companion's own `torch==` pin), and the same CUDA variant.
void companion(const RuleInput& in, const facts::PythonEnv& e, const facts::Package& t, const char* name,
               const char* id, std::vector<Finding>& out) {
  auto it = e.packages.find(name);
  if (it == e.packages.end() || !it->second.version) return;
  const facts::Package& c = it->second;
  const std::string tv = base_version(*t.version), cv = base_version(*c.version);
  const bool vision = std::string_view(name) == "torchvision";
  const kb::TorchSeries* series = nullptr;
  std::optional<std::string> expected;
  if (const kb::TorchRelease* r = release_of(in.kb, *t.version, &series)) {
    const auto& conda_pair = vision ? r->conda_torchvision : r->conda_torchaudio;
    if (t.source == "conda" && conda_pair)
      expected = conda_pair;
    else if (vision)
      expected = r->torchvision;
    else
      expected = r->torchaudio;
  }
  std::optional<std::string> pinned;
  for (auto& r : c.requires_dist)
    if (req_name(r) == "torch" && r.find("==") != std::string::npos)
      pinned = base_version(r.substr(r.find("==") + 2));
  std::vector<std::string> evidence;
  bool version_bad = false;
  if (expected) {
    version_bad = facts::compare_dotted(*expected, cv) != 0;
    if (version_bad)
      evidence.push_back("torch " + tv + " pairs with " + name + " " + *expected + " (knowledge base)");
  } else if (pinned) {
    version_bad = facts::compare_dotted(*pinned, tv) != 0;
    if (version_bad)
      evidence.push_back(std::string(name) + " " + cv + " requires torch==" + *pinned + " (" +
                         c.location.value_or("METADATA") + ")");
  }
  const std::string tvar = t.variant.value_or("unknown"), cvar = c.variant.value_or("unknown");
  const bool variant_bad = tvar != "unknown" && cvar != "unknown" && tvar != cvar;
  if (!version_bad && !variant_bad) return;
  evidence.insert(evidence.begin(),
                  std::string(name) + " " + *c.version + " (" + c.location.value_or(e.path) + ")");
  evidence.insert(evidence.begin(), "torch " + *t.version + " (" + t.location.value_or(e.path) + ")");
  if (variant_bad)
    evidence.push_back(std::string(name) + " is a " + cvar + " build, torch a " + tvar + " build");
  Args args{{"package", name},         {"package_version", *c.version},
            {"version", *t.version},   {"expected", expected.value_or(pinned.value_or(""))},
            {"package_variant", cvar}, {"variant", tvar}};
  auto f = env_finding(id, Severity::error, e, args);
  args.emplace_back("env", e.path);
  const std::string key = std::string("finding.") + id;
  if (!version_bad)
    f.explanation = {key + ".explanation_variant", args};
  else if (!expected)
    f.explanation = {key + ".explanation_pin", args};
  f.evidence = std::move(evidence);
  // The companion that pairs, from the index of torch's own variant; else the planner's whole set.
  if (expected && series && t.source == "pip" && tvar != "unknown") {
    std::string cmd = python_of(e) + " -m pip install " + shell_quote(std::string(name) + "==" + *expected) +
                      " --index-url " + series->index_url(tvar);
    f.fixes.push_back({{"fix.torch.install_companion", {{"package", name}, {"expected", *expected}}}, {cmd}});
  } else {
    f.fixes.push_back(install_fix(in, e));
  }
  out.push_back(std::move(f));
}

// multiple-torch-installs: copies of torch outside the environment's own site-packages that the
// interpreter also sees, or two records in one place.
void multiple(const RuleInput& in, const facts::PythonEnv& e, std::vector<Finding>& out) {
  std::vector<const facts::VisiblePackage*> copies;
  for (auto& v : e.also_visible)
    if (v.name == "torch") copies.push_back(&v);
  if (copies.empty()) return;
  auto own = e.packages.find("torch");
  const bool has_own = own != e.packages.end() && own->second.version;
  auto f = env_finding("multiple-torch-installs", Severity::warning, e,
                       {{"count", std::to_string(copies.size() + (has_own ? 1 : 0))}});
  if (has_own)
    f.evidence.push_back("torch " + *own->second.version + " in " +
                         own->second.location.value_or(site_of(e)) + " (the environment's own)");
  std::vector<std::string> vias;
  for (auto* v : copies) {
    f.evidence.push_back("torch " + v->package.version.value_or("?") + " in " + v->path + " (" + v->via +
                         (v->ahead ? ", ahead of the environment's own: this one is imported" : "") + ")");
    if (std::find(vias.begin(), vias.end(), v->via) == vias.end()) vias.push_back(v->via);
  }
  for (auto& via : vias) {
    if (via == "user-site") {
      f.fixes.push_back({{"fix.torch.user_site", {}}, {"export PYTHONNOUSERSITE=1"}});
    } else if (via == "PYTHONPATH") {
      f.fixes.push_back({{"fix.torch.pythonpath", {}}, {"unset PYTHONPATH"}});
    } else if (via == "system-site") {
      f.fixes.push_back(
          {{"fix.torch.system_site", {}},
           {"sed -i 's/^include-system-site-packages *= *true/include-system-site-packages = false/' " +
            shell_quote(e.path + "/pyvenv.cfg")}});
    } else if (via == "pth") {
      std::string dirs;
      for (auto* v : copies)
        if (v->via == "pth") dirs += (dirs.empty() ? "" : ", ") + v->path;
      f.fixes.push_back({{"fix.torch.pth", {{"path", dirs}}}, {}});
    } else {  // same-site, conda-meta: two installs over each other
      Fix reinstall = install_fix(in, e);
      reinstall.commands.insert(reinstall.commands.begin(),
                                python_of(e) + " -m pip uninstall -y torch torchvision torchaudio");
      f.fixes.push_back(std::move(reinstall));
    }
  }
  out.push_back(std::move(f));
}

// python-unsupported-by-torch: no torch series of the knowledge base has wheels for this Python. Only
// for an environment without torch that the user works in (active, on PATH, named with --env): there
// it is what stops `pip install torch`.
void python_unsupported(const RuleInput& in, const facts::PythonEnv& e, std::vector<Finding>& out) {
  if (!e.python || in.kb.torch.empty()) return;
  auto v = Dotted::parse(*e.python);
  if (!v) return;
  const std::string xy = std::to_string(v->major()) + "." + std::to_string(v->minor());
  bool chosen = e.active || e.on_path || std::any_of(e.found_by.begin(), e.found_by.end(), [](auto& s) {
                  return s.starts_with("--env") || s.starts_with("--python");
                });
  if (!chosen) return;
  std::optional<Dotted> lo, hi;
  for (auto& s : in.kb.torch)
    for (auto& p : s.python) {
      if (p == xy) return;
      auto d = Dotted::parse(p);
      if (!d) continue;
      if (!lo || *d < *lo) lo = d;
      if (!hi || *d > *hi) hi = d;
    }
  if (!lo || !hi) return;
  auto f = env_finding("python-unsupported-by-torch", Severity::error, e,
                       {{"python", *e.python}, {"min", lo->str()}, {"max", hi->str()}});
  f.evidence.push_back("Python " + *e.python + " (" + e.python_source.value_or(e.path) + ")");
  f.evidence.push_back("torch releases known: wheels for Python " + lo->str() + " to " + hi->str() +
                       " (knowledge base " + in.kb.meta.version + ")");
  const kb::TorchSeries& newest = in.kb.torch.back();
  std::string py = newest.python.empty() ? hi->str() : newest.python.back();
  f.fixes.push_back({{"fix.torch.other_python", {{"python", py}}}, {"gpuenv plan --python-version " + py}});
  out.push_back(std::move(f));
}

// conda-pytorch-channel-eol: torch from the retired `pytorch` channel (2.5 was its last release).
void channel_eol(const RuleInput& in, const facts::PythonEnv& e, const facts::Package& t,
                 std::vector<Finding>& out) {
  if (t.source != "conda" || t.channel != "pytorch") return;
  std::string last;
  for (auto& s : in.kb.torch)
    if (!s.conda.empty() && !s.releases.empty()) last = s.releases.back().version;
  auto f = env_finding("conda-pytorch-channel-eol", Severity::info, e,
                       {{"version", *t.version}, {"last", last.empty() ? std::string("2.5.1") : last}});
  f.evidence.push_back("conda record: pytorch " + *t.version + (t.build ? " " + *t.build : std::string()) +
                       " from channel pytorch (" + e.path + "/conda-meta)");
  f.fixes.push_back(install_fix(in, e));
  out.push_back(std::move(f));
}

}  // namespace

void torch_rules(const RuleInput& in, std::vector<Finding>& out) {
  for (auto& e : in.machine.python_envs) {
    multiple(in, e, out);
    auto it = e.packages.find("torch");
    if (it == e.packages.end() || !it->second.version) {
      python_unsupported(in, e, out);
      continue;
    }
    const facts::Package& t = it->second;
    channel_eol(in, e, t, out);
    companion(in, e, t, "torchvision", "torchvision-torch-mismatch", out);
    companion(in, e, t, "torchaudio", "torchaudio-torch-mismatch", out);
    if (!usable_gpu(in.machine)) continue;
    cuda_libs(in, e, t, out);
    driver_gate(in, e, t, out);
  }
}

}  // namespace gpuenv::rules
