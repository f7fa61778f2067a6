// `gpuenv fleet`: many machines' reports in one table (issue 12). Reports come from files,
// directories, stdin (`-`), or a survey run through Slurm (`--slurm`). `--slurm-task` is the
// hidden mode srun starts on each node (fleet/frame.hpp).
#include "fleet/fleet.hpp"

#include <cstdio>
#include <iostream>

#include "cli/common.hpp"
#include "fleet/frame.hpp"
#include "fleet/inputs.hpp"
#include "fleet/redact.hpp"
#include "fleet/render.hpp"
#include "fleet/survey.hpp"
#include "i18n/catalog.hpp"
#include "plan/plan.hpp"
#include "platform/atomic_write.hpp"
#include "platform/process.hpp"
#include "platform/self.hpp"
#include "render/report.hpp"

namespace gpuenv::cli {
namespace {

using i18n::tr;

struct FleetOptions {
  std::vector<std::string> args;  ///< REPORT paths, or with --slurm the srun arguments after `--`
  bool slurm = false;
  bool slurm_task = false;
  std::string partition;
  int nodes = 0;
  int timeout = 120;
  std::string remote_gpuenv;
  std::string save_dir;
  std::string torch;    ///< --torch SPEC
  std::string variant;  ///< --variant cuXYZ
};

std::string env_or(const platform::Environment& env, const char* name, const std::string& def) {
  auto v = env.get(name);
  return v && !v->empty() ? *v : def;
}

/// On a node, under srun: run `gpuenv doctor --json` and print its output as frames.
int run_task(const FleetOptions& fo, Session& s) {
  std::string node = env_or(s.env(), "SLURMD_NODENAME", platform::host_name().value_or("unknown"));
  fleet::TaskRun run;
  auto self = platform::self_executable();
  if (!self) {
    run.err = tr("cli.fleet.no_self");
  } else {
    platform::Command c;
    c.argv = {*self, "doctor", "--json"};
    c.timeout = std::chrono::seconds(std::max(1, fo.timeout));
    platform::RealCommandRunner runner;
    auto r = runner.run(c);
    run.out = r.out;
    run.err = r.err;
    if (r.status == platform::CommandResult::Status::exited)
      run.exit_code = r.exit_code;
    else
      run.err += (r.status == platform::CommandResult::Status::timed_out
                      ? tr("cli.fleet.timed_out", {{"seconds", std::to_string(fo.timeout)}})
                      : r.error);
  }
  print(fleet::encode_task_output(node, run));
  return 0;  // the answer is in the frames; a non-zero exit would make srun abort the other nodes
}

std::string read_stdin() {
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) text.append(buf, n);
  return text;
}

void save_reports(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& reports) {
  for (auto& [node, text] : reports) {
    std::string path = platform::absolute_path(dir) + "/" + node + ".json";
    if (auto e = platform::write_file_atomic(path, text, {0644, true}))
      eprint(tr("cli.error.prefix") + tr("fleet.error.save", {{"reason", *e}}) + "\n");
  }
}

int run_fleet(FleetOptions& fo, CommonOptions& opts) {
  Session s(opts);
  if (fo.slurm_task) return run_task(fo, s);
  std::optional<fleet::TorchQuery> query;
  if (!fo.torch.empty() || !fo.variant.empty()) {
    if (!fo.torch.empty() && !plan::valid_torch_spec(fo.torch))
      throw UsageError(tr("fleet.error.torch_spec", {{"spec", fo.torch}}));
    if (!fo.variant.empty() && !fleet::variant_cuda(fo.variant))
      throw UsageError(tr("fleet.error.variant", {{"variant", fo.variant}}));
    query = fleet::TorchQuery{fo.torch, fo.variant.empty() ? std::nullopt : std::optional(fo.variant)};
  }
  const auto& kb = s.kb();
  std::vector<fleet::NodeRow> rows;
  std::vector<fleet::InputProblem> skipped;
  if (fo.slurm) {
    if (!fo.args.empty() && (fo.args.front().empty() || fo.args.front()[0] != '-'))
      throw UsageError(tr("fleet.error.slurm_with_reports", {{"arg", fo.args.front()}}));
    std::string path = env_or(s.env(), "PATH", "/usr/bin:/bin");
    auto srun = platform::find_program("srun", path);
    auto sinfo = platform::find_program("sinfo", path);
    if (!srun || !sinfo) {
      eprint(tr("cli.error.prefix") + tr("fleet.slurm.no_srun", {{"program", srun ? "sinfo" : "srun"}}) +
             "\n" + tr("fleet.slurm.no_srun_hint") + "\n");
      return 2;
    }
    fleet::SurveyOptions so;
    so.srun = *srun;
    so.sinfo = *sinfo;
    if (!fo.partition.empty()) so.partition = fo.partition;
    if (fo.nodes > 0) so.max_nodes = fo.nodes;
    so.extra = fo.args;
    so.gpuenv = !fo.remote_gpuenv.empty() ? fo.remote_gpuenv : platform::self_executable().value_or("gpuenv");
    so.timeout = std::chrono::seconds(std::max(1, fo.timeout));
    platform::RealCommandRunner runner;
    auto outcome = fleet::survey_slurm(runner, so, kb);
    if (opts.verbose)
      for (auto& c : outcome.commands) eprint("+ " + platform::quote_argv(c) + "\n");
    if (outcome.fatal) {
      eprint(tr("cli.error.prefix") + outcome.fatal->localized() + "\n");
      return 1;
    }
    if (!fo.save_dir.empty()) save_reports(fo.save_dir, outcome.reports);
    rows = std::move(outcome.rows);
  } else {
    if (fo.args.empty()) throw UsageError(tr("fleet.error.no_reports"));
    const auto& fs = s.fs();
    for (auto& a : fo.args) {
      fleet::SplitResult part;
      if (a == "-") {
        part = fleet::split_stream(read_stdin(), "stdin", "stdin");
      } else {
        part = fleet::read_inputs(fs, {platform::absolute_path(a)}, {a});
      }
      fleet::add_documents(part.docs, kb, rows, skipped);
      for (auto& p : part.problems) skipped.push_back(std::move(p));
    }
  }
  std::optional<fleet::FleetRedaction> redaction;
  if (opts.redact) {
    std::vector<std::string> users;
    for (const char* var : {"USER", "LOGNAME", "SUDO_USER"})
      if (auto v = s.env().get(var); v && !v->empty()) users.push_back(*v);
    redaction = fleet::redact_rows(rows, skipped, users);
  }
  auto f = fleet::aggregate(std::move(rows), std::move(skipped));
  if (query) fleet::answer_query(f, kb, *query);
  std::string text;
  switch (opts.output_format()) {
    case Format::json:
      text = fleet::fleet_json(f, i18n::language(), render::tool_version()).dump(2) + "\n";
      break;
    case Format::markdown:
      text = fleet::fleet_markdown(f, i18n::language());
      break;
    case Format::text:
      text = fleet::fleet_text(f, i18n::language(), opts.color());
      break;
  }
  print(redaction ? redaction->apply(text) : text);
  return fleet::exit_code(f);
}

const Command fleet_cmd(
    "fleet", 80, "fleet.cli.cmd", [](CLI::App& sub, CommonOptions& opts) -> Command::Action {
      auto fo = std::make_shared<FleetOptions>();
      sub.add_option("reports", fo->args, tr("fleet.cli.opt.reports"))->type_name("REPORT");
      sub.add_flag("--slurm", fo->slurm, tr("fleet.cli.opt.slurm"));
      sub.add_option("--partition", fo->partition, tr("fleet.cli.opt.partition"))->type_name("P");
      sub.add_option("--nodes", fo->nodes, tr("fleet.cli.opt.nodes"))
          ->type_name("N")
          ->check(CLI::PositiveNumber);
      sub.add_option("--timeout", fo->timeout, tr("fleet.cli.opt.timeout"))
          ->type_name("SEC")
          ->check(CLI::PositiveNumber);
      sub.add_option("--gpuenv", fo->remote_gpuenv, tr("fleet.cli.opt.gpuenv"))->type_name("PATH");
      sub.add_option("--save", fo->save_dir, tr("fleet.cli.opt.save"))->type_name("DIR");
      sub.add_option("--torch", fo->torch, tr("fleet.cli.opt.torch"))->type_name("SPEC");
      sub.add_option("--variant", fo->variant, tr("fleet.cli.opt.variant"))->type_name("cuXYZ");
      sub.add_flag("--slurm-task", fo->slurm_task)->group("");
      return [fo, &opts] { return run_fleet(*fo, opts); };
    });

}  // namespace
}  // namespace gpuenv::cli
