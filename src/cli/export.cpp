// `gpuenv export nfd|slurm|ansible`: this machine's gpuenv facts as labels for cluster engines
// (issue 12): a Node Feature Discovery feature file, Slurm node features, an Ansible local fact.
#include <chrono>
#include <iostream>

#include "cli/common.hpp"
#include "fleet/fleet.hpp"
#include "fleet/inputs.hpp"
#include "fleet/labels.hpp"
#include "fleet/report.hpp"
#include "i18n/catalog.hpp"
#include "plan/env_planner.hpp"
#include "plan/output.hpp"
#include "platform/atomic_write.hpp"
#include "platform/self.hpp"
#include "render/report.hpp"
#include "rules/rules.hpp"

namespace gpuenv::cli {
namespace {

using i18n::tr;

struct ExportOptions {
  std::string target;
  std::string output;
  std::string prefix = std::string(fleet::kDefaultLabelPrefix);
  std::string expires_in;
  std::vector<std::string> reports;  ///< saved reports to use instead of reading this machine
};

/// The nodes of saved reports (--report FILE|DIR), named as `gpuenv fleet` names them.
std::vector<fleet::NodeRow> saved_nodes(const ExportOptions& eo, Session& s) {
  std::vector<std::string> abs;
  for (auto& r : eo.reports) abs.push_back(platform::absolute_path(r));
  auto part = fleet::read_inputs(s.fs(), abs, eo.reports);
  std::vector<fleet::NodeRow> rows;
  std::vector<fleet::InputProblem> skipped = part.problems;
  fleet::add_documents(part.docs, s.kb(), rows, skipped);
  for (auto& p : skipped) eprint(tr("cli.error.prefix") + p.source + ": " + p.reason.localized() + "\n");
  return rows;
}

/// The node as `doctor --json` would report it, summarised.
fleet::NodeReport this_node(Session& s) {
  render::Report r;
  r.machine = s.machine();
  r.kb = s.kb().meta;
  r.findings = rules::evaluate(r.machine, s.kb(), {today(), plan::env_planner(r.machine, s.kb(), today())});
  r.status = rules::report_status(r.findings, !r.machine.gpus.empty());
  r.recommendation = plan::recommend_for_report(r.machine, s.kb(), today());
  auto parsed = fleet::read_report(render::report_json(r, i18n::Lang::en), s.kb());
  if (!parsed.report) throw std::runtime_error(parsed.error->reason.en());
  return *parsed.report;
}

/// Writes `text` to --output (atomically) or prints it (redacted with --redact); returns the exit code.
int emit(Session& s, const ExportOptions& eo, const std::string& text, const std::string& default_path) {
  std::string path = eo.output.empty() ? default_path : eo.output;
  if (path.empty() || path == "-") {
    s.emit(text);
    return 0;
  }
  if (auto e = platform::write_file_atomic(platform::absolute_path(path), text, {0644, true})) {
    eprint(tr("cli.error.prefix") + tr("export.error.write", {{"reason", *e}}) + "\n");
    return 1;
  }
  eprint(tr("export.wrote", {{"path", path}}) + "\n");
  return 0;
}

int run_export(const ExportOptions& eo, CommonOptions& opts) {
  if (fleet::check_label({eo.prefix + "/status", "ok"}))
    throw UsageError(tr("export.error.prefix", {{"prefix", eo.prefix}}));
  std::optional<std::int64_t> expires;
  if (!eo.expires_in.empty()) {
    expires = fleet::parse_duration(eo.expires_in);
    if (!expires) throw UsageError(tr("export.error.duration", {{"value", eo.expires_in}}));
  }
  Session s(opts);
  std::vector<fleet::NodeRow> saved;
  if (!eo.reports.empty()) {
    saved = saved_nodes(eo, s);
    if (saved.empty()) return 1;
    if (saved.size() > 1 && eo.target != "slurm")
      throw UsageError(tr("export.error.report_count", {{"n", std::to_string(saved.size())}}));
  }
  if (eo.target == "slurm" && saved.size() > 1) {
    // slurm.conf lines for every node of the saved reports.
    std::string text;
    for (auto& row : saved) {
      std::string joined;
      for (auto& f : fleet::slurm_features(*row.report)) joined += (joined.empty() ? "" : ",") + f;
      text += joined.empty() ? "# NodeName=" + row.name + ": " + tr("export.slurm.none") + "\n"
                             : "NodeName=" + row.name + " Features=" + joined + "\n";
    }
    return emit(s, eo, text, "");
  }
  auto node = saved.empty() ? this_node(s) : *saved.front().report;
  if (!saved.empty()) node.host = saved.front().name;
  s.report_reads();
  if (eo.target == "nfd") {
    auto labels = fleet::nfd_labels(node, eo.prefix);
    for (auto& l : labels)
      if (auto e = fleet::check_label(l))
        throw std::runtime_error(tr("cli.export.bad_label", {{"reason", *e}}));
    std::optional<std::string> expiry;
    if (expires) {
      auto now = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
      expiry = fleet::rfc3339_utc(now + *expires);
    }
    std::string header = "gpuenv " + std::string(render::tool_version()) + " (kb " + s.kb().meta.version +
                         "): node labels for Kubernetes Node Feature Discovery.\n" +
                         "Written by `gpuenv export nfd` and replaced on each run; do not edit.";
    std::string file = fleet::nfd_file(labels, expiry, header);
    if (file.size() > fleet::kNfdMaxFileBytes) throw std::runtime_error(tr("cli.export.too_big"));
    return emit(s, eo, file, fleet::kNfdDefaultPath);
  }
  if (eo.target == "slurm") {
    auto features = fleet::slurm_features(node);
    if (opts.output_format() == Format::json) {
      nlohmann::ordered_json j{{"schema_version", 1},
                               {"node", node.host ? nlohmann::ordered_json(*node.host) : nullptr},
                               {"features", features}};
      return emit(s, eo, j.dump(2) + "\n", "");
    }
    std::string joined;
    for (auto& f : features) joined += (joined.empty() ? "" : ",") + f;
    if (features.empty())
      return emit(s, eo,
                  "# " + (node.host ? "NodeName=" + *node.host + ": " : std::string()) +
                      tr("export.slurm.none") + "\n",
                  "");
    std::string line =
        (node.host ? "NodeName=" + *node.host + " " : std::string()) + "Features=" + joined + "\n";
    return emit(s, eo, line, "");
  }
  // ansible
  return emit(s, eo, fleet::ansible_facts(node, render::tool_version()).dump(2) + "\n", "");
}

const Command export_cmd(
    "export", 85, "export.cli.cmd", [](CLI::App& sub, CommonOptions& opts) -> Command::Action {
      auto eo = std::make_shared<ExportOptions>();
      sub.add_option("target", eo->target, tr("export.cli.opt.target"))
          ->required()
          ->check(CLI::IsMember({"nfd", "slurm", "ansible"}))
          ->type_name("nfd|slurm|ansible");
      sub.add_option("-o,--output", eo->output, tr("export.cli.opt.output"))->type_name("PATH");
      sub.add_option("--prefix", eo->prefix, tr("export.cli.opt.prefix"))->type_name("DOMAIN");
      sub.add_option("--report", eo->reports, tr("export.cli.opt.report"))
          ->type_name("FILE|DIR")
          ->allow_extra_args(false);
      sub.add_option("--expires-in", eo->expires_in, tr("export.cli.opt.expires_in"))->type_name("DURATION");
      return [eo, &opts] { return run_export(*eo, opts); };
    });

}  // namespace
}  // namespace gpuenv::cli
