#include "facts/json.hpp"

#include <stdexcept>

namespace gpuenv::facts {

using oj = nlohmann::ordered_json;
using nlohmann::json;

const std::vector<std::string>& reported_env_vars() {
  static const std::vector<std::string> vars = {"CUDA_VISIBLE_DEVICES",
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

namespace {

oj opt(const Opt& v) {
  return v ? oj(*v) : oj(nullptr);
}
template <class T>
oj opt(const std::optional<T>& v) {
  return v ? oj(*v) : oj(nullptr);
}

// Reading helpers: a wrong type names the key path.
struct Reader {
  const json& j;
  std::string where;
  Opt s(const char* key) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw std::runtime_error(where + "." + key + ": expected a string");
    return it->get<std::string>();
  }
  std::string str(const char* key) const { return s(key).value_or(""); }
  bool b(const char* key, bool def = false) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return def;
    if (!it->is_boolean()) throw std::runtime_error(where + "." + key + ": expected true or false");
    return it->get<bool>();
  }
  std::optional<bool> ob(const char* key) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return b(key);
  }
  std::optional<std::int64_t> i(const char* key) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer()) throw std::runtime_error(where + "." + key + ": expected an integer");
    return it->get<std::int64_t>();
  }
  std::vector<std::string> strs(const char* key) const {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) throw std::runtime_error(where + "." + key + ": expected an array");
    for (auto& e : *it) {
      if (!e.is_string()) throw std::runtime_error(where + "." + key + ": expected strings");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  const json& arr(const char* key) const {
    static const json empty = json::array();
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return empty;
    if (!it->is_array()) throw std::runtime_error(where + "." + key + ": expected an array");
    return *it;
  }
  const json& obj(const char* key) const {
    static const json empty = json::object();
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return empty;
    if (!it->is_object()) throw std::runtime_error(where + "." + key + ": expected an object");
    return *it;
  }
};

/// A warning: probe, path and its English message (design.md §5), plus the catalog id and arguments
/// when known, so that a replayed snapshot (`--facts FILE`) can still say it in the user's language.
oj warning_json(const ProbeWarning& w) {
  oj j{{"probe", w.probe}, {"path", w.path}, {"message", w.message}};
  if (!w.id.empty()) {
    j["id"] = w.id;
    oj args = oj::object();
    for (auto& [k, v] : w.args) args[k] = v;
    j["args"] = args;
  }
  return j;
}

ProbeWarning warning_from_json(const json& j, const std::string& where) {
  Reader r{j, where};
  ProbeWarning w{r.str("probe"), r.str("path"), r.str("message"), r.str("id"), {}};
  for (auto& [k, v] : r.obj("args").items()) {
    if (!v.is_string()) throw std::runtime_error(where + ".args." + k + ": expected a string");
    w.args.emplace_back(k, v.get<std::string>());
  }
  return w;
}

Gpu gpu_from(const json& j, const std::string& where) {
  Reader r{j, where};
  Gpu g;
  g.index = static_cast<int>(r.i("index").value_or(0));
  g.pci_bus_id = r.s("pci_bus_id");
  g.vendor = r.s("vendor");
  g.pci_vendor_id = r.s("pci_vendor_id");
  g.pci_device_id = r.s("pci_device_id");
  g.name = r.s("name");
  g.architecture = r.s("architecture");
  g.chip = r.s("chip");
  g.compute_capability = r.s("compute_capability");
  g.memory_mib = r.i("memory_mib");
  g.kernel_driver = r.s("kernel_driver");
  g.uuid = r.s("uuid");
  g.serial = r.s("serial");
  g.source = r.str("source");
  return g;
}

Package package_from(const json& j, const std::string& where) {
  Reader r{j, where};
  Package p;
  p.version = r.s("version");
  p.cuda = r.s("cuda");
  p.variant = r.s("variant");
  p.source = r.s("source");
  p.location = r.s("location");
  p.build = r.s("build");
  p.arch_list = r.strs("arch_list");
  p.arch_source = r.s("arch_source");
  p.requires_dist = r.strs("requires_dist");
  p.installer = r.s("installer");
  p.channel = r.s("channel");
  p.libs = r.strs("libs");
  p.libs_dir = r.s("libs_dir");
  return p;
}

}  // namespace

