#include "probes/jupyter.hpp"

#include "probes/python_parse.hpp"

namespace gpuenv::probes {

std::vector<KernelFound> read_kernelspecs(const ProbeContext& ctx, const std::string& kernels_dir,
                                          const std::optional<std::string>& owner_env) {
  std::vector<KernelFound> out;
  for (auto& e : ctx.fs.list(kernels_dir).entries) {
    if (e.kind != platform::FileKind::directory && e.kind != platform::FileKind::symlink) continue;
    std::string path = platform::join(kernels_dir, e.name + "/kernel.json");
    auto r = ctx.fs.read(path, 64u << 10);
    if (r.status == platform::ReadResult::Status::failed) {
      ctx.warn("jupyter", path, "cannot read: " + r.error);
      continue;
    }
    if (!r.ok()) continue;
    auto spec = py::parse_kernel_json(r.data);
    if (!spec) {
      ctx.warn("jupyter", path, "not a kernelspec (expected a JSON object with an \"argv\" list of strings)");
      continue;
    }
    KernelFound k;
    k.kernel.path = path;
    k.kernel.display_name = spec->display_name;
    k.kernel.argv0 = spec->interpreter();
    k.owner_env = owner_env;
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace gpuenv::probes
