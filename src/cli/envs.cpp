// `gpuenv envs`: one line per Python environment (design.md §3).
#include "render/envs.hpp"

#include "cli/common.hpp"
#include "i18n/catalog.hpp"

namespace gpuenv::cli {
namespace {

int run_envs(CommonOptions& opts) {
  Session s(opts);
  const auto& m = s.machine();
  if (opts.output_format() == Format::json)
    s.emit(json_text(render::envs_json(m, i18n::language(), &s.kb())));
  else
    s.emit(render::envs_text(m, {opts.color(), opts.width(), opts.verbose, &s.kb()}));
  s.report_reads();
  return 0;
}

const Command envs_cmd("envs", 15, "cli.cmd.envs", [](CLI::App&, CommonOptions& opts) -> Command::Action {
  return [&opts] { return run_envs(opts); };
});

}  // namespace
}  // namespace gpuenv::cli
