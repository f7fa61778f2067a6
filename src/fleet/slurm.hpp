#pragma once
// What Slurm's clients print, and the commands gpuenv asks them to run. Pure: text in, facts out.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::fleet {

/// One line of `sinfo --noheader --Node --format=%N|%T|%E`.
struct SinfoNode {
  std::string name;
  std::string state;   ///< long form with Slurm's suffixes: "idle", "mixed", "down*", "drained"
  std::string reason;  ///< empty when Slurm says "none"
};

/// The format gpuenv asks sinfo for: name, long state, reason (the reason last: it may hold '|').
inline constexpr const char* kSinfoFormat = "%N|%T|%E";

/// Parses sinfo's lines; a node listed once per partition is kept once. Lines without two '|'
/// are ignored. Sample:
///   n1|idle|none
///   n3|down*|Not responding
///   gpu07|drained|bad DIMM [root@2026-11-02T10:00:01]
std::vector<SinfoNode> parse_sinfo(std::string_view out);

enum class Availability { usable, unreachable, busy };

/// Whether a job step can start on a node in this state now. `*` (not responding), down, drained,
/// draining, fail(ing), future, unknown, maintenance, reboot and power-save states are
/// `unreachable`; allocated and reserved nodes are `busy` (a step would wait for them); idle,
/// mixed, completing and planned nodes are `usable`.
Availability classify_state(std::string_view state);

/// What srun's stderr says about particular nodes. Samples (slurm-wlm 22.05):
///   srun: error: Task launch for StepId=7.0 failed on node n3: Communication connection failure
///   srun: error: n2: task 1: Exited with exit code 3
/// `general` keeps the other "srun: error:" lines (allocation failures), in order.
struct SrunErrors {
  std::map<std::string, std::string> launch_failed;  ///< node → reason
  std::map<std::string, std::string> task_failed;    ///< node → "task 1: Exited with exit code 3"
  std::vector<std::string> general;
};
SrunErrors parse_srun_errors(std::string_view err);

struct SrunRequest {
  std::string srun = "srun";
  std::vector<std::string> nodes;  ///< where to run, one task each
  std::optional<std::string> partition;
  int time_limit_minutes = 5;
  int immediate_seconds = 0;       ///< > 0: give up if Slurm cannot allocate the nodes within this time
  std::vector<std::string> extra;  ///< the user's extra srun arguments, before the command
  std::vector<std::string> command;
};

/// srun --job-name=gpuenv-fleet --nodes=K --ntasks=K --ntasks-per-node=1 --nodelist=HOSTLIST
///      [--partition=P] --time=M [--immediate=S] --kill-on-bad-exit=0 EXTRA... COMMAND...
std::vector<std::string> srun_argv(const SrunRequest& r);

}  // namespace gpuenv::fleet
