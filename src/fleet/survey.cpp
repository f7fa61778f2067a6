#include "fleet/survey.hpp"

#include <algorithm>
#include <map>

#include "fleet/frame.hpp"
#include "fleet/hostlist.hpp"
#include "fleet/slurm.hpp"

namespace gpuenv::fleet {

namespace {

constexpr int kMaxPasses = 3;

std::string last_line(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  auto nl = s.rfind('\n');
  std::string line(nl == std::string_view::npos ? s : s.substr(nl + 1));
  if (line.size() > 300) line = line.substr(0, 300) + "…";
  return line;
}

std::string status_words(const platform::CommandResult& r) {
  switch (r.status) {
    case platform::CommandResult::Status::exited:
      return "exit " + std::to_string(r.exit_code);
    case platform::CommandResult::Status::signaled:
      return "signal " + std::to_string(r.signal);
    case platform::CommandResult::Status::timed_out:
      return "timed out";
    case platform::CommandResult::Status::not_found:
    case platform::CommandResult::Status::spawn_failed:
      return r.error;
  }
  return "?";
}

NodeRow down_row(const std::string& node, NodeState state, i18n::Text reason) {
  NodeRow row;
  row.name = node;
  row.source = "slurm";
  row.state = state;
  row.reason = std::move(reason);
  return row;
}

}  // namespace

std::vector<std::string> task_argv(const SurveyOptions& o) {
  return {o.gpuenv, "fleet", "--slurm-task", "--timeout", std::to_string(o.timeout.count())};
}

SurveyOutcome survey_slurm(platform::CommandRunner& runner, const SurveyOptions& o,
                           const kb::KnowledgeBase& kb) {
  SurveyOutcome out;
  double left = static_cast<double>(o.timeout.count());
  auto budget = [&] { return std::chrono::milliseconds(static_cast<long long>(std::max(left, 1.0) * 1000)); };

  platform::Command sinfo;
  sinfo.argv = {o.sinfo, "--noheader", "--Node", std::string("--format=") + kSinfoFormat};
  if (o.partition) sinfo.argv.push_back("--partition=" + *o.partition);
  sinfo.timeout = std::min(budget(), std::chrono::milliseconds(60000));
  out.commands.push_back(sinfo.argv);
  auto si = runner.run(sinfo);
  left -= si.seconds;
  if (!si.ok()) {
    std::string detail = last_line(si.err);
    if (detail.empty()) detail = status_words(si);
    out.fatal = i18n::Text{"fleet.slurm.sinfo_failed",
                           {{"command", platform::quote_argv(sinfo.argv)}, {"detail", detail}}};
    return out;
  }
  auto nodes = parse_sinfo(si.out);
  if (nodes.empty()) {
    out.fatal = i18n::Text{"fleet.slurm.no_nodes", {{"partition", o.partition.value_or("-")}}};
    return out;
  }
  std::sort(nodes.begin(), nodes.end(), [](auto& a, auto& b) { return natural_less(a.name, b.name); });

  std::vector<std::string> targets;
  for (auto& n : nodes) {
    auto a = classify_state(n.state);
    if (a == Availability::usable) {
      if (!o.max_nodes || static_cast<int>(targets.size()) < *o.max_nodes) targets.push_back(n.name);
      continue;
    }
    i18n::Text why = n.reason.empty()
                         ? i18n::Text{"fleet.reason.state", {{"state", n.state}}}
                         : i18n::Text{"fleet.reason.state_why", {{"state", n.state}, {"reason", n.reason}}};
    out.rows.push_back(
        down_row(n.name, a == Availability::busy ? NodeState::busy : NodeState::unreachable, why));
  }

  for (int pass = 0; pass < kMaxPasses && !targets.empty(); ++pass) {
    SrunRequest req;
    req.srun = o.srun;
    req.nodes = targets;
    req.partition = o.partition;
    req.time_limit_minutes = static_cast<int>((left + 59) / 60);
    req.extra = o.extra;
    req.command = task_argv(o);
    platform::Command cmd;
    cmd.argv = srun_argv(req);
    cmd.timeout = budget();
    out.commands.push_back(cmd.argv);
    auto res = runner.run(cmd);
    left -= res.seconds;
    if (res.status == platform::CommandResult::Status::not_found ||
        res.status == platform::CommandResult::Status::spawn_failed) {
      out.fatal = i18n::Text{"fleet.slurm.srun_failed", {{"detail", res.error}}};
      return out;
    }
    auto answers = decode_task_stream(res.out);
    auto errors = parse_srun_errors(res.err);
    std::vector<std::string> pending;
    for (auto& node : targets) {
      auto it = answers.find(node);
      if (it != answers.end() && it->second.complete()) {
        const TaskRun& run = it->second.run;
        if (run.exit_code < 0) {
          out.rows.push_back(down_row(node, NodeState::failed,
                                      {"fleet.reason.could_not_run", {{"detail", last_line(run.err)}}}));
          continue;
        }
        auto parsed = parse_report(run.out, kb);
        if (!parsed.report) {
          std::string detail = run.exit_code > 1 ? last_line(run.err) : parsed.error->reason.en();
          out.rows.push_back(down_row(
              node, NodeState::failed,
              {"fleet.reason.doctor_failed", {{"code", std::to_string(run.exit_code)}, {"detail", detail}}}));
          continue;
        }
        NodeRow row;
        row.name = node;
        row.source = "slurm";
        row.report = std::move(parsed.report);
        out.rows.push_back(std::move(row));
        out.reports.emplace_back(node, run.out);
      } else if (auto lf = errors.launch_failed.find(node); lf != errors.launch_failed.end()) {
        out.rows.push_back(
            down_row(node, NodeState::unreachable, {"fleet.reason.launch_failed", {{"detail", lf->second}}}));
      } else if (it != answers.end() && it->second.ended) {
        out.rows.push_back(
            down_row(node, NodeState::garbled, {"fleet.reason.garbled", {{"detail", it->second.problem}}}));
      } else {
        pending.push_back(node);
      }
    }
    if (pending.empty()) break;
    bool timed_out = res.status == platform::CommandResult::Status::timed_out || left <= 0;
    bool retry = !timed_out && !errors.launch_failed.empty() && pass + 1 < kMaxPasses;
    if (retry) {
      // srun aborted the step because of the nodes that failed to launch; ask the others again.
      targets = pending;
      continue;
    }
    for (auto& node : pending) {
      bool partial = answers.count(node) > 0;
      if (timed_out) {
        out.rows.push_back(down_row(node, NodeState::silent,
                                    {partial ? "fleet.reason.cut_off" : "fleet.reason.timeout",
                                     {{"seconds", std::to_string(o.timeout.count())}}}));
        continue;
      }
      std::string detail;
      if (auto tf = errors.task_failed.find(node); tf != errors.task_failed.end())
        detail = tf->second;
      else if (!errors.general.empty())
        detail = errors.general.back();
      else
        detail = last_line(res.err);
      out.rows.push_back(
          down_row(node, NodeState::failed,
                   {"fleet.reason.no_answer", {{"status", status_words(res)}, {"detail", detail}}}));
    }
    break;
  }
  return out;
}

}  // namespace gpuenv::fleet
