#include "probes/framework_arch.hpp"

#include <algorithm>

#include "platform/fs.hpp"

namespace gpuenv::probes {

namespace {

constexpr const char* kProbe = "fatbin";

bool is_shared_object(std::string_view name) {
  return name.ends_with(".so") || name.find(".so.") != std::string_view::npos;
}

// Every shared object directly in `dir` (machine path), sorted by name.
std::vector<std::string> shared_objects_in(const ProbeContext& ctx, const std::string& dir) {
  std::vector<std::string> out;
  auto listing = ctx.fs.list(dir);
  for (auto& e : listing.entries) {
    if (e.kind != platform::FileKind::regular && e.kind != platform::FileKind::symlink) continue;
    if (is_shared_object(e.name)) out.push_back(platform::join(dir, e.name));
  }
  return out;
}

}  // namespace

std::optional<FrameworkArchs> read_libraries_arch_list(const ProbeContext& ctx,
                                                       const std::vector<std::string>& libraries) {
  platform::CacheStore cache(ctx.cache_dir);
  FrameworkArchs out;
  std::vector<std::vector<std::string>> lists;
  for (auto& path : libraries) {
    auto st = ctx.fs.stat(path);
    if (st.kind == platform::FileKind::missing) continue;
    if (!st.error.empty()) {
      ctx.warn(kProbe, path, {"warning.cannot_read", {{"reason", st.error}}});
      continue;
    }
    if (st.kind != platform::FileKind::regular) continue;
    auto host = ctx.fs.host_path(path);
    if (!host) continue;
    BinaryArchs a = read_binary_archs(*host, cache);
    if (a.error) {
      ctx.warn(kProbe, path, a.error->text(path));
      continue;
    }
    auto list = a.arch_list();
    if (list.empty()) continue;  // no device code in this one
    out.libraries.push_back(path);
    lists.push_back(std::move(list));
  }
  if (lists.empty()) return std::nullopt;
  out.arch_list = lists.front();
  for (std::size_t i = 1; i < lists.size(); ++i) {
    if (lists[i] == lists.front()) continue;
    std::erase_if(out.arch_list, [&](const std::string& t) {
      return std::find(lists[i].begin(), lists[i].end(), t) == lists[i].end();
    });
    ctx.warn(kProbe, out.libraries[i],
             {"warning.framework.other_targets", {{"first", out.libraries.front()}}});
  }
  return out;
}

std::optional<FrameworkArchs> read_torch_arch_list(const ProbeContext& ctx,
                                                   const std::string& torch_package_dir) {
  std::string lib = platform::join(torch_package_dir, "lib");
  return read_libraries_arch_list(
      ctx, {platform::join(lib, "libtorch_cuda.so"), platform::join(lib, "libtorch_cuda_cu.so"),
            platform::join(lib, "libtorch_cuda_cpp.so")});
}

std::optional<FrameworkArchs> read_torchvision_arch_list(const ProbeContext& ctx,
                                                         const std::string& torchvision_dir) {
  return read_libraries_arch_list(ctx, {platform::join(torchvision_dir, "_C.so")});
}

std::optional<FrameworkArchs> read_cupy_arch_list(const ProbeContext& ctx, const std::string& cupy_dir) {
  auto libs = shared_objects_in(ctx, platform::join(cupy_dir, "cuda"));
  auto core = shared_objects_in(ctx, platform::join(cupy_dir, "_core"));
  libs.insert(libs.end(), core.begin(), core.end());
  return read_libraries_arch_list(ctx, libs);
}

std::optional<FrameworkArchs> read_jax_plugin_arch_list(const ProbeContext& ctx,
                                                        const std::string& plugin_dir) {
  return read_libraries_arch_list(ctx, shared_objects_in(ctx, plugin_dir));
}

}  // namespace gpuenv::probes
