#include "probes/python.hpp"

#include <algorithm>
#include <map>

#include "probes/jupyter.hpp"
#include "probes/python_discover.hpp"
#include "probes/python_env.hpp"
#include "probes/python_packages.hpp"
#include "probes/python_parse.hpp"

namespace gpuenv::probes {

namespace {

using platform::FileKind;
using platform::join;

template <class T>
void push_unique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

// The environments found so far, merged by real path (a system Python per version).
class EnvSet {
 public:
  EnvSet(const ProbeContext& ctx, facts::Machine& m) : ctx_(ctx), m_(m) {
    scan_ = [this](const std::string& dir) -> const SiteScan& {
      auto it = cache_.find(dir);
      if (it == cache_.end()) it = cache_.emplace(dir, scan_site_dir(ctx_, dir)).first;
      return it->second;
    };
  }

  std::string key(const EnvCandidate& c) const {
    std::string k = ctx_.fs.real_path(c.path).value_or(platform::normalize(c.path));
    if (c.kind_hint == "system") k += "#" + c.python_xy.value_or("");
    return k;
  }

  /// Adds a candidate (or merges it into the environment it names); returns the environment's index.
  std::size_t add(const EnvCandidate& c) {
    std::string k = key(c);
    auto it = index_.find(k);
    if (it != index_.end()) {
      auto& e = m_.python_envs[it->second];
      push_unique(e.found_by, c.found_by);
      e.active = e.active || c.active;
      e.on_path = e.on_path || c.on_path;
      if (!e.name) e.name = c.name;
      return it->second;
    }
    m_.python_envs.push_back(read_python_env(ctx_, c, scan_));
    index_.emplace(k, m_.python_envs.size() - 1);
    return m_.python_envs.size() - 1;
  }

  std::optional<std::size_t> find(const std::string& path) const {
    auto it = index_.find(ctx_.fs.real_path(path).value_or(platform::normalize(path)));
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }

  const SiteScan& scan(const std::string& dir) { return scan_(dir); }

 private:
  const ProbeContext& ctx_;
  facts::Machine& m_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, SiteScan> cache_;
  SiteScanner scan_;
};

void tie_kernels(const ProbeContext& ctx, facts::Machine& m, EnvSet& set,
                 const std::vector<std::string>& homes) {
  std::vector<std::pair<std::string, std::optional<std::string>>> dirs;
  for (auto& e : m.python_envs)
    if (e.kind != "system") dirs.emplace_back(join(e.path, "share/jupyter/kernels"), e.path);
  for (auto& h : homes) dirs.emplace_back(join(h, ".local/share/jupyter/kernels"), std::nullopt);
  dirs.emplace_back("/usr/local/share/jupyter/kernels", std::nullopt);
  dirs.emplace_back("/usr/share/jupyter/kernels", std::nullopt);
  std::vector<std::string> seen;
  for (auto& [dir, owner] : dirs) {
    for (auto& k : read_kernelspecs(ctx, dir, owner)) {
      if (std::find(seen.begin(), seen.end(), k.kernel.path) != seen.end()) continue;
      seen.push_back(k.kernel.path);
      std::optional<std::size_t> env;
      const auto& argv0 = k.kernel.argv0;
      if (argv0 && argv0->starts_with('/')) {
        if (auto c = candidate_for_interpreter(ctx, *argv0, "Jupyter kernel " + k.kernel.path))
          env = set.add(*c);
        else
          ctx.warn("jupyter", k.kernel.path,
                   {"warning.jupyter.interpreter_missing", {{"interpreter", *argv0}}});
      } else if (k.owner_env) {
        env = set.find(*k.owner_env);
      }
      if (env) {
        k.kernel.env = m.python_envs[*env].path;
        m.python_envs[*env].kernels.push_back(k.kernel.path);
      }
      m.jupyter_kernels.push_back(std::move(k.kernel));
    }
  }
}

// What else each interpreter sees: PYTHONPATH and the user site (before its own site-packages), the
// directories its .pth files add and, for a venv that includes it, the system site (after).
void add_visible(const ProbeContext& ctx, facts::Machine& m, EnvSet& set,
                 const std::vector<std::string>& homes) {
  std::vector<std::string> pythonpath;
  if (auto pp = ctx.env.get("PYTHONPATH"))
    for (std::size_t start = 0; start <= pp->size();) {
      auto colon = pp->find(':', start);
      std::string part = pp->substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (part.starts_with('/') && ctx.fs.stat(part).kind == FileKind::directory)
        push_unique(pythonpath, platform::normalize(part));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  auto nousersite = ctx.env.get("PYTHONNOUSERSITE");
  bool no_user_site = nousersite && !nousersite->empty();
  auto home_var = ctx.env.get("HOME");

  auto add_from = [&](facts::PythonEnv& e, const std::string& dir, const char* via, bool ahead) {
    for (auto& [name, p] : set.scan(dir).packages) e.also_visible.push_back({name, via, dir, ahead, p});
  };
  for (auto& e : m.python_envs) {
    auto xy = python_xy(e.python);
    if (no_user_site) e.user_site_visible = false;
    auto home = owning_home(homes, e.path);
    if (!home && home_var && home_var->starts_with('/')) home = platform::normalize(*home_var);
    if (e.user_site_visible && xy && home) {
      std::string us = join(*home, ".local/lib/python" + *xy + "/site-packages");
      if (ctx.fs.stat(us).kind == FileKind::directory) {
        e.user_site = us;
        add_from(e, us, "user-site", true);
      }
    }
    std::vector<std::string> pth = e.extra_paths;
    for (auto& p : pythonpath) {
      push_unique(e.extra_paths, p);
      add_from(e, p, "PYTHONPATH", true);
    }
    for (auto& p : pth) add_from(e, p, "pth", false);
    if (e.include_system_site && e.base_interpreter && xy) {
      std::string base_prefix = platform::dirname(platform::dirname(*e.base_interpreter));
      auto dirs = (base_prefix == "/usr" || base_prefix == "/usr/local")
                      ? system_site_dirs(ctx.fs, base_prefix, *xy)
                      : std::vector<std::string>{join(base_prefix, "lib/python" + *xy + "/site-packages")};
      for (auto& d : dirs)
        if (ctx.fs.stat(d).kind == FileKind::directory) add_from(e, d, "system-site", false);
    }
  }
  for (auto& h : homes)
    for (auto& l : ctx.fs.list(join(h, ".local/lib")).entries)
      if (py::python_dir_version(l.name)) {
        std::string us = join(h, ".local/lib/" + l.name + "/site-packages");
        if (ctx.fs.stat(us).kind == FileKind::directory) m.user_sites.push_back(us);
      }
}

}  // namespace

void probe_python(const ProbeContext& ctx, facts::Machine& m) {
  auto disc = discover_python_envs(ctx);
  EnvSet set(ctx, m);
  for (auto& c : disc.candidates) set.add(c);
  tie_kernels(ctx, m, set, disc.homes);
  add_visible(ctx, m, set, disc.homes);
}

}  // namespace gpuenv::probes
