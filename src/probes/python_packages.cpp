#include "probes/python_packages.hpp"

#include <algorithm>

#include "facts/pep440.hpp"
#include "probes/conda_parse.hpp"
#include "probes/framework_arch.hpp"
#include "probes/loader.hpp"
#include "probes/python_parse.hpp"
#include "probes/python_variant.hpp"

namespace gpuenv::probes {

namespace {

using platform::FileKind;
using platform::join;

constexpr std::size_t kMetadataCap = 128u << 10;  // headers come first; the description may be long
constexpr std::size_t kSmallFileCap = 64u << 10;
constexpr const char* kProbe = "python";

// Frameworks whose <name>/version.py says what the build is.
constexpr std::string_view kVersionPyPackages[] = {"torch", "torchvision", "torchaudio"};

std::string first_line(std::string_view s) {
  auto nl = s.find('\n');
  return std::string(py::trim(s.substr(0, nl)));
}

std::string source_of(std::string_view dir, const facts::Opt& installer) {
  if (installer) {
    if (*installer == "conda") return "conda";
    if (*installer == "debian" || *installer == "dpkg" || *installer == "rpm") return "distro";
  }
  if (is_distro_site_dir(dir)) return "distro";
  if (installer && !installer->empty()) return "pip";  // pip, uv, poetry, pdm: all install wheels
  return "unknown";
}

std::optional<py::TorchVersionPy> read_version_py(const ProbeContext& ctx, const std::string& path) {
  auto r = ctx.fs.read(path, kSmallFileCap);
  if (r.status == platform::ReadResult::Status::failed) {
    ctx.warn(kProbe, path, {"warning.cannot_read", {{"reason", r.error}}});
    return std::nullopt;
  }
  if (!r.ok()) return std::nullopt;
  auto v = py::parse_torch_version_py(r.data);
  if (!v) ctx.warn(kProbe, path, {"warning.python.version_py", {}});
  return v;
}

// Reads one *.dist-info / *.egg-info entry.
facts::Package read_dist(const ProbeContext& ctx, const std::string& dir, const platform::DirEntry& entry,
                         const py::DistDirName& dn) {
  facts::Package p;
  std::string path = join(dir, entry.name);
  p.location = path;
  p.version = dn.version;
  std::string meta_path = !dn.egg                           ? join(path, "METADATA")
                          : entry.kind == FileKind::regular ? path
                                                            : join(path, "PKG-INFO");
  auto meta = ctx.fs.read(meta_path, kMetadataCap);
  if (meta.status == platform::ReadResult::Status::failed) {
    ctx.warn(kProbe, meta_path, {"warning.cannot_read", {{"reason", meta.error}}});
  } else if (!meta.ok()) {
    ctx.warn(kProbe, meta_path, {"warning.python.metadata_missing", {}});
  } else if (auto md = py::parse_core_metadata(meta.data)) {
    if (md->version) p.version = md->version;
    for (auto& line : md->requires_dist) {
      auto req = py::parse_requirement(line);
      if (req && py::applies_on_linux(*req) && py::is_interesting_pip_package(req->name))
        p.requires_dist.push_back(req->str());
    }
  } else {
    ctx.warn(kProbe, meta_path, {"warning.python.metadata_bad", {}});
  }
  if (!dn.egg) {
    auto inst = ctx.fs.read(join(path, "INSTALLER"), 256);
    if (inst.ok() && !first_line(inst.data).empty()) p.installer = first_line(inst.data);
  }
  p.source = source_of(dir, p.installer);
  return p;
}

}  // namespace

bool is_distro_site_dir(std::string_view dir) {
  // Debian/Ubuntu: /usr/lib/python3/dist-packages, /usr/lib/python3.X/dist-packages (pip refuses to
  // write there; it uses /usr/local/lib/...). Fedora/RHEL: /usr/lib{,64}/python3.X/site-packages.
  if (!dir.starts_with("/usr/lib/") && !dir.starts_with("/usr/lib64/")) return false;
  return dir.ends_with("/dist-packages") || dir.ends_with("/site-packages");
}

namespace {

// Variant and CUDA of a framework from every source there is, most specific first: the local label
// (of the metadata, then of version.py's __version__), the conda build string, version.py, the pinned
// nvidia-* runtime. Idempotent.
void finalize_build(facts::Package& p, std::string_view name, const py::TorchVersionPy* vp) {
  std::vector<py::BuildInfo> sources;  // most specific first
  auto label_of = [](const facts::Opt& version) -> py::BuildInfo {
    if (!version) return {};
    auto v = facts::Pep440Version::parse(*version);
    return v ? py::variant_from_local_label(v->local_label()) : py::BuildInfo{};
  };
  sources.push_back(label_of(p.version));
  if (vp) {
    sources.push_back(label_of(vp->version));
    if (vp->version) p.version = vp->version;  // torch.__version__ is what the user sees
  }
  if (p.build) sources.push_back(py::variant_from_conda_build(*p.build));
  if (vp) sources.push_back(py::variant_from_torch_version_py(*vp));
  if (auto c = py::cuda_from_requirements(p.requires_dist)) sources.push_back({py::variant_from_cuda(*c), c});
  // torch.version.cuda is the truth about the runtime when the file says it.
  if (vp && vp->cuda) p.cuda = py::variant_from_torch_version_py(*vp).cuda;
  for (auto& s : sources) {
    if (!p.variant && s.variant) p.variant = s.variant;
    if (!p.cuda && s.cuda) p.cuda = s.cuda;
  }
  if (!p.variant && name == "torch") p.variant = "unknown";
}

}  // namespace

SiteScan scan_site_dir(const ProbeContext& ctx, const std::string& dir) {
  SiteScan out;
  auto listing = ctx.fs.list(dir);
  if (!listing.error.empty()) ctx.warn(kProbe, dir, {"warning.cannot_list", {{"reason", listing.error}}});
  if (listing.truncated) ctx.warn(kProbe, dir, {"warning.python.too_many_entries", {}});
  std::vector<std::string> pth_files;
  std::vector<std::string> module_dirs;
  for (auto& e : listing.entries) {
    if (e.name.ends_with(".pth") && (e.kind == FileKind::regular || e.kind == FileKind::symlink)) {
      pth_files.push_back(e.name);
      continue;
    }
    if (std::find(std::begin(kVersionPyPackages), std::end(kVersionPyPackages), e.name) !=
        std::end(kVersionPyPackages))
      module_dirs.push_back(e.name);
    auto dn = py::parse_dist_dir_name(e.name);
    if (!dn || !py::is_interesting_pip_package(dn->name)) continue;
    facts::Package p = read_dist(ctx, dir, e, *dn);
    auto [it, inserted] = out.packages.try_emplace(dn->name, p);
    if (!inserted) out.duplicates.push_back({dn->name, "same-site", dir, false, std::move(p)});
  }
  // version.py of torch & co: the build's truth, and a torch without metadata (a source checkout on
  // PYTHONPATH) still counts.
  for (auto& name : module_dirs) {
    auto vp = read_version_py(ctx, join(dir, name + "/version.py"));
    if (!vp) continue;
    auto it = out.packages.find(name);
    if (it == out.packages.end()) {
      facts::Package p;
      p.location = join(dir, name);
      p.source = source_of(dir, std::nullopt);
      it = out.packages.emplace(name, std::move(p)).first;
    }
    // Two records of one package: the one version.py agrees with is the installed one.
    for (auto& d : out.duplicates) {
      if (d.name != name || !vp->version || !d.package.version) continue;
      auto dv = facts::Pep440Version::parse(*d.package.version);
      auto vv = facts::Pep440Version::parse(*vp->version);
      auto cur = it->second.version ? facts::Pep440Version::parse(*it->second.version) : std::nullopt;
      if (dv && vv && *dv == *vv && !(cur && *cur == *vv)) std::swap(d.package, it->second);
    }
    finalize_build(it->second, name, &*vp);
  }
  for (auto& [name, p] : out.packages) {
    if (std::find(module_dirs.begin(), module_dirs.end(), name) == module_dirs.end() || !p.variant)
      finalize_build(p, name, nullptr);
    const std::string ver = p.version.value_or("");
    if (!p.cuda) p.cuda = py::cuda_of_nvidia_wheel(name, ver);
    if (!p.cuda) p.cuda = py::cuda_of_cupy(name);
    if (!p.cuda) p.cuda = py::cuda_of_jax_plugin(name);
    if (name == "jaxlib" && !p.cuda) {
      // jaxlib's old CUDA wheels: "0.4.7+cuda11.cudnn86"
      auto v = facts::Pep440Version::parse(ver);
      if (v && !v->local.empty() && v->local[0].starts_with("cuda") && v->local[0].size() > 4)
        p.cuda = v->local[0].substr(4);
    }
    if (name == "tensorflow-cpu") p.variant = "cpu";
    // The GPU targets compiled into a CUDA torch, read from its libraries (issue 6): a fact, preferred
    // over the knowledge base's table of official builds.
    if (name == "torch" && p.variant && p.variant->starts_with("cu")) {
      if (auto archs = read_torch_arch_list(ctx, join(dir, "torch"))) {
        p.arch_list = archs->arch_list;
        p.arch_source = archs->source;
      }
      // The CUDA libraries the wheel bundles (old and "big" wheels) beside libtorch_cuda.so.
      std::string lib_dir = join(dir, "torch/lib");
      if (ctx.fs.stat(lib_dir).kind == FileKind::directory) {
        p.libs_dir = lib_dir;
        for (auto& e : ctx.fs.list(lib_dir).entries)
          if (is_cuda_family_library(e.name) || e.name.starts_with("libtorch_cuda")) p.libs.push_back(e.name);
        std::sort(p.libs.begin(), p.libs.end());
      }
    }
  }
  for (auto& d : out.duplicates) finalize_build(d.package, d.name, nullptr);
  // .pth files: each path line names a directory added to sys.path after this one.
  for (auto& f : pth_files) {
    std::string path = join(dir, f);
    auto r = ctx.fs.read(path, kSmallFileCap);
    if (r.status == platform::ReadResult::Status::failed)
      ctx.warn(kProbe, path, {"warning.cannot_read", {{"reason", r.error}}});
    if (!r.ok()) continue;
    for (auto& line : py::parse_pth(r.data)) {
      std::string target = join(dir, line);
      if (ctx.fs.stat(target).kind == FileKind::directory &&
          std::find(out.pth_paths.begin(), out.pth_paths.end(), target) == out.pth_paths.end())
        out.pth_paths.push_back(target);
    }
  }
  return out;
}

CondaScan scan_conda_meta(const ProbeContext& ctx, const std::string& prefix) {
  CondaScan out;
  std::string meta_dir = join(prefix, "conda-meta");
  auto listing = ctx.fs.list(meta_dir);
  if (!listing.error.empty())
    ctx.warn(kProbe, meta_dir, {"warning.cannot_list", {{"reason", listing.error}}});
  if (listing.entries.empty() && listing.error.empty() && ctx.fs.stat(meta_dir).kind != FileKind::directory)
    return out;
  out.present = true;
  for (auto& e : listing.entries) {
    auto rn = py::parse_conda_meta_filename(e.name);
    if (!rn) continue;
    std::string path = join(meta_dir, e.name);
    if (rn->name == "python") {
      out.python = rn->version;
      out.python_record = path;
      continue;
    }
    if (!py::is_interesting_conda_package(rn->name) || out.packages.count(rn->name)) continue;
    facts::Package p;
    p.version = rn->version;
    p.build = rn->build;
    p.source = "conda";
    p.installer = "conda";
    p.location = path;
    auto r = ctx.fs.read(path, kSmallFileCap);
    if (r.status == platform::ReadResult::Status::failed) {
      ctx.warn(kProbe, path, {"warning.cannot_read", {{"reason", r.error}}});
    } else if (r.ok()) {
      auto rec = py::parse_conda_record(r.data);
      if (!rec) {
        ctx.warn(kProbe, path, {"warning.python.conda_record", {}});
      } else {
        if (rec->version) p.version = rec->version;
        if (rec->build) p.build = rec->build;
        if (rec->channel) p.channel = py::conda_channel_name(*rec->channel);
      }
    }
    const std::string& n = rn->name;
    if (n == "pytorch" || n == "libtorch" || n == "torchvision" || n == "torchaudio" || n == "jaxlib" ||
        n == "tensorflow" || n == "tensorflow-base" || n == "cupy" || n == "cupy-core") {
      auto b = py::variant_from_conda_build(p.build.value_or(""));
      p.variant = b.variant;
      p.cuda = b.cuda;
    } else if (n == "pytorch-cuda" || n == "cudatoolkit" || n == "cuda-version" || n == "cuda-cudart" ||
               n == "cuda-runtime") {
      auto v = facts::Pep440Version::parse(p.version.value_or(""));
      if (v && v->release.size() >= 2) p.cuda = v->release_prefix(2);
    } else if (n == "cpuonly") {
      p.variant = "cpu";
    } else if (n == "pytorch-mutex") {
      if (p.build == "cpu") p.variant = "cpu";
    }
    out.packages.emplace(n, std::move(p));
  }
  return out;
}

void merge_conda(std::map<std::string, facts::Package>& packages, std::vector<facts::VisiblePackage>& dups,
                 const CondaScan& conda, const std::string& site_dir) {
  for (auto& [conda_name, cp] : conda.packages) {
    std::string key = conda_name == "pytorch" ? "torch" : conda_name;
    auto it = packages.find(key);
    if (it == packages.end()) {
      packages.emplace(key, cp);
      continue;
    }
    facts::Package& pip = it->second;
    if (pip.installer == "conda" || pip.source == "conda" || !pip.installer) {
      // The same install seen twice: conda's record says how it was built and where it came from.
      pip.source = "conda";
      pip.build = cp.build;
      pip.channel = cp.channel;
      if (cp.variant && (!pip.variant || *pip.variant == "unknown")) pip.variant = cp.variant;
      if (!pip.cuda) pip.cuda = cp.cuda;
    } else {
      // pip installed over conda's copy: both claim the same files.
      dups.push_back({key, "conda-meta", site_dir, false, cp});
    }
  }
}

}  // namespace gpuenv::probes
