// `gpuenv doctor`: read the machine, diagnose, recommend (design.md §3).
#include "cli/common.hpp"
#include "i18n/catalog.hpp"
#include "plan/output.hpp"
#include "render/report.hpp"
#include "rules/rules.hpp"

namespace gpuenv::cli {
namespace {

int run_doctor(CommonOptions& opts) {
  Session s(opts);
  render::Report r;
  r.machine = s.machine();
  r.kb = s.kb().meta;
  r.findings = rules::evaluate(r.machine, s.kb(), {today()});
  r.status = rules::report_status(r.findings, !r.machine.gpus.empty());
  r.recommendation = plan::recommend_for_report(r.machine, s.kb(), today());
  switch (opts.output_format()) {
    case Format::json:
      s.emit(json_text(render::report_json(r, i18n::language())));
      break;
    case Format::markdown:
      s.emit(render::report_markdown(r));
      break;
    case Format::text:
      s.emit(render::report_text(r, {opts.color(), 100, opts.verbose}));
      break;
  }
  s.report_reads();
  return rules::exit_code_for(r.findings);
}

const Command doctor("doctor", 10, "cli.cmd.doctor", [](CLI::App&, CommonOptions& opts) -> Command::Action {
  return [&opts] { return run_doctor(opts); };
});

}  // namespace
}  // namespace gpuenv::cli
