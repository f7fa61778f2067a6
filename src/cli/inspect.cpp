// `gpuenv inspect FILE... [--json] [--cc X.Y]`: the GPU architectures compiled into binaries, and
// which GPUs (this machine's, or --cc) can run them (issue 6).
#include "render/inspect.hpp"

#include "cli/common.hpp"
#include "i18n/catalog.hpp"
#include "kb/arch.hpp"
#include "platform/cache_store.hpp"
#include "probes/binary_arch.hpp"

namespace gpuenv::cli {
namespace {

struct InspectOptions {
  std::vector<std::string> files;
  std::vector<std::string> ccs;
};

std::vector<render::InspectGpu> gpus_to_check(Session& s, const InspectOptions& o) {
  std::vector<render::InspectGpu> out;
  if (!o.ccs.empty()) {
    for (auto& cc : o.ccs) {
      if (!kb::parse_compute_capability(cc)) throw UsageError(i18n::tr("inspect.error.cc", {{"cc", cc}}));
      out.push_back({std::nullopt, std::nullopt, cc, "--cc"});
    }
    return out;
  }
  for (auto& g : s.machine().gpus) {
    if (g.vendor && *g.vendor != "nvidia") continue;
    out.push_back({g.index, g.name, g.compute_capability, "machine"});
  }
  return out;
}

render::InspectFile inspect_file(const std::string& path, const platform::CacheStore& cache,
                                 const std::vector<render::InspectGpu>& gpus) {
  probes::BinaryArchs a = probes::read_binary_archs(path, cache);
  render::InspectFile f;
  f.path = path;
  f.from_cache = a.from_cache;
  f.sections = a.sections;
  f.containers = a.containers;
  f.entries = a.entries;
  for (auto& t : a.targets) f.targets.push_back({t.target, t.kind, t.section, t.count, t.compressed});
  f.arch_list = a.arch_list();
  if (a.error) {
    f.error_code = a.error->code_name();
    f.error = a.error->text(path);
    return f;
  }
  if (f.arch_list.empty()) return f;
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    render::InspectCoverage c;
    c.gpu = i;
    if (gpus[i].compute_capability) {
      const std::string& cc = *gpus[i].compute_capability;
      c.coverage = kb::check_coverage(f.arch_list, cc);
      for (auto& m : a.modules) {
        c.modules_total += m.count;
        if (kb::check_coverage(m.targets, cc).ok) c.modules_covered += m.count;
      }
    }
    f.coverage.push_back(std::move(c));
  }
  return f;
}

int run_inspect(CommonOptions& opts, const InspectOptions& o) {
  Session s(opts);
  render::InspectReport r;
  r.gpus = gpus_to_check(s, o);
  platform::CacheStore cache(s.cache_dir());
  for (auto& path : o.files) r.files.push_back(inspect_file(path, cache, r.gpus));
  if (opts.output_format() == Format::json)
    print(render::inspect_json(r, i18n::language()).dump(2) + "\n");
  else
    print(render::inspect_text(r, {opts.color(), opts.width(), opts.verbose}));
  s.report_reads();
  return render::inspect_exit_code(r);
}

const Command inspect(
    "inspect", 70, "cli.cmd.inspect", [](CLI::App& sub, CommonOptions& opts) -> Command::Action {
      auto o = std::make_shared<InspectOptions>();
      sub.add_option("files", o->files, i18n::tr("inspect.opt.files"))->required()->type_name("FILE");
      sub.add_option("--cc", o->ccs, i18n::tr("inspect.opt.cc"))->type_name("X.Y")->allow_extra_args(false);
      return [&opts, o] { return run_inspect(opts, *o); };
    });

}  // namespace
}  // namespace gpuenv::cli
