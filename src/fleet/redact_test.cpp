#include "fleet/redact.hpp"

#include <gtest/gtest.h>

#include "fleet/render.hpp"

namespace gpuenv::fleet {
namespace {

NodeRow row(const std::string& name, std::optional<std::string> host, std::vector<std::string> users) {
  NodeRow r;
  r.name = name;
  r.source = "/home/alice/reports/" + name + ".json";
  NodeReport rep;
  rep.host = host;
  rep.status = "ok";
  rep.users = std::move(users);
  r.report = rep;
  return r;
}

TEST(FleetRedact, RenamesNodesAndHidesUsers) {
  std::vector<NodeRow> rows{row("gpu10", "gpu10.lab.example.org", {"bob"}), row("gpu2", "gpu2", {"carol"})};
  NodeRow down;
  down.name = "n3";
  down.source = "slurm";
  down.state = NodeState::unreachable;
  down.reason =
      i18n::Text{"fleet.reason.launch_failed", {{"detail", "task launch failed on node n3 (n3.lab)"}}};
  rows.push_back(down);
  std::vector<InputProblem> skipped{{"/home/alice/reports/gpu99.json", {"fleet.input.empty", {}}}};
  auto red = redact_rows(rows, skipped, {"alice"});
  EXPECT_EQ(rows[0].name, "node02");  // natural order: gpu2, gpu10, n3
  EXPECT_EQ(rows[1].name, "node01");
  EXPECT_EQ(rows[2].name, "node03");
  EXPECT_EQ(rows[0].report->host, "node02");
  EXPECT_EQ(rows[0].source, "/home/user1/reports/node02.json");
  EXPECT_EQ(rows[2].reason->en(),
            "the task could not be started there: task launch failed on node node03 (node03.lab)");
  EXPECT_EQ(skipped[0].source, "/home/user1/reports/gpu99.json");
  std::string t = red.apply("gpu10.lab.example.org and gpu10 by bob; gpu100 stays; carol.");
  EXPECT_TRUE(t.starts_with("node02 and node02 by user")) << t;
  EXPECT_NE(t.find("; gpu100 stays; user"), std::string::npos) << t;
  EXPECT_EQ(t.find("bob"), std::string::npos) << t;
  EXPECT_EQ(t.find("carol"), std::string::npos) << t;
  auto f = aggregate(rows, skipped);
  std::string text = red.apply(fleet_text(f, i18n::Lang::en, false));
  for (auto secret : {"gpu10", "gpu2", "alice", "bob", "carol"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
}

}  // namespace
}  // namespace gpuenv::fleet
