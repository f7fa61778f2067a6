#pragma once
// `gpuenv fleet --slurm`: the survey run through Slurm itself (issue 12). sinfo says which nodes
// exist and which can take a job step now; one srun runs `gpuenv fleet --slurm-task` once on each
// usable node (see frame.hpp for how the answers come back apart); every node ends up a row:
// surveyed, or with the reason it was not. Commands go through the CommandRunner seam.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "fleet/fleet.hpp"
#include "i18n/catalog.hpp"
#include "kb/kb.hpp"
#include "platform/process.hpp"

namespace gpuenv::fleet {

struct SurveyOptions {
  std::string srun = "srun";
  std::string sinfo = "sinfo";
  std::optional<std::string> partition;
  std::optional<int> max_nodes;       ///< --nodes N: the first N usable nodes (natural order)
  std::vector<std::string> extra;     ///< extra srun arguments (after `--`)
  std::string gpuenv = "gpuenv";      ///< the gpuenv to run on the nodes (a shared path)
  std::chrono::seconds timeout{120};  ///< for the whole survey: sinfo and every srun pass
};

struct SurveyOutcome {
  /// Set when no survey could be made (sinfo failed, no node in the partition): the message.
  std::optional<i18n::Text> fatal;
  std::vector<NodeRow> rows;
  /// node → the raw report, for `--save DIR`.
  std::vector<std::pair<std::string, std::string>> reports;
  /// The commands run, for `-v`.
  std::vector<std::vector<std::string>> commands;
};

/// Runs the survey. A node that is down, does not start the task, fails, or does not answer before
/// the timeout becomes a row with the reason and never holds up the others: when a launch fails on
/// some nodes, srun aborts the step, so the nodes left are asked again without them (at most three
/// passes, within the timeout).
SurveyOutcome survey_slurm(platform::CommandRunner& runner, const SurveyOptions& o,
                           const kb::KnowledgeBase& kb);

/// The argv of the task srun starts on each node.
std::vector<std::string> task_argv(const SurveyOptions& o);

}  // namespace gpuenv::fleet
