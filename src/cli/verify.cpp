// `gpuenv verify`: run real work inside an environment, check it, explain any failure (issue 7).
#include "install/verify.hpp"

#include <unistd.h>

#include <cmath>
#include <iostream>

#include "cli/common.hpp"
#include "i18n/catalog.hpp"
#include "platform/env.hpp"
#include "platform/process.hpp"
#include "render/verify.hpp"

namespace gpuenv::cli {
namespace {

using i18n::tr;

struct VerifyFlags {
  bool quick = false;
  bool cpu_ok = false;
  double timeout = 300;
};

int run_verify(CommonOptions& opts, const VerifyFlags& flags) {
  if (opts.root != "/") throw UsageError(tr("verify.error.root"));
  if (!(flags.timeout > 0) || !std::isfinite(flags.timeout)) throw UsageError(tr("verify.error.timeout"));
  auto format = opts.output_format();

  install::VerifyRequest req;
  req.envs = opts.envs;
  req.pythons = opts.pythons;
  req.quick = flags.quick;
  req.cpu_ok = flags.cpu_ok;
  req.timeout = std::chrono::seconds(static_cast<long long>(std::ceil(flags.timeout)));

  platform::ProcessEnvironment env;
  auto choice = install::choose_interpreter(req, env);
  if (!choice.interpreter) {
    if (choice.requested)
      throw UsageError(!req.pythons.empty()
                           ? tr("verify.error.python_not_found", {{"path", req.pythons.front()}})
                           : tr("verify.error.env_no_python", {{"path", req.envs.front()}}));
    eprint(tr("cli.error.prefix") + tr("verify.error.no_interpreter") + "\n");
    return 1;
  }

  Session session(opts);
  const facts::Machine& machine = session.machine();

  bool progress = format != Format::json && ::isatty(2) == 1;
  if (progress)
    req.on_step = [](std::string_view step) {
      eprint("\r\x1b[K", tr("verify.text.progress", {{"step", std::string(step)}}));
    };
  if (opts.verbose) {
    auto cmd = install::probe_command(*choice.interpreter, req);
    cmd.argv[3] = "<probe.py>";  // the embedded script itself is long; show where it goes
    eprint(tr("cli.verify.command", {{"command", platform::quote_argv(cmd.argv)}}) + "\n");
  }

  platform::RealCommandRunner runner;
  auto result = install::run_verify(runner, *choice.interpreter, req, env, &machine);
  if (progress) eprint("\r\x1b[K", "");

  render::VerifyOutput out{result.run, result.verdict, req.cpu_ok};
  if (format == Format::json)
    print(render::verify_json(out, i18n::language())
              .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
          "\n");
  else
    print(render::verify_text(out, {opts.color(), opts.width(), opts.verbose}));
  session.report_reads();
  return result.exit_code();
}

const Command verify_cmd("verify", 60, "verify.cli.description", [](CLI::App& sub, CommonOptions& opts) {
  auto flags = std::make_shared<VerifyFlags>();
  sub.add_flag("--quick", flags->quick, tr("verify.opt.quick"));
  sub.add_flag("--cpu-ok", flags->cpu_ok, tr("verify.opt.cpu_ok"));
  sub.add_option("--timeout", flags->timeout, tr("verify.opt.timeout"))->type_name("SECONDS");
  return Command::Action([&opts, flags] { return run_verify(opts, *flags); });
});

}  // namespace
}  // namespace gpuenv::cli
