// `gpuenv fleet --slurm` on a real Slurm cluster: slurmctld + slurmd n1, n2, n3 on this machine
// (tests/slurm/CMakeLists.txt starts it). Every node runs this build's gpuenv on this machine, so
// the reports are this machine's; what is tested is the survey: one report per node, named by
// SLURMD_NODENAME, and a node whose slurmd is gone becoming a row instead of a hang or a crash.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

std::map<std::string, std::string> slurm_env() {
  return {{"SLURM_CONF", std::string(GPUENV_SLURM_DIR) + "/slurm.conf"}};
}

platform::CommandResult cluster(const std::string& what, const std::string& node) {
  platform::Command c;
  c.argv = {GPUENV_SLURM_SCRIPT, what, GPUENV_SLURM_DIR, node};
  c.timeout = std::chrono::seconds(120);
  platform::RealCommandRunner r;
  return r.run(c);
}

nlohmann::json survey(const std::vector<std::string>& extra, platform::CommandResult& r) {
  std::vector<std::string> args{"fleet", "--slurm", "--json", "--timeout", "55"};
  args.insert(args.end(), extra.begin(), extra.end());
  r = run_gpuenv(args, slurm_env());
  return nlohmann::json::parse(r.out);
}

std::map<std::string, nlohmann::json> by_name(const nlohmann::json& j) {
  std::map<std::string, nlohmann::json> out;
  for (auto& n : j["nodes"]) out[n["name"].get<std::string>()] = n;
  return out;
}

TEST(SlurmFleet, EveryNodeSendsItsReport) {
  TempDir save;
  platform::CommandResult r;
  auto j = survey({"--save", save.path()}, r);
  auto nodes = by_name(j);
  ASSERT_EQ(nodes.size(), 3u) << r.out << r.err;
  for (auto name : {"n1", "n2", "n3"}) {
    ASSERT_EQ(nodes.count(name), 1u) << name;
    EXPECT_EQ(nodes[name]["state"], "surveyed") << nodes[name].dump();
    EXPECT_EQ(nodes[name]["source"], "slurm");
    // The saved report is a whole doctor --json document.
    auto saved = nlohmann::json::parse(read_file(save.path() + "/" + name + ".json"));
    EXPECT_EQ(saved["schema_version"], 1);
    EXPECT_TRUE(saved.contains("findings"));
  }
  EXPECT_EQ(j["summary"]["not_surveyed"], 0);
  EXPECT_EQ(r.exit_code, j["status"] == "problems" ? 1 : 0);  // the fleet's status, whatever this machine is
}

TEST(SlurmFleet, NodesAndPartitionAreHonoured) {
  platform::CommandResult r;
  auto j = survey({"--partition", "debug", "--nodes", "2"}, r);
  auto nodes = by_name(j);
  ASSERT_EQ(nodes.size(), 2u) << r.out << r.err;
  EXPECT_EQ(nodes.count("n1"), 1u);
  EXPECT_EQ(nodes.count("n2"), 1u);
  auto bad = run_gpuenv({"fleet", "--slurm", "--partition", "nosuchpartition"}, slurm_env());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("error: "), std::string::npos) << bad.err;
}

/// Restarts a stopped slurmd whatever the test's outcome.
struct NodeBack {
  std::string node;
  ~NodeBack() { cluster("start-node", node); }
};

TEST(SlurmFleet, KilledNodeIsUnreachableAndTheOthersAreSurveyed) {
  auto k = cluster("kill-node", "n3");
  ASSERT_TRUE(k.ok()) << k.err;
  NodeBack back{"n3"};
  platform::CommandResult r;
  auto j = survey({}, r);
  auto nodes = by_name(j);
  ASSERT_EQ(nodes.size(), 3u) << r.out << r.err;
  EXPECT_EQ(nodes["n1"]["state"], "surveyed") << nodes["n1"].dump();
  EXPECT_EQ(nodes["n2"]["state"], "surveyed") << nodes["n2"].dump();
  EXPECT_EQ(nodes["n3"]["state"], "unreachable") << nodes["n3"].dump();
  EXPECT_FALSE(nodes["n3"]["reason"].is_null());
  EXPECT_EQ(j["status"], "problems");
  EXPECT_EQ(r.exit_code, 1);  // the fleet's status: a node could not be surveyed

  // Again in text: by now slurmctld may have marked n3 not responding; either way it is a row.
  auto t = run_gpuenv({"fleet", "--slurm", "--no-color", "--timeout", "55"}, slurm_env());
  EXPECT_EQ(t.exit_code, 1) << t.err;
  EXPECT_NE(t.out.find("\nn3    unreachable"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("\nNot surveyed\n  n3: unreachable — "), std::string::npos) << t.out;
}

}  // namespace
}  // namespace gpuenv::test
