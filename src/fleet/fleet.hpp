#pragma once
// Many machines' reports in one view (issue 12): a row per node, the groups that share a driver
// branch and a recommendation, and the fleet's status. Pure: rows in, fleet out.
#include <optional>
#include <string>
#include <vector>

#include "fleet/inputs.hpp"
#include "fleet/query.hpp"
#include "fleet/report.hpp"
#include "i18n/catalog.hpp"
#include "kb/kb.hpp"

namespace gpuenv::fleet {

/// What happened to a node. Only `surveyed` rows carry a report.
enum class NodeState {
  surveyed,     ///< a report was read
  unreachable,  ///< down, not responding, or the task could not be started there
  busy,         ///< every CPU allocated to jobs: not surveyed now
  failed,       ///< the task ran but produced no usable report
  silent,       ///< no complete answer before the timeout
  garbled,      ///< an answer arrived but did not reassemble (missing or corrupted parts)
};
const char* state_name(NodeState s);

struct NodeRow {
  std::string name;
  std::string source;  ///< the file or stream, or "slurm"
  NodeState state = NodeState::surveyed;
  std::optional<i18n::Text> reason;  ///< why a node was not surveyed
  std::optional<NodeReport> report;
  std::optional<TorchVerdict> verdict;  ///< with --torch/--variant, for surveyed rows
  /// The status this row contributes: the report's, or "problems" for a node not surveyed.
  std::string status() const;
};

struct Group {
  enum class Kind { gpu, no_gpu, not_surveyed } kind = Kind::gpu;
  Opt driver_branch, cuda_max;
  std::optional<Recommendation> recommendation;
  NodeState state = NodeState::surveyed;  ///< for not_surveyed groups
  std::vector<std::string> nodes;         ///< natural order
  std::vector<std::string> with_problems;
  /// The group in one sentence: "12 nodes: driver 535 (CUDA ≤ 12.2) → torch 2.14.1 with cu126
  /// through minor compatibility".
  std::string sentence(i18n::Lang lang) const;
};

struct Fleet {
  std::optional<TorchQuery> query;  ///< --torch/--variant, when asked
  std::vector<NodeRow> rows;        ///< natural order of names
  std::vector<InputProblem> skipped;
  std::vector<Group> groups;
  std::string status;  ///< ok | problems | no-gpu (design.md §3, over the whole fleet)
  int ok = 0, problems = 0, no_gpu = 0, not_surveyed = 0;
};

/// Reads each document as a report: usable ones become rows (named by the input's node name, else
/// the report's host name, else the file stem), the others are added to `skipped`.
void add_documents(const std::vector<InputDoc>& docs, const kb::KnowledgeBase& kb, std::vector<NodeRow>& rows,
                   std::vector<InputProblem>& skipped);

/// Sorts the rows, forms the groups and the status. The fleet has problems when a node has an
/// error finding or was not surveyed, or when no report at all could be read; it is `no-gpu` when
/// every node surveyed has no NVIDIA GPU; otherwise `ok`.
Fleet aggregate(std::vector<NodeRow> rows, std::vector<InputProblem> skipped);

/// Asks the planner `q` for every surveyed row (fleet --torch/--variant) and keeps the question.
void answer_query(Fleet& f, const kb::KnowledgeBase& kb, const TorchQuery& q);

/// 1 when the fleet has problems, else 0 (design.md §3).
int exit_code(const Fleet& f);

/// "1 node" / "12 nodes" in `lang`.
std::string nodes_phrase(std::size_t n, i18n::Lang lang);

}  // namespace gpuenv::fleet
