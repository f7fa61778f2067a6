#include "probes/jupyter.hpp"

#include <nlohmann/json.hpp>

namespace gpuenv::probes {

namespace py {

Opt KernelSpec::interpreter() const {
  auto is_python_path = [](const std::string& a) {
    auto slash = a.rfind('/');
    return a.starts_with('/') && std::string_view(a).substr(slash + 1).starts_with("python");
  };
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "-m" && i + 1 < argv.size() && argv[i + 1].starts_with("ipykernel")) {
      for (std::size_t j = i; j-- > 0;)
        if (is_python_path(argv[j])) return argv[j];
      break;
    }
  }
  if (argv.empty() || argv[0].empty()) return std::nullopt;
  return argv[0];
}

std::optional<KernelSpec> parse_kernel_json(std::string_view text) {
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  KernelSpec k;
  auto argv = j.find("argv");
  if (argv == j.end() || !argv->is_array()) return std::nullopt;
  for (auto& a : *argv) {
    if (!a.is_string()) return std::nullopt;
    k.argv.push_back(a.get<std::string>());
  }
  if (auto d = j.find("display_name"); d != j.end() && d->is_string()) k.display_name = d->get<std::string>();
  if (auto l = j.find("language"); l != j.end() && l->is_string()) k.language = l->get<std::string>();
  return k;
}

}  // namespace py

std::vector<KernelFound> read_kernelspecs(const ProbeContext& ctx, const std::string& kernels_dir,
                                          const std::optional<std::string>& owner_env) {
  std::vector<KernelFound> out;
  for (auto& e : ctx.fs.list(kernels_dir).entries) {
    if (e.kind != platform::FileKind::directory && e.kind != platform::FileKind::symlink) continue;
    std::string path = platform::join(kernels_dir, e.name + "/kernel.json");
    auto r = ctx.fs.read(path, 64u << 10);
    if (r.status == platform::ReadResult::Status::failed) {
      ctx.warn("jupyter", path, {"warning.cannot_read", {{"reason", r.error}}});
      continue;
    }
    if (!r.ok()) continue;
    auto spec = py::parse_kernel_json(r.data);
    if (!spec) {
      ctx.warn("jupyter", path, {"warning.jupyter.not_kernelspec", {}});
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