oj to_json(const Gpu& g) {
  return oj{{"index", g.index},
            {"pci_bus_id", opt(g.pci_bus_id)},
            {"vendor", opt(g.vendor)},
            {"pci_vendor_id", opt(g.pci_vendor_id)},
            {"pci_device_id", opt(g.pci_device_id)},
            {"name", opt(g.name)},
            {"architecture", opt(g.architecture)},
            {"chip", opt(g.chip)},
            {"compute_capability", opt(g.compute_capability)},
            {"memory_mib", opt(g.memory_mib)},
            {"kernel_driver", opt(g.kernel_driver)},
            {"uuid", opt(g.uuid)},
            {"serial", opt(g.serial)},
            {"source", g.source}};
}

oj to_json(const Package& p) {
  oj j{{"version", opt(p.version)},        {"cuda", opt(p.cuda)},
       {"variant", opt(p.variant)},        {"source", opt(p.source)},
       {"location", opt(p.location)},      {"build", opt(p.build)},
       {"arch_list", p.arch_list},         {"arch_source", opt(p.arch_source)},
       {"requires_dist", p.requires_dist}, {"installer", opt(p.installer)}};
  j["channel"] = opt(p.channel);
  // Only when torch/lib was listed, so snapshots of wheels without bundled libraries keep their shape.
  if (p.libs_dir) {
    j["libs"] = p.libs;
    j["libs_dir"] = *p.libs_dir;
  }
  return j;
}

oj to_json(const PythonEnv& e) {
  // The environment's warnings stay a list of English strings (design.md §5).
  std::vector<std::string> warnings;
  for (auto& w : e.warnings) warnings.push_back(w.message);
  oj pk = oj::object();
  for (auto& [name, p] : e.packages) pk[name] = to_json(p);
  oj visible = oj::array();
  for (auto& v : e.also_visible)
    visible.push_back({{"name", v.name},
                       {"via", v.via},
                       {"path", v.path},
                       {"ahead", v.ahead},
                       {"package", to_json(v.package)}});
  return oj{{"path", e.path},
            {"kind", e.kind},
            {"python", opt(e.python)},
            {"python_source", opt(e.python_source)},
            {"interpreter", opt(e.interpreter)},
            {"base_interpreter", opt(e.base_interpreter)},
            {"base_missing", e.base_missing},
            {"active", e.active},
            {"on_path", e.on_path},
            {"name", opt(e.name)},
            {"found_by", e.found_by},
            {"site_packages", e.site_packages},
            {"include_system_site", e.include_system_site},
            {"user_site_visible", e.user_site_visible},
            {"packages", pk},
            {"extra_paths", e.extra_paths},
            {"user_site", opt(e.user_site)},
            {"also_visible", visible},
            {"kernels", e.kernels},
            {"warnings", warnings}};
}

