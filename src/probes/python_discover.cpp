#include "probes/python_discover.hpp"

#include <algorithm>
#include <map>

#include "facts/dotted.hpp"
#include "probes/conda_parse.hpp"
#include "probes/python_parse.hpp"
#include "probes/python_walk.hpp"

namespace gpuenv::probes {

namespace {

using platform::basename;
using platform::dirname;
using platform::FileKind;
using platform::join;

constexpr const char* kProbe = "python";
constexpr std::string_view kCondaInstalls[] = {"miniconda3", "anaconda3",  "miniforge3",
                                               "mambaforge", "micromamba", ".conda"};
constexpr std::string_view kOptConda[] = {"/opt/conda", "/opt/miniconda3", "/opt/anaconda3",
                                          "/opt/miniforge3"};

bool is_dir(const platform::FileSystem& fs, const std::string& p) {
  return fs.stat(p).kind == FileKind::directory;
}
bool is_file(const platform::FileSystem& fs, const std::string& p) {
  return fs.stat(p).kind == FileKind::regular;
}

std::vector<std::string> split_list(std::string_view v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= v.size()) {
    auto colon = v.find(':', start);
    auto part = v.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (!part.empty()) out.emplace_back(part);
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return out;
}

// Subdirectories (or links to them) of `dir`, as machine paths.
std::vector<std::string> subdirs(const platform::FileSystem& fs, const std::string& dir) {
  std::vector<std::string> out;
  for (auto& e : fs.list(dir).entries) {
    std::string p = join(dir, e.name);
    if (e.kind == FileKind::directory || (e.kind == FileKind::symlink && is_dir(fs, p))) out.push_back(p);
  }
  return out;
}

bool is_shims_dir(const platform::FileSystem& fs, const std::string& dir) {
  return basename(dir) == "shims" && is_dir(fs, join(dirname(dir), "versions"));
}

// pyenv's choice of versions, in its own order: $PYENV_VERSION, the nearest .python-version from the
// working directory up, `$PYENV_ROOT/version`, else "system".
std::vector<std::string> pyenv_versions(const ProbeContext& ctx, const std::string& root,
                                        std::string& origin) {
  if (auto v = ctx.env.get("PYENV_VERSION"); v && !v->empty()) {
    origin = "$PYENV_VERSION";
    return split_list(*v);
  }
  if (auto pwd = ctx.env.get("PWD"); pwd && pwd->starts_with('/')) {
    std::string dir = platform::normalize(*pwd);
    for (;;) {
      std::string f = join(dir, ".python-version");
      auto r = ctx.fs.read(f, 4096);
      if (r.ok()) {
        auto names = py::parse_pyenv_version_file(r.data);
        if (!names.empty()) {
          origin = f;
          return names;
        }
      }
      if (dir == "/") break;
      dir = dirname(dir);
    }
  }
  std::string global = join(root, "version");
  if (auto r = ctx.fs.read(global, 4096); r.ok()) {
    auto names = py::parse_pyenv_version_file(r.data);
    if (!names.empty()) {
      origin = global;
      return names;
    }
  }
  origin = "pyenv default";
  return {"system"};
}

// `versions/<name>`, or, as pyenv does for a prefix such as "3.11", the newest installed 3.11.x.
std::optional<std::string> pyenv_version_dir(const ProbeContext& ctx, const std::string& root,
                                             const std::string& name) {
  std::string exact = join(root, "versions/" + name);
  if (is_dir(ctx.fs, exact)) return exact;
  std::optional<std::pair<facts::Dotted, std::string>> best;
  for (auto& e : ctx.fs.list(join(root, "versions")).entries) {
    if (!e.name.starts_with(name + ".")) continue;
    auto d = facts::Dotted::parse(e.name);
    if (d && (!best || best->first < *d)) best = std::make_pair(*d, e.name);
  }
  if (!best) return std::nullopt;
  return join(root, "versions/" + best->second);
}

}  // namespace

std::optional<std::string> owning_home(const std::vector<std::string>& homes, const std::string& path) {
  for (auto& h : homes)
    if (path == h || path.starts_with(h + "/")) return h;
  return std::nullopt;
}

std::optional<EnvCandidate> candidate_for_interpreter(const ProbeContext& ctx, const std::string& path,
                                                      const std::string& found_by) {
  const auto& fs = ctx.fs;
  if (fs.lstat(path).kind == FileKind::missing) return std::nullopt;
  EnvCandidate c;
  c.found_by = found_by;
  c.interpreter = path;
  std::string dir = dirname(path);
  if (basename(dir) == "bin") {
    std::string prefix = dirname(dir);
    if (is_file(fs, join(prefix, "pyvenv.cfg")) || is_dir(fs, join(prefix, "conda-meta"))) {
      c.path = prefix;
      return c;
    }
  }
  auto real = fs.real_path(path);
  if (!real) return std::nullopt;
  std::string rdir = dirname(*real);
  std::string prefix = basename(rdir) == "bin" ? dirname(rdir) : rdir;
  if (prefix == "/usr" || prefix == "/usr/local" || prefix == "/") {
    c.path = prefix == "/" ? "/usr" : prefix;
    c.kind_hint = "system";
    c.python_xy = py::python_dir_version(basename(*real));
    if (!c.python_xy) {
      // A "python3" that is itself the binary: the one pythonX.Y library directory tells the version.
      std::vector<std::string> xys;
      for (auto& e : fs.list(join(c.path, "lib")).entries)
        if (auto xy = py::python_dir_version(e.name)) xys.push_back(*xy);
      if (xys.size() != 1) return std::nullopt;
      c.python_xy = xys.front();
    }
    return c;
  }
  c.path = prefix;
  if (real->find("/.pyenv/versions/") != std::string::npos) c.kind_hint = "pyenv";
  if (real->find("/uv/python/") != std::string::npos) c.kind_hint = "uv";
  return c;
}

namespace {

class Discoverer {
 public:
  explicit Discoverer(const ProbeContext& ctx) : ctx_(ctx), fs_(ctx.fs) {}

