#include "fleet/survey.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>

#include "fleet/frame.hpp"

namespace gpuenv::fleet {
namespace {

using platform::CommandResult;

/// Answers commands from a script, in order, and records them.
class FakeRunner final : public platform::CommandRunner {
 public:
  CommandResult run(const platform::Command& cmd) override {
    commands.push_back(cmd);
    if (script.empty()) {
      CommandResult r;
      r.status = CommandResult::Status::spawn_failed;
      r.error = "unexpected command";
      return r;
    }
    auto r = script.front();
    script.pop_front();
    return r;
  }
  std::deque<CommandResult> script;
  std::vector<platform::Command> commands;
};

CommandResult exited(int code, std::string out, std::string err = "") {
  CommandResult r;
  r.status = CommandResult::Status::exited;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  r.seconds = 1;
  return r;
}

std::string report(const std::string& host) {
  return R"({"schema_version": 1, "status": "no-gpu", "machine": {"host": {"name": ")" + host +
         R"("}}, "findings": [{"id": "no-nvidia-gpu", "severity": "info"}], "recommendation": null})";
}

std::string answer(const std::string& node, int code = 0) {
  return encode_task_output(node, {code, report(node), ""});
}

SurveyOptions options() {
  SurveyOptions o;
  o.srun = "/usr/bin/srun";
  o.sinfo = "/usr/bin/sinfo";
  o.gpuenv = "/opt/gpuenv";
  o.timeout = std::chrono::seconds(60);
  return o;
}

const kb::KnowledgeBase& kb() {
  return kb::KnowledgeBase::builtin();
}

bool has(const std::vector<std::string>& argv, const std::string& arg) {
  return std::find(argv.begin(), argv.end(), arg) != argv.end();
}

const NodeRow& row(const SurveyOutcome& o, const std::string& name) {
  for (auto& r : o.rows)
    if (r.name == name) return r;
  throw std::runtime_error("no row " + name);
}

TEST(Survey, ThreeNodesAnswer) {
  FakeRunner run;
  run.script = {exited(0, "n1|idle|none\nn2|mixed|none\nn3|idle|none\n"),
                exited(0, answer("n2") + answer("n3") + answer("n1"))};
  auto o = options();
  o.partition = "debug";
  auto out = survey_slurm(run, o, kb());
  ASSERT_FALSE(out.fatal);
  ASSERT_EQ(run.commands.size(), 2u);
  EXPECT_EQ(run.commands[0].argv, (std::vector<std::string>{"/usr/bin/sinfo", "--noheader", "--Node",
                                                            "--format=%N|%T|%E", "--partition=debug"}));
  EXPECT_EQ(run.commands[1].argv,
            (std::vector<std::string>{"/usr/bin/srun", "--job-name=gpuenv-fleet", "--nodes=3", "--ntasks=3",
                                      "--ntasks-per-node=1", "--nodelist=n[1-3]", "--partition=debug",
                                      "--time=1", "--immediate=15", "--kill-on-bad-exit=0", "/opt/gpuenv",
                                      "fleet", "--slurm-task", "--timeout", "60"}));
  ASSERT_EQ(out.rows.size(), 3u);
  for (auto& r : out.rows) {
    EXPECT_EQ(r.state, NodeState::surveyed) << r.name;
    ASSERT_TRUE(r.report);
    EXPECT_EQ(r.report->host, r.name);
    EXPECT_EQ(r.source, "slurm");
  }
  ASSERT_EQ(out.reports.size(), 3u);
  EXPECT_EQ(out.reports[0].first, "n1");
  EXPECT_EQ(out.reports[0].second, report("n1"));
}

TEST(Survey, DownAndBusyNodesAreRowsAndNotAsked) {
  FakeRunner run;
  run.script = {exited(0,
                       "n1|idle|none\nn2|down*|Not responding\nn3|idle|none\nn4|allocated|none\n"
                       "n5|drained|bad DIMM\n"),
                exited(0, answer("n1") + answer("n3"))};
  auto out = survey_slurm(run, options(), kb());
  ASSERT_EQ(run.commands.size(), 2u);
  EXPECT_EQ(run.commands[1].argv[5], "--nodelist=n[1,3]");
  EXPECT_EQ(row(out, "n2").state, NodeState::unreachable);
  EXPECT_EQ(row(out, "n2").reason->en(), "Slurm reports the node down*: Not responding");
  EXPECT_EQ(row(out, "n4").state, NodeState::busy);
  EXPECT_EQ(row(out, "n4").reason->en(), "Slurm reports the node allocated");
  EXPECT_EQ(row(out, "n5").state, NodeState::unreachable);
  EXPECT_EQ(row(out, "n1").state, NodeState::surveyed);
  EXPECT_EQ(row(out, "n3").state, NodeState::surveyed);
}

