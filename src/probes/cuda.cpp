#include "probes/cuda.hpp"

#include <algorithm>

#include "facts/dotted.hpp"
#include "probes/parse.hpp"

namespace gpuenv::probes {

namespace {

struct Candidate {
  std::string path;
  std::string found_by;
};

// The toolkit's version from its files, best source first. Never runs nvcc (doctor starts no programs).
void read_version(const ProbeContext& ctx, facts::CudaToolkit& t) {
  // A version file that is there but cannot be read (no permission, a FIFO) is named in a warning.
  auto read = [&ctx](const std::string& path, std::size_t cap) {
    auto r = ctx.fs.read(path, cap);
    if (r.status == platform::ReadResult::Status::failed)
      ctx.warn("cuda", path, {"warning.cannot_read", {{"reason", r.error}}});
    return r;
  };
  if (auto r = read(t.path + "/version.json", 1u << 20); r.ok()) {
    if (auto v = parse_cuda_version_json(r.data)) {
      t.version = v;
      t.source = "version.json";
      return;
    }
    ctx.warn("cuda", t.path + "/version.json", {"warning.cuda.no_version", {}});
  }
  if (auto r = read(t.path + "/version.txt", 4096); r.ok()) {
    if (auto v = parse_cuda_version_txt(r.data)) {
      t.version = v;
      t.source = "version.txt";
      return;
    }
  }
  // Toolkits assembled from NVIDIA's wheels keep their dist-info directories (this machine's 13.0 does).
  auto dist = ctx.fs.list(t.path + "/dist-info");
  for (const char* pkg : {"nvidia_cuda_nvcc", "nvidia_cuda_runtime", "nvidia_cuda_cudart"}) {
    for (auto& e : dist.entries) {
      auto parsed = parse_dist_info_name(e.name);
      if (parsed && parsed->first == pkg) {
        t.version = parsed->second;
        t.source = "dist-info (" + e.name + ")";
        return;
      }
    }
  }
  if (auto r = read(t.path + "/include/cuda.h", 2u << 20); r.ok()) {
    if (auto v = parse_cuda_h(r.data)) {
      t.version = v;
      t.source = "cuda.h";
      return;
    }
  }
  t.source = "none";
}

bool looks_like_toolkit(const ProbeContext& ctx, const std::string& path) {
  // bin/nvcc alone is not enough: /usr/local/bin/nvcc is often a wrapper script.
  for (const char* marker : {"/version.json", "/version.txt", "/include/cuda.h", "/dist-info", "/nvvm"})
    if (ctx.fs.stat(path + marker).kind != platform::FileKind::missing) return true;
  return false;
}

}  // namespace

std::vector<facts::CudaToolkit> probe_cuda_toolkits(const ProbeContext& ctx) {
  std::vector<Candidate> cands;
  for (auto& e : ctx.fs.list("/usr/local").entries)
    if (e.name == "cuda" || e.name.starts_with("cuda-"))
      cands.push_back({"/usr/local/" + e.name, "/usr/local/cuda*"});
  for (const char* var : {"CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"}) {
    if (auto v = ctx.env.get(var); v && v->starts_with('/'))
      cands.push_back({platform::normalize(*v), std::string("$") + var});
  }
  if (auto path = ctx.env.get("PATH")) {
    std::size_t i = 0;
    while (i <= path->size()) {
      auto j = path->find(':', i);
      if (j == std::string::npos) j = path->size();
      std::string dir = path->substr(i, j - i);
      // The toolkit is where nvcc really lives: /usr/local/bin/nvcc is often a link into one.
      if (dir.starts_with('/') && ctx.fs.stat(dir + "/nvcc").kind == platform::FileKind::regular) {
        if (auto real = ctx.fs.real_path(dir + "/nvcc"))
          cands.push_back({platform::dirname(platform::dirname(*real)), "nvcc on PATH"});
      }
      i = j + 1;
    }
  }
  for (auto& e : ctx.fs.list("/opt/nvidia").entries)
    cands.push_back({"/opt/nvidia/" + e.name, "/opt/nvidia/*"});

  std::vector<facts::CudaToolkit> out;
  std::vector<std::string> reals;
  for (auto& c : cands) {
    auto real = ctx.fs.real_path(c.path);
    if (!real || ctx.fs.stat(c.path).kind != platform::FileKind::directory) continue;
    auto it = std::find(reals.begin(), reals.end(), *real);
    if (it != reals.end()) {
      auto& t = out[static_cast<std::size_t>(it - reals.begin())];
      if (std::find(t.found_by.begin(), t.found_by.end(), c.found_by) == t.found_by.end())
        t.found_by.push_back(c.found_by);
      // Prefer the versioned directory's own name over a symlink to it (/usr/local/cuda → cuda-12.1).
      if (t.path != *real && c.path == *real) t.path = c.path;
      continue;
    }
    if (!looks_like_toolkit(ctx, c.path)) continue;
    facts::CudaToolkit t;
    t.path = c.path;
    if (*real != c.path) t.real_path = *real;
    t.found_by.push_back(c.found_by);
    reals.push_back(*real);
    out.push_back(std::move(t));
  }
  for (auto& t : out) {
    read_version(ctx, t);
    if (t.real_path && *t.real_path == t.path) t.real_path.reset();
  }
  // Newest first; toolkits whose version could not be read last.
  std::stable_sort(out.begin(), out.end(), [](const facts::CudaToolkit& a, const facts::CudaToolkit& b) {
    if (a.version.has_value() != b.version.has_value()) return a.version.has_value();
    return a.version && facts::compare_dotted(*a.version, *b.version) > 0;
  });
  return out;
}

}  // namespace gpuenv::probes
