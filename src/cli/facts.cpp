// `gpuenv facts`: the raw snapshot, what was found and where from.
#include "cli/common.hpp"
#include "facts/json.hpp"
#include "i18n/catalog.hpp"
#include "render/report.hpp"

namespace gpuenv::cli {
namespace {

int run_facts(CommonOptions& opts) {
  Session s(opts);
  const auto& m = s.machine();
  // The snapshot is data: JSON whatever the format (text output is `doctor`'s job).
  s.emit(json_text(render::facts_json(m)));
  s.report_reads();
  return 0;
}

const Command facts_cmd("facts", 20, "cli.cmd.facts", [](CLI::App&, CommonOptions& opts) -> Command::Action {
  return [&opts] { return run_facts(opts); };
});

}  // namespace
}  // namespace gpuenv::cli