TEST(Survey, LaunchFailureAbortsTheStepAndTheOthersAreAskedAgain) {
  FakeRunner run;
  run.script = {
      exited(0, "n1|idle|none\nn2|idle|none\nn3|idle|none\n"),
      exited(233, answer("n1"),
             "srun: error: Task launch for StepId=8.0 failed on node n3: Communication connection failure\n"
             "srun: error: Application launch failed: Communication connection failure\n"
             "srun: Job step aborted\n"),
      exited(0, answer("n2"))};
  auto out = survey_slurm(run, options(), kb());
  ASSERT_EQ(run.commands.size(), 3u);
  EXPECT_EQ(run.commands[2].argv[5], "--nodelist=n2");
  EXPECT_EQ(row(out, "n1").state, NodeState::surveyed);
  EXPECT_EQ(row(out, "n2").state, NodeState::surveyed);
  EXPECT_EQ(row(out, "n3").state, NodeState::unreachable);
  EXPECT_EQ(row(out, "n3").reason->en(),
            "the task could not be started there: Communication connection failure");
}

TEST(Survey, SilentNodesAtTheTimeout) {
  FakeRunner run;
  auto cut = answer("n2");
  cut = cut.substr(0, cut.find(" end "));  // no end line
  cut = cut.substr(0, cut.rfind('\n') + 1);
  CommandResult timed = exited(0, answer("n1") + cut);
  timed.status = CommandResult::Status::timed_out;
  run.script = {exited(0, "n1|idle|none\nn2|idle|none\nn3|idle|none\n"), timed};
  auto out = survey_slurm(run, options(), kb());
  ASSERT_EQ(run.commands.size(), 2u);
  EXPECT_EQ(row(out, "n1").state, NodeState::surveyed);
  EXPECT_EQ(row(out, "n2").state, NodeState::silent);
  EXPECT_EQ(row(out, "n2").reason->en(), "the answer was cut off at the 60 s limit");
  EXPECT_EQ(row(out, "n3").state, NodeState::silent);
  EXPECT_EQ(row(out, "n3").reason->en(), "no answer within 60 s");
}

TEST(Survey, FailedGarbledAndCouldNotRun) {
  FakeRunner run;
  std::string bad = answer("n2");
  bad.replace(bad.find(" o 0 ") + 5, 4, "AAAA");  // same length, other bytes: the checksum catches it
  run.script = {
      exited(0, "n1|idle|none\nn2|idle|none\nn3|idle|none\nn4|idle|none\n"),
      exited(0, encode_task_output("n1", {3, "", "error: internal error: boom\n"}) + bad +
                    encode_task_output("n3", {-1, "", "cannot find the gpuenv executable (/proc/self/exe)"}) +
                    encode_task_output("n4", {0, "not json", ""}))};
  auto out = survey_slurm(run, options(), kb());
  EXPECT_EQ(row(out, "n1").state, NodeState::failed);
  EXPECT_EQ(row(out, "n1").reason->en(), "`gpuenv doctor --json` exited with 3: error: internal error: boom");
  EXPECT_EQ(row(out, "n2").state, NodeState::garbled);
  EXPECT_EQ(row(out, "n2").reason->en(),
            "the answer did not reassemble: the report does not match its checksum");
  EXPECT_EQ(row(out, "n3").state, NodeState::failed);
  EXPECT_EQ(row(out, "n3").reason->en(),
            "gpuenv could not run on the node: cannot find the gpuenv executable (/proc/self/exe)");
  EXPECT_EQ(row(out, "n4").state, NodeState::failed);
  EXPECT_EQ(
      row(out, "n4").reason->en(),
      "`gpuenv doctor --json` exited with 0: not JSON: parse error at line 1, column 2: syntax error while "
      "parsing value - invalid literal; last read: 'no'");
}

TEST(Survey, SrunEndsWithoutAnswers) {
  FakeRunner run;
  run.script = {exited(0, "n1|idle|none\n"), exited(1, "", "srun: error: Invalid job credential\n")};
  auto out = survey_slurm(run, options(), kb());
  ASSERT_EQ(run.commands.size(), 2u);
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0].state, NodeState::failed);
  EXPECT_EQ(out.rows[0].reason->en(),
            "srun ended (exit 1) without an answer from this node: Invalid job credential");
}

