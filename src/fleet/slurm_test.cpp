#include "fleet/slurm.hpp"

#include <gtest/gtest.h>

namespace gpuenv::fleet {
namespace {

TEST(Sinfo, ParsesNodesStatesAndReasons) {
  // `sinfo --noheader --Node --format='%N|%T|%E'` from slurm-wlm 22.05 (the test cluster), plus a
  // drained node with a reason that holds '|' and a node listed in two partitions.
  auto nodes = parse_sinfo(
      "n1|idle|none\n"
      "n2|completing|none\n"
      "n3|down*|Not responding\n"
      "gpu07|drained|bad DIMM | ticket 4 [root@2026-11-02T10:00:01]\n"
      "n1|idle|none\n"
      "garbage line\n"
      "\n");
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes[0].name, "n1");
  EXPECT_EQ(nodes[0].state, "idle");
  EXPECT_EQ(nodes[0].reason, "");
  EXPECT_EQ(nodes[2].state, "down*");
  EXPECT_EQ(nodes[2].reason, "Not responding");
  EXPECT_EQ(nodes[3].name, "gpu07");
  EXPECT_EQ(nodes[3].reason, "bad DIMM | ticket 4 [root@2026-11-02T10:00:01]");
  EXPECT_TRUE(parse_sinfo("").empty());
}

TEST(Sinfo, ClassifiesStates) {
  for (auto s : {"idle", "mixed", "completing", "planned", "IDLE", "mixed-"})
    EXPECT_EQ(classify_state(s), Availability::usable) << s;
  for (auto s : {"allocated", "allocated+", "reserved"})
    EXPECT_EQ(classify_state(s), Availability::busy) << s;
  for (auto s :
       {"down", "down*", "idle*", "completing*", "drained", "draining", "fail", "failing", "future",
        "unknown", "inval", "maint", "idle~", "idle%", "idle$", "idle@", "powered_down", "reboot_issued"})
    EXPECT_EQ(classify_state(s), Availability::unreachable) << s;
}

TEST(Srun, ParsesPerNodeErrors) {
  // srun's stderr when slurmd on n3 was killed (slurm-wlm 22.05, the test cluster).
  auto e = parse_srun_errors(
      "srun: error: Task launch for StepId=7.0 failed on node n3: Communication connection failure\n"
      "srun: error: Application launch failed: Communication connection failure\n"
      "srun: Job step aborted\n"
      "srun: error: n2: task 1: Exited with exit code 3\n");
  ASSERT_EQ(e.launch_failed.size(), 1u);
  EXPECT_EQ(e.launch_failed.at("n3"), "Communication connection failure");
  ASSERT_EQ(e.task_failed.size(), 1u);
  EXPECT_EQ(e.task_failed.at("n2"), "task 1: Exited with exit code 3");
  ASSERT_EQ(e.general.size(), 1u);
  EXPECT_EQ(e.general[0], "Application launch failed: Communication connection failure");
  auto alloc = parse_srun_errors(
      "srun: error: Unable to allocate resources: Requested node configuration is not available\n");
  EXPECT_TRUE(alloc.launch_failed.empty());
  ASSERT_EQ(alloc.general.size(), 1u);
  EXPECT_TRUE(parse_srun_errors("srun: job 9 queued and waiting for resources\n").general.empty());
}

TEST(Srun, BuildsTheCommand) {
  SrunRequest r;
  r.srun = "/usr/bin/srun";
  r.nodes = {"n1", "n2", "n3", "gpu01"};
  r.partition = "gpu";
  r.time_limit_minutes = 3;
  r.extra = {"--reservation=maint"};
  r.command = {"/opt/gpuenv/bin/gpuenv", "fleet", "--slurm-task"};
  EXPECT_EQ(srun_argv(r),
            (std::vector<std::string>{"/usr/bin/srun", "--job-name=gpuenv-fleet", "--nodes=4", "--ntasks=4",
                                      "--ntasks-per-node=1", "--nodelist=gpu01,n[1-3]", "--partition=gpu",
                                      "--time=3", "--kill-on-bad-exit=0", "--reservation=maint",
                                      "/opt/gpuenv/bin/gpuenv", "fleet", "--slurm-task"}));
}

}  // namespace
}  // namespace gpuenv::fleet