  Discovery run() {
    active();
    explicit_args();
    path_interpreters();
    system();
    homes();
    for (auto& p : kOptConda) conda_install(std::string(p));
    return std::move(d_);
  }

 private:
  void add(EnvCandidate c) { d_.candidates.push_back(std::move(c)); }
  void add(std::string path, std::string found_by, std::string hint = {},
           std::optional<std::string> name = {}) {
    EnvCandidate c;
    c.path = std::move(path);
    c.found_by = std::move(found_by);
    c.kind_hint = std::move(hint);
    c.name = std::move(name);
    add(std::move(c));
  }

  void active() {
    for (const char* var : {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
      auto v = ctx_.env.get(var);
      if (!v || v->empty() || !v->starts_with('/')) continue;
      if (!is_dir(fs_, *v)) {
        ctx_.warn(kProbe, *v, {"warning.python.env_var_missing", {{"var", var}}});
        continue;
      }
      EnvCandidate c;
      c.path = platform::normalize(*v);
      c.found_by = std::string("$") + var;
      c.active = true;
      add(std::move(c));
    }
  }

  void explicit_args() {
    for (auto& e : ctx_.extra_envs) {
      if (!e.starts_with('/') || !is_dir(fs_, e)) {
        ctx_.warn(kProbe, e, {"warning.python.env_not_dir", {}});
        continue;
      }
      add(platform::normalize(e), "--env");
    }
    for (auto& p : ctx_.extra_pythons) {
      auto c = p.starts_with('/') ? candidate_for_interpreter(ctx_, platform::normalize(p), "--python")
                                  : std::nullopt;
      if (c)
        add(std::move(*c));
      else
        ctx_.warn(kProbe, p, {"warning.python.no_interpreter", {}});
    }
  }

  void path_interpreters() {
    auto path_var = ctx_.env.get("PATH");
    if (!path_var) return;
    auto dirs = split_list(*path_var);
    for (std::size_t i = 0; i < dirs.size(); ++i) {
      if (!dirs[i].starts_with('/')) continue;
      std::string dir = platform::normalize(dirs[i]);
      bool shims = is_shims_dir(fs_, dir);
      for (auto& e : fs_.list(dir).entries) {
        if (!py::is_python_executable_name(e.name)) continue;
        std::string exe = join(dir, e.name);
        std::optional<EnvCandidate> c;
        if (shims)
          c = resolve_shim(dirname(dir), e.name, dirs, i);
        else
          c = candidate_for_interpreter(ctx_, exe, "PATH " + exe);
        if (!c) {
          if (!shims) ctx_.warn(kProbe, exe, {"warning.python.unresolved_on_path", {}});
          continue;
        }
        c->on_path = true;
        add(std::move(*c));
      }
    }
  }

  // A pyenv shim is a script that runs `pyenv exec`: resolve what it would run from pyenv's files.
  std::optional<EnvCandidate> resolve_shim(const std::string& root, const std::string& cmd,
                                           const std::vector<std::string>& path_dirs, std::size_t index) {
    auto& [names, origin] = pyenv_choice(root);
    for (auto& name : names) {
      std::string found_by =
          "pyenv shim " + join(root, "shims/" + cmd) + " (" + name + " from " + origin + ")";
      if (name == "system") {
        for (std::size_t j = index + 1; j < path_dirs.size(); ++j) {
          std::string dir = platform::normalize(path_dirs[j]);
          if (!path_dirs[j].starts_with('/') || is_shims_dir(fs_, dir)) continue;
          if (auto c = candidate_for_interpreter(ctx_, join(dir, cmd), found_by)) return c;
        }
        continue;
      }
      auto vdir = pyenv_version_dir(ctx_, root, name);
      if (!vdir) {
        ctx_.warn(kProbe, join(root, "versions/" + name),
                  {"warning.python.pyenv_not_installed", {{"name", name}, {"origin", origin}}});
        continue;
      }
      if (fs_.lstat(join(*vdir, "bin/" + cmd)).kind == FileKind::missing) continue;
      auto c = candidate_for_interpreter(ctx_, join(*vdir, "bin/" + cmd), found_by);
      if (!c) continue;
      if (c->kind_hint.empty()) c->kind_hint = "pyenv";
      return c;
    }
    return std::nullopt;
  }

  void system() {
    std::vector<std::string> seen_xy;
    for (const char* bin : {"/usr/bin", "/usr/local/bin"}) {
      for (auto& e : fs_.list(bin).entries) {
        auto xy = py::python_dir_version(e.name);
        if (!xy || e.name.ends_with('t')) continue;
        std::string exe = join(bin, e.name);
        auto c = candidate_for_interpreter(ctx_, exe, "system " + exe);
        if (!c || c->kind_hint != "system") continue;
        seen_xy.push_back(c->path + "#" + c->python_xy.value_or(""));
        add(std::move(*c));
      }
    }
    // Packages the distribution installed, even where its interpreter is not (a minimal image).
    if (is_dir(fs_, "/usr/lib/python3/dist-packages")) {
      for (auto& e : fs_.list("/usr/lib").entries) {
        auto xy = py::python_dir_version(e.name);
        if (!xy || !xy->starts_with("3.") || e.name.ends_with('t')) continue;
        if (std::find(seen_xy.begin(), seen_xy.end(), "/usr#" + *xy) != seen_xy.end()) continue;
        EnvCandidate c;
        c.path = "/usr";
        c.found_by = "system /usr/lib/" + e.name;
        c.kind_hint = "system";
        c.python_xy = xy;
        add(std::move(c));
      }
    }
  }

  void conda_install(const std::string& base) {
    if (is_dir(fs_, join(base, "conda-meta"))) add(base, "conda install " + base, "", "base");
    for (auto& env : subdirs(fs_, join(base, "envs")))
      add(env, "conda envs " + join(base, "envs"), "", std::string(basename(env)));
  }

  void homes() {
    if (is_dir(fs_, "/root")) d_.homes.push_back("/root");
    for (auto& h : subdirs(fs_, "/home")) d_.homes.push_back(h);
    for (auto& home : d_.homes) one_home(home);
    if (auto root = ctx_.env.get("PYENV_ROOT"); root && root->starts_with('/'))
      for (auto& v : subdirs(fs_, join(*root, "versions")))
        add(v, "pyenv versions " + join(*root, "versions"), "pyenv");
    if (auto w = ctx_.env.get("WORKON_HOME"); w && w->starts_with('/'))
      for (auto& v : subdirs(fs_, *w)) add(v, "virtualenvwrapper " + *w);
  }

  void one_home(const std::string& home) {
    for (auto name : kCondaInstalls) conda_install(join(home, std::string(name)));
    std::string envs_txt = join(home, ".conda/environments.txt");
    if (auto r = fs_.read(envs_txt, 1u << 20); r.ok()) {
      for (auto& p : py::parse_environments_txt(r.data)) {
        if (!is_dir(fs_, p)) {
          ctx_.warn(kProbe, envs_txt, {"warning.python.conda_env_gone", {{"path", p}}});
          continue;
        }
        std::optional<std::string> name;
        if (basename(dirname(p)) == "envs") name = std::string(basename(p));
        add(platform::normalize(p), envs_txt, "", name);
      }
    } else if (r.status == platform::ReadResult::Status::failed) {
      ctx_.warn(kProbe, envs_txt, {"warning.cannot_read", {{"reason", r.error}}});
    }
    for (auto& v : subdirs(fs_, join(home, ".pyenv/versions")))
      add(v, "pyenv versions " + join(home, ".pyenv/versions"), "pyenv");
    for (auto& v : subdirs(fs_, join(home, ".virtualenvs")))
      add(v, "virtualenvwrapper " + join(home, ".virtualenvs"));
    for (auto& v : subdirs(fs_, join(home, ".local/share/virtualenvs")))
      add(v, "pipenv " + join(home, ".local/share/virtualenvs"));
    // Poetry's default `virtualenvs.path` is {cache-dir}/virtualenvs: hidden, so the walk never sees it.
    for (auto& v : subdirs(fs_, join(home, ".cache/pypoetry/virtualenvs")))
      add(v, "poetry " + join(home, ".cache/pypoetry/virtualenvs"));
    for (auto& v : subdirs(fs_, join(home, ".local/share/uv/python")))
      add(v, "uv python " + join(home, ".local/share/uv/python"), "uv");
    WalkLimits limits;
    auto walk = walk_home_for_envs(fs_, home, limits);
    for (auto& v : walk.venvs) add(v, "search of " + home);
    for (auto& v : walk.conda_envs) add(v, "search of " + home);
    for (auto& msg : describe_walk_limits(walk, home, limits)) ctx_.warn(kProbe, home, std::move(msg));
    // Each problem path by name, so that a report says which directory or file to look at.
    for (auto& dir : walk.unreadable) ctx_.warn(kProbe, dir, {"warning.python.cannot_list_dir", {}});
    for (auto& f : walk.not_regular) ctx_.warn(kProbe, f, {"warning.not_regular", {}});
  }

  // pyenv's choice depends only on its root (and the environment): worked out once per root, not once
  // per shim (a pyenv install has a dozen python* shims).
  const std::pair<std::vector<std::string>, std::string>& pyenv_choice(const std::string& root) {
    auto it = pyenv_choices_.find(root);
    if (it == pyenv_choices_.end()) {
      std::string origin;
      auto names = pyenv_versions(ctx_, root, origin);
      it = pyenv_choices_.emplace(root, std::make_pair(std::move(names), std::move(origin))).first;
    }
    return it->second;
  }

  const ProbeContext& ctx_;
  const platform::FileSystem& fs_;
  Discovery d_;
  std::map<std::string, std::pair<std::vector<std::string>, std::string>> pyenv_choices_;
};

}  // namespace

Discovery discover_python_envs(const ProbeContext& ctx) {
  return Discoverer(ctx).run();
}

}  // namespace gpuenv::probes