// sinfo still showed n3 usable (slurmctld had not noticed its slurmd was gone), so the allocation
// waits for it: srun gives up (--immediate), sinfo is asked again, the others are surveyed.
TEST(Survey, AllocationThatDoesNotComeIsRetriedWithoutTheDeadNode) {
  FakeRunner run;
  run.script = {exited(0, "n1|completing|none\nn2|completing|none\nn3|completing|none\n"),
                exited(1, "",
                       "srun: Required node not available (down, drained or reserved)\n"
                       "srun: job 2 queued and waiting for resources\n"
                       "srun: error: Unable to allocate resources: Requested nodes are busy\n"),
                exited(0, "n1|idle|none\nn2|idle|none\nn3|down*|Not responding\n"),
                exited(0, answer("n1") + answer("n2"))};
  auto out = survey_slurm(run, options(), kb());
  ASSERT_EQ(run.commands.size(), 4u);
  EXPECT_TRUE(has(run.commands[1].argv, "--immediate=15"));
  EXPECT_EQ(run.commands[2].argv[0], "/usr/bin/sinfo");
  EXPECT_EQ(run.commands[3].argv[5], "--nodelist=n[1-2]");
  EXPECT_TRUE(has(run.commands[3].argv, "--immediate=30"));
  EXPECT_EQ(row(out, "n1").state, NodeState::surveyed);
  EXPECT_EQ(row(out, "n2").state, NodeState::surveyed);
  EXPECT_EQ(row(out, "n3").state, NodeState::unreachable);
  EXPECT_EQ(row(out, "n3").reason->en(), "Slurm reports the node down*: Not responding");
}

TEST(Survey, AllocationNeverComes) {
  FakeRunner run;
  auto busy = exited(1, "", "srun: error: Unable to allocate resources: Requested nodes are busy\n");
  auto listing = exited(0, "n1|mixed|none\n");
  run.script = {listing, busy, listing, busy, listing, busy, listing, busy};
  auto out = survey_slurm(run, options(), kb());
  EXPECT_EQ(run.commands.size(), 8u);  // four passes, each after a fresh look at the nodes
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0].state, NodeState::busy);
  EXPECT_EQ(
      out.rows[0].reason->en(),
      "Slurm did not give the node to the survey in time: Unable to allocate resources: Requested nodes are "
      "busy");
}

TEST(Survey, NodesLimit) {
  FakeRunner run;
  run.script = {exited(0, "n10|idle|none\nn2|idle|none\nn1|idle|none\n"),
                exited(0, answer("n1") + answer("n2"))};
  auto o = options();
  o.max_nodes = 2;
  o.extra = {"--reservation=maint"};
  auto out = survey_slurm(run, o, kb());
  EXPECT_EQ(run.commands[1].argv[5], "--nodelist=n[1-2]");
  EXPECT_EQ(run.commands[1].argv[9], "--reservation=maint");
  EXPECT_EQ(out.rows.size(), 2u);
}

TEST(Survey, FatalWhenSlurmCannotBeAsked) {
  FakeRunner run;
  run.script = {exited(1, "", "slurm_load_node: Unable to contact slurm controller (connect failure)\n")};
  auto out = survey_slurm(run, options(), kb());
  ASSERT_TRUE(out.fatal);
  EXPECT_EQ(out.fatal->en(),
            "cannot list the nodes: `/usr/bin/sinfo --noheader --Node '--format=%N|%T|%E'` failed: "
            "slurm_load_node: Unable to contact slurm controller (connect failure)");
  FakeRunner empty;
  empty.script = {exited(0, "")};
  auto o = options();
  o.partition = "gpu";
  EXPECT_EQ(survey_slurm(empty, o, kb()).fatal->en(), "sinfo lists no node (partition gpu)");
  FakeRunner nosrun;
  CommandResult nf;
  nf.status = CommandResult::Status::not_found;
  nf.error = "/usr/bin/srun: not found";
  nosrun.script = {exited(0, "n1|idle|none\n"), nf};
  EXPECT_EQ(survey_slurm(nosrun, options(), kb()).fatal->en(), "cannot run srun: /usr/bin/srun: not found");
}

}  // namespace
}  // namespace gpuenv::fleet
