#pragma once
// How one `srun` brings back one report per node intact (issue 12). srun merges the stdout of all
// tasks into one stream, and a line longer than Slurm's I/O message (1 KiB) can be cut and
// interleaved with other nodes' lines (seen with slurm-wlm 22.05 here: 2000-byte lines from three
// nodes came back mixed; 1000-byte lines never did). So each node's task
// (`gpuenv fleet --slurm-task`) runs `gpuenv doctor --json` and prints its output as short,
// self-describing lines, each written with one write(2):
//
//   @gpuenv-fleet1 NODE o SEQ BASE64     a piece of the report (stdout), SEQ = 0, 1, ...
//   @gpuenv-fleet1 NODE e SEQ BASE64     a piece of doctor's stderr (its last 2 KiB)
//   @gpuenv-fleet1 NODE end EXIT O E BYTES FNV
//                                        doctor's exit status (-1: could not run), the number of
//                                        o and e lines, the report's length and FNV-1a 64 (hex)
//
// NODE is $SLURMD_NODENAME (nodes may share a host name). The reader reassembles per node and
// checks counts, length and checksum, so a cut or mixed line makes the node "garbled", never a
// wrong report. Other lines (srun's own messages) are ignored.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace gpuenv::fleet {

inline constexpr std::string_view kFrameTag = "@gpuenv-fleet1";
/// Raw bytes per line: 384 bytes are 512 base64 characters, a line well under 1 KiB.
inline constexpr std::size_t kFrameChunk = 384;
inline constexpr std::size_t kFrameStderrTail = 2048;

struct TaskRun {
  int exit_code = -1;  ///< doctor's exit status; -1 when it could not be run
  std::string out;     ///< the report
  std::string err;     ///< doctor's stderr, or why it could not run
};

/// The lines a task prints for one node (each ends with '\n').
std::string encode_task_output(std::string_view node, const TaskRun& run);

/// What arrived from one node.
struct TaskAnswer {
  TaskRun run;
  bool ended = false;   ///< the `end` line arrived
  std::string problem;  ///< non-empty when the parts do not add up: "2 of 5 report lines missing"
  bool complete() const { return ended && problem.empty(); }
};

/// Reassembles srun's merged stdout into one answer per node name.
std::map<std::string, TaskAnswer> decode_task_stream(std::string_view text);

std::string base64_encode(std::string_view data);
/// Decodes standard base64 with padding; nullopt-like empty result and `ok == false` on bad input.
std::string base64_decode(std::string_view text, bool& ok);
std::uint64_t fnv1a64(std::string_view data);

}  // namespace gpuenv::fleet
