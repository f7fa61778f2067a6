#include "fleet/survey.hpp"

#include <algorithm>
#include <map>

#include "fleet/frame.hpp"
#include "fleet/hostlist.hpp"
#include "fleet/slurm.hpp"

namespace gpuenv::fleet {

namespace {

// Passes of srun: the first after sinfo; another when a launch failed on some nodes (srun then
// aborts the step for all) or when Slurm could not allocate the nodes in time (a node may have
// died since sinfo looked: sinfo is asked again). How long each pass waits for the allocation;
// the last pass waits for whatever time is left.
constexpr int kMaxPasses = 4;
constexpr double kAllocationWait[] = {15, 30, 60};

using Status = platform::CommandResult::Status;

std::string last_line(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  auto nl = s.rfind('\n');
  std::string line(nl == std::string_view::npos ? s : s.substr(nl + 1));
  if (line.size() > 300) line = line.substr(0, 300) + "…";
  return line;
}

std::string status_words(const platform::CommandResult& r) {
  switch (r.status) {
    case Status::exited:
      return "exit " + std::to_string(r.exit_code);
    case Status::signaled:
      return "signal " + std::to_string(r.signal);
    case Status::timed_out:
      return "timed out";
    case Status::not_found:
    case Status::spawn_failed:
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

i18n::Text state_reason(const SinfoNode& n) {
  if (n.reason.empty()) return {"fleet.reason.state", {{"state", n.state}}};
  return {"fleet.reason.state_why", {{"state", n.state}, {"reason", n.reason}}};
}

/// The survey's state between passes.
struct Survey {
  platform::CommandRunner& runner;
  const SurveyOptions& o;
  const kb::KnowledgeBase& kb;
  SurveyOutcome out;
  double left;  ///< seconds of the budget not spent yet

  std::chrono::milliseconds budget(double cap) const {
    return std::chrono::milliseconds(static_cast<long long>(std::max(std::min(left, cap), 1.0) * 1000));
  }

  platform::CommandResult run(const std::vector<std::string>& argv, double cap) {
    platform::Command c;
    c.argv = argv;
    c.timeout = budget(cap);
    out.commands.push_back(argv);
    auto r = runner.run(c);
    left -= r.seconds;
    return r;
  }

  /// sinfo's nodes, or nullopt after setting `out.fatal`.
  std::optional<std::vector<SinfoNode>> sinfo() {
    std::vector<std::string> argv{o.sinfo, "--noheader", "--Node", std::string("--format=") + kSinfoFormat};
    if (o.partition) argv.push_back("--partition=" + *o.partition);
    auto r = run(argv, 60);
    if (!r.ok()) {
      std::string detail = last_line(r.err);
      if (detail.empty()) detail = status_words(r);
      out.fatal = i18n::Text{"fleet.slurm.sinfo_failed",
                             {{"command", platform::quote_argv(argv)}, {"detail", detail}}};
      return std::nullopt;
    }
    auto nodes = parse_sinfo(r.out);
    std::sort(nodes.begin(), nodes.end(), [](auto& a, auto& b) { return natural_less(a.name, b.name); });
    return nodes;
  }

  /// A complete answer from a node becomes its row.
  void answered(const std::string& node, const TaskRun& run) {
    if (run.exit_code < 0) {
      out.rows.push_back(down_row(node, NodeState::failed,
                                  {"fleet.reason.could_not_run", {{"detail", last_line(run.err)}}}));
      return;
    }
    auto parsed = parse_report(run.out, kb);
    if (!parsed.report) {
      std::string detail = run.exit_code > 1 ? last_line(run.err) : parsed.error->reason.en();
      out.rows.push_back(down_row(
          node, NodeState::failed,
          {"fleet.reason.doctor_failed", {{"code", std::to_string(run.exit_code)}, {"detail", detail}}}));
      return;
    }
    NodeRow row;
    row.name = node;
    row.source = "slurm";
    row.report = std::move(parsed.report);
    out.rows.push_back(std::move(row));
    out.reports.emplace_back(node, run.out);
  }

  /// Drops the targets sinfo no longer shows usable (they become rows); false after a fatal error.
  bool recheck(std::vector<std::string>& targets) {
    auto nodes = sinfo();
    if (!nodes) return false;
    std::vector<std::string> still;
    for (auto& t : targets) {
      auto it = std::find_if(nodes->begin(), nodes->end(), [&](auto& n) { return n.name == t; });
      if (it == nodes->end()) {
        still.push_back(t);
        continue;
      }
      auto a = classify_state(it->state);
      if (a == Availability::usable)
        still.push_back(t);
      else
        out.rows.push_back(down_row(t, a == Availability::busy ? NodeState::busy : NodeState::unreachable,
                                    state_reason(*it)));
    }
    targets = std::move(still);
    return true;
  }

  void survey(std::vector<std::string> targets) {
    bool allocation_failed = false;
    for (int pass = 0; pass < kMaxPasses && !targets.empty(); ++pass) {
      if (allocation_failed) {
        if (!recheck(targets)) return;
        if (targets.empty()) break;
      }
      bool last = pass + 1 == kMaxPasses;
      SrunRequest req;
      req.srun = o.srun;
      req.nodes = targets;
      req.partition = o.partition;
      req.time_limit_minutes = static_cast<int>((left + 59) / 60);
      req.immediate_seconds =
          static_cast<int>(std::max(1.0, last ? left : std::min(left, kAllocationWait[pass])));
      req.extra = o.extra;
      req.command = task_argv(o);
      auto res = run(srun_argv(req), left);
      if (res.status == Status::not_found || res.status == Status::spawn_failed) {
        out.fatal = i18n::Text{"fleet.slurm.srun_failed", {{"detail", res.error}}};
        return;
      }
      auto answers = decode_task_stream(res.out);
      auto errors = parse_srun_errors(res.err);
      std::vector<std::string> pending;
      for (auto& node : targets) {
        auto it = answers.find(node);
        if (it != answers.end() && it->second.complete())
          answered(node, it->second.run);
        else if (auto lf = errors.launch_failed.find(node); lf != errors.launch_failed.end())
          out.rows.push_back(down_row(node, NodeState::unreachable,
                                      {"fleet.reason.launch_failed", {{"detail", lf->second}}}));
        else if (it != answers.end() && it->second.ended)
          out.rows.push_back(
              down_row(node, NodeState::garbled, {"fleet.reason.garbled", {{"detail", it->second.problem}}}));
        else
          pending.push_back(node);
      }
      if (pending.empty()) return;
      bool timed_out = res.status == Status::timed_out || left <= 1;
      allocation_failed = answers.empty() && errors.launch_failed.empty() &&
                          std::any_of(errors.general.begin(), errors.general.end(), [](auto& e) {
                            return e.find("Unable to allocate resources") != std::string::npos;
                          });
      if (!timed_out && !last && (!errors.launch_failed.empty() || allocation_failed)) {
        // srun aborted the step because of the nodes that failed to launch, or could not get the
        // nodes in time: ask the others again.
        targets = std::move(pending);
        continue;
      }
      for (auto& node : pending) {
        if (timed_out) {
          bool partial = answers.count(node) > 0;
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
        if (allocation_failed)
          out.rows.push_back(
              down_row(node, NodeState::busy, {"fleet.reason.not_allocated", {{"detail", detail}}}));
        else
          out.rows.push_back(
              down_row(node, NodeState::failed,
                       {"fleet.reason.no_answer", {{"status", status_words(res)}, {"detail", detail}}}));
      }
      return;
    }
  }
};

}  // namespace

std::vector<std::string> task_argv(const SurveyOptions& o) {
  return {o.gpuenv, "fleet", "--slurm-task", "--timeout", std::to_string(o.timeout.count())};
}

SurveyOutcome survey_slurm(platform::CommandRunner& runner, const SurveyOptions& o,
                           const kb::KnowledgeBase& kb) {
  Survey s{runner, o, kb, {}, static_cast<double>(o.timeout.count())};
  auto nodes = s.sinfo();
  if (!nodes) return std::move(s.out);
  if (nodes->empty()) {
    s.out.fatal = i18n::Text{"fleet.slurm.no_nodes", {{"partition", o.partition.value_or("-")}}};
    return std::move(s.out);
  }
  std::vector<std::string> targets;
  for (auto& n : *nodes) {
    auto a = classify_state(n.state);
    if (a == Availability::usable) {
      if (!o.max_nodes || static_cast<int>(targets.size()) < *o.max_nodes) targets.push_back(n.name);
      continue;
    }
    s.out.rows.push_back(down_row(n.name, a == Availability::busy ? NodeState::busy : NodeState::unreachable,
                                  state_reason(n)));
  }
  s.survey(std::move(targets));
  return std::move(s.out);
}

}  // namespace gpuenv::fleet