oj to_json(const Machine& m) {
  oj gpus = oj::array();
  for (auto& g : m.gpus) gpus.push_back(to_json(g));
  oj others = oj::array();
  for (auto& g : m.other_display_devices) others.push_back(to_json(g));
  oj nodes = oj::array();
  for (auto& n : m.driver.device_nodes) nodes.push_back({{"path", n.path}, {"accessible", n.accessible}});
  oj toolkits = oj::array();
  for (auto& t : m.cuda_toolkits)
    toolkits.push_back({{"path", t.path},
                        {"version", opt(t.version)},
                        {"source", t.source},
                        {"real_path", opt(t.real_path)},
                        {"found_by", t.found_by}});
  oj cudnn = oj::array();
  for (auto& c : m.cudnn)
    cudnn.push_back({{"path", c.path}, {"version", opt(c.version)}, {"source", c.source}});
  oj envs = oj::array();
  for (auto& e : m.python_envs) envs.push_back(to_json(e));
  oj kernels = oj::array();
  for (auto& k : m.jupyter_kernels)
    kernels.push_back({{"path", k.path},
                       {"display_name", opt(k.display_name)},
                       {"argv0", opt(k.argv0)},
                       {"env", opt(k.env)}});
  oj vars = oj::object();
  for (auto& name : reported_env_vars()) {
    auto it = m.env_vars.find(name);
    vars[name] = (it == m.env_vars.end()) ? oj(nullptr) : opt(it->second);
  }
  oj warnings = oj::array();
  for (auto& w : m.warnings) warnings.push_back(warning_json(w));
  oj out{
      {"host", {{"name", opt(m.host.name)}}},
      {"os",
       {{"id", opt(m.os.id)},
        {"version", opt(m.os.version)},
        {"pretty_name", opt(m.os.pretty_name)},
        {"kernel", opt(m.os.kernel)},
        {"arch", opt(m.os.arch)},
        {"glibc", opt(m.os.glibc)},
        {"wsl", m.os.wsl},
        {"container", opt(m.os.container)},
        {"secure_boot", opt(m.os.secure_boot)},
        {"container_engines", m.os.container_engines},
        {"nvidia_container_toolkit", m.os.nvidia_container_toolkit},
        {"sources", m.os.sources}}},
      {"gpus", gpus},
      {"other_display_devices", others},
      {"driver",
       {{"version", opt(m.driver.version)},
        {"cuda_max", opt(m.driver.cuda_max)},
        {"cuda_max_source", opt(m.driver.cuda_max_source)},
        {"flavor", opt(m.driver.flavor)},
        {"userspace_version", opt(m.driver.userspace_version)},
        {"userspace_libs", m.driver.userspace_libs},
        {"source", opt(m.driver.source)},
        {"module_loaded", m.driver.module_loaded},
        {"uvm_loaded", m.driver.uvm_loaded},
        {"nouveau_loaded", m.driver.nouveau_loaded},
        {"module_installed", m.driver.module_installed},
        {"device_nodes", nodes}}},
      {"cuda_toolkits", toolkits},
      {"cudnn", cudnn},
      {"python_envs", envs},
      {"jupyter_kernels", kernels},
      {"user_sites", m.user_sites},
      {"env_vars", vars},
      {"warnings", warnings},
  };
  // Only when LD_LIBRARY_PATH named directories: snapshots without it keep their shape.
  if (!m.library_path.empty()) {
    oj dirs = oj::array();
    for (auto& d : m.library_path)
      dirs.push_back({{"dir", d.dir}, {"libraries", d.libraries}, {"source", d.source}});
    out["library_path"] = std::move(dirs);
  }
  return out;
}

