#include "probes/python_env.hpp"

#include <algorithm>

#include "facts/dotted.hpp"
#include "probes/python_parse.hpp"

namespace gpuenv::probes {

namespace {

using platform::basename;
using platform::dirname;
using platform::FileKind;
using platform::join;

constexpr const char* kProbe = "python";

bool is_dir(const platform::FileSystem& fs, const std::string& p) {
  return fs.stat(p).kind == FileKind::directory;
}
bool exists(const platform::FileSystem& fs, const std::string& p) {
  return fs.stat(p).kind == FileKind::regular;
}

struct Version {
  std::optional<std::string> value, source;
};

Version patchlevel(const ProbeContext& ctx, const std::string& include_dir) {
  std::string path = join(include_dir, "patchlevel.h");
  auto r = ctx.fs.read(path, 64u << 10);
  if (r.ok())
    if (auto v = py::parse_patchlevel_h(r.data)) return {v, path};
  return {};
}

Version system_version(const ProbeContext& ctx, const std::string& prefix, const std::string& xy) {
  if (auto v = patchlevel(ctx, join(prefix, "include/python" + xy)); v.value) return v;
  // Debian/Ubuntu: the interpreter's package version, without the headers installed.
  auto status = ctx.fs.read("/var/lib/dpkg/status", 64u << 20);
  if (status.ok()) {
    for (auto pkg : {"python" + xy + "-minimal", "python" + xy}) {
      if (auto v = py::parse_dpkg_status_version(status.data, pkg))
        return {py::debian_upstream_version(*v), "/var/lib/dpkg/status (" + pkg + ")"};
    }
  }
  return {xy, join(prefix, "lib/python" + xy)};
}

Version env_version(const ProbeContext& ctx, const EnvCandidate& c, const std::optional<py::PyvenvCfg>& cfg,
                    const CondaScan& conda, const std::vector<std::string>& lib_pythons) {
  if (cfg && cfg->version) return {cfg->version, join(c.path, "pyvenv.cfg")};
  if (conda.python) return {conda.python, conda.python_record};
  for (auto& e : ctx.fs.list(join(c.path, "include")).entries)
    if (e.name.starts_with("python"))
      if (auto v = patchlevel(ctx, join(c.path, "include/" + e.name)); v.value) return v;
  std::string dir_name(basename(c.path));
  if (c.kind_hint == "uv")
    if (auto v = py::uv_python_dir_version(dir_name)) return {v, c.path};
  if (c.kind_hint == "pyenv" && facts::Dotted::parse(dir_name)) return {dir_name, c.path};
  if (lib_pythons.size() == 1)
    if (auto xy = py::python_dir_version(lib_pythons.front()))
      return {xy, join(c.path, "lib/" + lib_pythons.front())};
  return {};
}

}  // namespace

std::optional<std::string> python_xy(const std::optional<std::string>& version) {
  if (!version) return std::nullopt;
  auto first = version->find('.');
  if (first == std::string::npos) return std::nullopt;
  auto second = version->find_first_not_of("0123456789", first + 1);
  std::string xy = version->substr(0, second);
  if (xy.size() == first + 1) return std::nullopt;
  return xy;
}

std::vector<std::string> system_site_dirs(const platform::FileSystem& fs, const std::string& prefix,
                                          const std::string& xy) {
  std::vector<std::string> candidates;
  if (prefix == "/usr") {
    candidates = {"/usr/local/lib/python" + xy + "/dist-packages",
                  "/usr/local/lib/python" + xy + "/site-packages"};
    if (xy.starts_with("3.")) candidates.push_back("/usr/lib/python3/dist-packages");
    for (auto s : {"/usr/lib/python" + xy + "/dist-packages", "/usr/lib64/python" + xy + "/site-packages",
                   "/usr/lib/python" + xy + "/site-packages"})
      candidates.push_back(s);
  } else {
    candidates = {join(prefix, "lib/python" + xy + "/site-packages"),
                  join(prefix, "lib/python" + xy + "/dist-packages")};
  }
  std::vector<std::string> out;
  for (auto& d : candidates)
    if (is_dir(fs, d)) out.push_back(d);
  return out;
}

facts::PythonEnv read_python_env(const ProbeContext& ctx, const EnvCandidate& c, const SiteScanner& scan) {
  const auto& fs = ctx.fs;
  facts::PythonEnv e;
  e.path = c.path;
  e.found_by = {c.found_by};
  e.active = c.active;
  e.on_path = c.on_path;
  e.name = c.name;
  const bool system = c.kind_hint == "system";
  std::optional<py::PyvenvCfg> cfg;
  bool has_cfg = false;
  CondaScan conda;
  std::vector<std::string> lib_pythons;  // "python3.11" directories under lib/
  Version version;
  if (system) {
    version = system_version(ctx, c.path, c.python_xy.value_or("3"));
    e.kind = "system";
  } else {
    std::string cfg_path = join(c.path, "pyvenv.cfg");
    auto r = fs.read(cfg_path, 64u << 10);
    has_cfg = r.ok();
    if (r.ok() && !(cfg = py::parse_pyvenv_cfg(r.data)))
      ctx.warn(kProbe, cfg_path, {"warning.python.cfg_no_line", {}});
    if (r.status == platform::ReadResult::Status::failed)
      ctx.warn(kProbe, cfg_path, {"warning.cannot_read", {{"reason", r.error}}});
    conda = scan_conda_meta(ctx, c.path);
    for (auto& l : fs.list(join(c.path, "lib")).entries)
      if (py::python_dir_version(l.name)) lib_pythons.push_back(l.name);
    version = env_version(ctx, c, cfg, conda, lib_pythons);
    e.kind = conda.present ? "conda" : has_cfg ? "venv" : !c.kind_hint.empty() ? c.kind_hint : "interpreter";
  }
  e.python = version.value;
  e.python_source = version.source;
  auto xy = system ? c.python_xy : python_xy(e.python);

  // Site directories, in sys.path order.
  if (system) {
    e.site_packages = system_site_dirs(fs, c.path, xy.value_or(""));
  } else {
    for (auto& l : lib_pythons) {
      if (xy && l != "python" + *xy && l != "python" + *xy + "t") continue;
      std::string sp = join(c.path, "lib/" + l + "/site-packages");
      if (is_dir(fs, sp)) e.site_packages.push_back(sp);
    }
  }

  // The interpreter.
  e.interpreter = c.interpreter;
  if (!e.interpreter) {
    std::vector<std::string> names = {"python3", "python"};
    if (xy) names.insert(names.begin(), "python" + *xy);
    for (auto& n : names) {
      std::string p = join(c.path, "bin/" + n);
      if (fs.lstat(p).kind != FileKind::missing) {
        e.interpreter = p;
        break;
      }
    }
  }

  // A venv's base interpreter, and whether it is still there.
  if (cfg && cfg->home) {
    std::vector<std::string> bases;
    if (cfg->executable) bases.push_back(*cfg->executable);
    if (xy) bases.push_back(join(*cfg->home, "python" + *xy));
    bases.push_back(join(*cfg->home, "python3"));
    bases.push_back(join(*cfg->home, "python"));
    auto found = std::find_if(bases.begin(), bases.end(), [&](auto& b) { return exists(fs, b); });
    e.base_interpreter = found != bases.end() ? *found : bases.front();
    e.base_missing = found == bases.end();
    if (e.interpreter && fs.lstat(*e.interpreter).kind == FileKind::symlink &&
        !fs.real_path(*e.interpreter)) {
      e.base_missing = true;
      // Follow the chain (bin/python3 → python → /usr/local/bin/python3.9) to the link that dangles.
      std::string p = *e.interpreter;
      for (int i = 0; i < 40; ++i) {
        auto target = fs.read_link(p);
        if (!target) break;
        p = join(dirname(p), *target);
      }
      e.base_interpreter = p;
    }
    if (e.base_missing)
      e.warnings.push_back(ProbeContext::warning(
          kProbe, *e.base_interpreter, {"warning.env.base_missing", {{"base", *e.base_interpreter}}}));
  }
  e.include_system_site = cfg && cfg->include_system_site;
  // site.py turns the user site off in a venv that does not include the system site.
  e.user_site_visible = !(has_cfg && !e.include_system_site);

  // Packages: the first directory on sys.path that has a package wins; later copies are reported.
  for (std::size_t i = 0; i < e.site_packages.size(); ++i) {
    const SiteScan& s = scan(e.site_packages[i]);
    for (auto& [name, p] : s.packages) {
      if (e.packages.count(name))
        e.also_visible.push_back({name, "site-packages", e.site_packages[i], false, p});
      else
        e.packages.emplace(name, p);
    }
    for (auto& d : s.duplicates) e.also_visible.push_back(d);
    for (auto& p : s.pth_paths)
      if (std::find(e.extra_paths.begin(), e.extra_paths.end(), p) == e.extra_paths.end())
        e.extra_paths.push_back(p);
  }
  if (conda.present) {
    merge_conda(e.packages, e.also_visible, conda,
                e.site_packages.empty() ? c.path : e.site_packages.front());
    if (!e.name && is_dir(fs, join(c.path, "condabin"))) e.name = "base";
  }
  if (!system && !conda.present && !has_cfg && lib_pythons.empty() && !e.interpreter)
    e.warnings.push_back(ProbeContext::warning(kProbe, e.path, {"warning.env.not_python", {}}));
  return e;
}

}  // namespace gpuenv::probes
