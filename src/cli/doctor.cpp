// `gpuenv doctor`: read the machine, diagnose, recommend (design.md §3); `--verify` also runs real work
// in the main environment (the explicit exception to "doctor starts no Python").
#include <algorithm>
#include <iostream>

#include "cli/common.hpp"
#include "i18n/catalog.hpp"
#include "install/verify.hpp"
#include "plan/env_planner.hpp"
#include "plan/output.hpp"
#include "platform/process.hpp"
#include "render/report.hpp"
#include "render/verify.hpp"
#include "rules/rules.hpp"

namespace gpuenv::cli {
namespace {

struct DoctorFlags {
  bool verify = false;
};

int run_doctor(CommonOptions& opts, const DoctorFlags& flags) {
  Session s(opts);
  render::Report r;
  r.machine = s.machine();
  r.kb = s.kb().meta;
  r.findings = rules::evaluate(r.machine, s.kb(), {today(), plan::env_planner(r.machine, s.kb(), today())});

  // --verify: the verdict's findings join the report; its run is shown after it.
  std::optional<install::VerifyResult> verified;
  if (flags.verify) {
    if (opts.root != "/") throw UsageError(i18n::tr("verify.error.root"));
    install::VerifyRequest req;
    req.envs = opts.envs;
    req.pythons = opts.pythons;
    platform::ProcessEnvironment env;
    auto choice = install::choose_interpreter(req, env);
    if (!choice.interpreter) {
      eprint(i18n::tr("cli.error.prefix") + i18n::tr("verify.error.no_interpreter") + "\n");
    } else {
      platform::RealCommandRunner runner;
      verified = install::run_verify(runner, *choice.interpreter, req, env, &r.machine);
      const auto& result = *verified;
      for (auto& f : result.verdict.findings)
        if (std::none_of(r.findings.begin(), r.findings.end(), [&](auto& x) { return x.id == f.id; }))
          r.findings.push_back(f);
      std::stable_sort(r.findings.begin(), r.findings.end(), [](auto& a, auto& b) {
        if (a.severity != b.severity)
          return rules::severity_rank(a.severity) < rules::severity_rank(b.severity);
        return rules::chain_rank(a.id) < rules::chain_rank(b.id);
      });
    }
  }

  render::order_for_user(r);
  r.status = rules::report_status(r.findings, !r.machine.gpus.empty());
  r.recommendation = plan::recommend_for_report(r.machine, s.kb(), today());
  switch (opts.output_format()) {
    case Format::json: {
      auto j = render::report_json(r, i18n::language());
      if (verified)
        j["verify"] = render::verify_json({verified->run, verified->verdict, false}, i18n::language());
      s.emit(json_text(j));
      break;
    }
    case Format::markdown:
      s.emit(render::report_markdown(r));
      break;
    case Format::text:
      s.emit(render::report_text(r, {opts.color(), opts.width(), opts.verbose}));
      if (verified)
        s.emit("\n" + render::verify_text({verified->run, verified->verdict, false},
                                          {opts.color(), opts.width(), opts.verbose}));
      break;
  }
  s.report_reads();
  int rc = rules::exit_code_for(r.findings);
  // A failed run matters where there is a GPU to run on; on a GPU-less machine the report says so.
  if (verified && !verified->verdict.ok && !r.machine.gpus.empty()) rc = 1;
  return rc;
}

const Command doctor("doctor", 10, "cli.cmd.doctor",
                     [](CLI::App& sub, CommonOptions& opts) -> Command::Action {
                       auto flags = std::make_shared<DoctorFlags>();
                       sub.add_flag("--verify", flags->verify, i18n::tr("cli.opt.doctor_verify"));
                       return [&opts, flags] { return run_doctor(opts, *flags); };
                     });

}  // namespace
}  // namespace gpuenv::cli