Machine machine_from_json(const json& doc) {
  const json& j = (doc.is_object() && doc.contains("machine")) ? doc["machine"] : doc;
  if (!j.is_object()) throw std::runtime_error("machine: expected an object");
  Reader r{j, "machine"};
  Machine m;
  m.host.name = Reader{r.obj("host"), "machine.host"}.s("name");
  {
    Reader o{r.obj("os"), "machine.os"};
    m.os.id = o.s("id");
    m.os.version = o.s("version");
    m.os.pretty_name = o.s("pretty_name");
    m.os.kernel = o.s("kernel");
    m.os.arch = o.s("arch");
    m.os.glibc = o.s("glibc");
    m.os.wsl = o.b("wsl");
    m.os.container = o.s("container");
    m.os.secure_boot = o.ob("secure_boot");
    m.os.container_engines = o.strs("container_engines");
    m.os.nvidia_container_toolkit = o.b("nvidia_container_toolkit");
    m.os.sources = o.strs("sources");
  }
  int i = 0;
  for (auto& g : r.arr("gpus")) m.gpus.push_back(gpu_from(g, "machine.gpus[" + std::to_string(i++) + "]"));
  i = 0;
  for (auto& g : r.arr("other_display_devices"))
    m.other_display_devices.push_back(
        gpu_from(g, "machine.other_display_devices[" + std::to_string(i++) + "]"));
  {
    Reader d{r.obj("driver"), "machine.driver"};
    m.driver.version = d.s("version");
    m.driver.cuda_max = d.s("cuda_max");
    m.driver.cuda_max_source = d.s("cuda_max_source");
    m.driver.flavor = d.s("flavor");
    m.driver.userspace_version = d.s("userspace_version");
    m.driver.userspace_libs = d.strs("userspace_libs");
    m.driver.source = d.s("source");
    m.driver.module_loaded = d.b("module_loaded");
    m.driver.uvm_loaded = d.b("uvm_loaded");
    m.driver.nouveau_loaded = d.b("nouveau_loaded");
    m.driver.module_installed = d.b("module_installed");
    for (auto& n : d.arr("device_nodes")) {
      Reader nr{n, "machine.driver.device_nodes"};
      m.driver.device_nodes.push_back({nr.str("path"), nr.b("accessible")});
    }
  }
  for (auto& t : r.arr("cuda_toolkits")) {
    Reader tr{t, "machine.cuda_toolkits"};
    m.cuda_toolkits.push_back(
        {tr.str("path"), tr.s("version"), tr.str("source"), tr.s("real_path"), tr.strs("found_by")});
  }
  for (auto& c : r.arr("cudnn")) {
    Reader cr{c, "machine.cudnn"};
    m.cudnn.push_back({cr.str("path"), cr.s("version"), cr.str("source")});
  }
  i = 0;
  for (auto& e : r.arr("python_envs")) {
    std::string where = "machine.python_envs[" + std::to_string(i++) + "]";
    Reader er{e, where};
    PythonEnv env;
    env.path = er.str("path");
    env.kind = er.str("kind");
    env.python = er.s("python");
    env.python_source = er.s("python_source");
    env.interpreter = er.s("interpreter");
    env.base_interpreter = er.s("base_interpreter");
    env.base_missing = er.b("base_missing");
    env.active = er.b("active");
    env.on_path = er.b("on_path");
    env.name = er.s("name");
    env.found_by = er.strs("found_by");
    env.site_packages = er.strs("site_packages");
    env.include_system_site = er.b("include_system_site");
    env.user_site_visible = er.b("user_site_visible", true);
    for (auto& [name, p] : er.obj("packages").items())
      env.packages[name] = package_from(p, where + ".packages." + name);
    env.extra_paths = er.strs("extra_paths");
    env.user_site = er.s("user_site");
    int k = 0;
    for (auto& v : er.arr("also_visible")) {
      std::string vwhere = where + ".also_visible[" + std::to_string(k++) + "]";
      Reader vr{v, vwhere};
      env.also_visible.push_back({vr.str("name"), vr.str("via"), vr.str("path"), vr.b("ahead"),
                                  package_from(vr.obj("package"), vwhere + ".package")});
    }
    env.kernels = er.strs("kernels");
    for (auto& w : er.strs("warnings")) env.warnings.push_back({"python", env.path, w, {}, {}});
    m.python_envs.push_back(std::move(env));
  }
  for (auto& k : r.arr("jupyter_kernels")) {
    Reader kr{k, "machine.jupyter_kernels"};
    m.jupyter_kernels.push_back({kr.str("path"), kr.s("display_name"), kr.s("argv0"), kr.s("env")});
  }
  m.user_sites = r.strs("user_sites");
  for (auto& [k, v] : r.obj("env_vars").items()) {
    if (v.is_null())
      m.env_vars[k] = std::nullopt;
    else if (v.is_string())
      m.env_vars[k] = v.get<std::string>();
    else
      throw std::runtime_error("machine.env_vars." + k + ": expected a string or null");
  }
  for (auto& w : r.arr("warnings")) {
    m.warnings.push_back(warning_from_json(w, "machine.warnings"));
  }
  for (auto& d : r.arr("library_path")) {
    Reader dr{d, "machine.library_path"};
    m.library_path.push_back(
        {dr.str("dir"), dr.strs("libraries"), dr.s("source").value_or("LD_LIBRARY_PATH")});
  }
  return m;
}

}  // namespace gpuenv::facts
