#include "probes/cudnn.hpp"

#include <algorithm>

#include "probes/loader.hpp"
#include "probes/parse.hpp"

namespace gpuenv::probes {

std::vector<facts::Cudnn> probe_cudnn(const ProbeContext& ctx,
                                      const std::vector<facts::CudaToolkit>& toolkits) {
  std::vector<facts::Cudnn> out;
  std::vector<std::string> seen;  // real paths of what was reported
  auto add = [&](const std::string& path, std::optional<std::string> version, const char* source) {
    auto real = ctx.fs.real_path(path).value_or(path);
    if (std::find(seen.begin(), seen.end(), real) != seen.end()) return;
    seen.push_back(real);
    out.push_back({path, std::move(version), source});
  };

  // Headers: the system include dirs (Debian/Ubuntu put versioned copies under the multiarch dir)
  // and each toolkit's include dir (tarballs copied into the toolkit).
  std::vector<std::string> include_dirs = {"/usr/include", "/usr/include/x86_64-linux-gnu",
                                           "/usr/include/aarch64-linux-gnu", "/usr/local/include"};
  for (auto& t : toolkits) include_dirs.push_back(t.path + "/include");
  std::vector<std::string> header_versions;
  for (auto& dir : include_dirs) {
    auto entries = ctx.fs.list(dir).entries;
    for (auto& e : entries) {
      bool v8plus =
          e.name == "cudnn_version.h" || (e.name.starts_with("cudnn_version_v") && e.name.ends_with(".h"));
      bool v7 = e.name == "cudnn.h" && std::none_of(entries.begin(), entries.end(),
                                                    [](auto& x) { return x.name == "cudnn_version.h"; });
      if (!v8plus && !v7) continue;
      std::string p = dir + "/" + e.name;
      auto r = ctx.fs.read(p, 1u << 20);
      if (!r.ok()) {
        if (r.status == platform::ReadResult::Status::failed)
          ctx.warn("cudnn", p, {"warning.cannot_read", {{"reason", r.error}}});
        continue;
      }
      auto v = parse_cudnn_header(r.data);
      if (!v) continue;  // cudnn.h of v8+ has no version macros: not an error
      // cudnn_version.h beside cudnn_version_v9.h (the same copy, two names): report it once.
      bool twin = std::any_of(out.begin(), out.end(), [&](const facts::Cudnn& c) {
        return c.version == v && platform::dirname(c.path) == dir;
      });
      header_versions.push_back(*v);
      if (twin) continue;
      add(p, v, "header");
    }
  }

  // Libraries with a full version in the name (libcudnn.so.8.9.7) whose version no header reported.
  std::vector<std::string> lib_dirs = loader_dirs(ctx);
  for (auto& t : toolkits) {
    lib_dirs.push_back(t.path + "/lib64");
    lib_dirs.push_back(t.path + "/lib");
  }
  for (auto& dir : lib_dirs) {
    for (auto& name : files_with_prefix(ctx, dir, "libcudnn.so.")) {
      auto v = library_version(name, "libcudnn.so");
      if (!v || std::count(v->begin(), v->end(), '.') < 2) continue;
      if (std::find(header_versions.begin(), header_versions.end(), *v) != header_versions.end()) continue;
      add(dir + "/" + name, v, "library");
    }
  }
  return out;
}

}  // namespace gpuenv::probes
