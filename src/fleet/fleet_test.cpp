#include "fleet/fleet.hpp"

#include <gtest/gtest.h>

namespace gpuenv::fleet {
namespace {

NodeRow surveyed(const std::string& name, const std::string& status, std::optional<std::string> driver,
                 std::optional<Recommendation> rec = std::nullopt, int gpus = 1) {
  NodeReport r;
  r.host = name;
  r.status = status;
  r.driver_version = driver;
  if (driver) r.cuda_max = driver->substr(0, 3) == "535" ? "12.2" : "11.4";
  if (gpus > 0) r.gpus.push_back({"NVIDIA A100-SXM4-80GB", "8.0", "Ampere", 81920, gpus});
  r.gpu_count = gpus;
  r.recommendation = rec;
  NodeRow row;
  row.name = name;
  row.source = name + ".json";
  row.report = r;
  return row;
}

NodeRow down(const std::string& name, NodeState s) {
  NodeRow row;
  row.name = name;
  row.source = "slurm";
  row.state = s;
  row.reason = i18n::Text{"fleet.reason.state", {{"state", "down*"}}};
  return row;
}

Recommendation rec(const char* torch, const char* variant, const char* compat, bool advice = false) {
  Recommendation r;
  r.torch = torch;
  r.variant = variant;
  if (compat) r.compatibility = compat;
  r.driver_advice = advice;
  return r;
}

TEST(Fleet, GroupsByDriverAndRecommendation) {
  std::vector<NodeRow> rows;
  for (auto n : {"gpu10", "gpu2", "gpu1"})
    rows.push_back(surveyed(n, "ok", "535.183.01", rec("2.14.1", "cu126", "minor")));
  rows.push_back(surveyed("gpu3", "problems", "535.183.01", rec("2.14.1", "cu126", "minor")));
  rows.push_back(surveyed("old1", "ok", "470.256.02", rec("2.7.1", "cu118", "minor", true)));
  rows.push_back(surveyed("login", "no-gpu", std::nullopt, rec("2.14.1", "cpu", nullptr), 0));
  rows.push_back(surveyed("t4", "problems", std::nullopt));
  rows.push_back(down("n3", NodeState::unreachable));
  auto f = aggregate(rows, {});
  ASSERT_EQ(f.rows.size(), 8u);
  EXPECT_EQ(f.rows[0].name, "gpu1");  // natural order
  EXPECT_EQ(f.rows[3].name, "gpu10");
  EXPECT_EQ(f.status, "problems");
  EXPECT_EQ(f.ok, 4);
  EXPECT_EQ(f.problems, 2);
  EXPECT_EQ(f.no_gpu, 1);
  EXPECT_EQ(f.not_surveyed, 1);
  ASSERT_EQ(f.groups.size(), 5u);
  auto en = i18n::Lang::en;
  EXPECT_EQ(f.groups[0].sentence(en),
            "4 nodes: driver 535 (CUDA ≤ 12.2) → torch 2.14.1 with cu126 through minor compatibility");
  EXPECT_EQ(f.groups[0].nodes, (std::vector<std::string>{"gpu1", "gpu2", "gpu3", "gpu10"}));
  EXPECT_EQ(f.groups[0].with_problems, std::vector<std::string>{"gpu3"});
  EXPECT_EQ(f.groups[1].sentence(en),
            "1 node: driver 470 (CUDA ≤ 11.4) → at most torch 2.7.1 with cu118 through minor compatibility; "
            "upgrade the driver for newer releases");
  EXPECT_EQ(f.groups[2].sentence(en), "1 node: NVIDIA GPU without a loaded driver");
  EXPECT_EQ(f.groups[3].sentence(en), "1 node without an NVIDIA GPU");
  EXPECT_EQ(f.groups[4].sentence(en), "1 node unreachable");
  EXPECT_EQ(f.groups[0].sentence(i18n::Lang::ja),
            "4 台: ドライバ 535（CUDA ≤ 12.2）→ torch 2.14.1（cu126）（マイナーバージョン互換で動作）");
  EXPECT_EQ(exit_code(f), 1);
}

TEST(Fleet, DriverAdviceSaysWhatANewerDriverUnlocks) {
  auto r = rec("2.7.1", "cu118", "minor", true);
  r.advice_driver = "580.65.06";
  r.advice_torch = "2.14.1";
  r.advice_variant = "cu130";
  auto f = aggregate({surveyed("old1", "ok", "470.256.02", r), surveyed("old2", "ok", "470.256.02", r)}, {});
  ASSERT_EQ(f.groups.size(), 1u);
  EXPECT_EQ(f.groups[0].sentence(i18n::Lang::en),
            "2 nodes: driver 470 (CUDA ≤ 11.4) → at most torch 2.7.1 with cu118 through minor compatibility; "
            "driver 580.65.06 or newer runs torch 2.14.1 with cu130");
  r.torch = "2.14.1";  // the same release, a better build: no "at most"
  auto g = aggregate({surveyed("a", "ok", "535.1", r)}, {});
  EXPECT_EQ(g.groups[0].sentence(i18n::Lang::en),
            "1 node: driver 535 (CUDA ≤ 12.2) → torch 2.14.1 with cu118 through minor compatibility; driver "
            "580.65.06 or newer runs torch 2.14.1 with cu130");
}

TEST(Fleet, NoRecommendationAndUnknownCuda) {
  auto row = surveyed("x", "ok", "999.1", std::nullopt);
  row.report->cuda_max = std::nullopt;
  auto f = aggregate({row}, {});
  ASSERT_EQ(f.groups.size(), 1u);
  EXPECT_EQ(f.groups[0].sentence(i18n::Lang::en),
            "1 node: driver 999 (CUDA ≤ unknown); the reports carry no recommendation");
}

TEST(Fleet, StatusOfTheWholeFleet) {
  EXPECT_EQ(
      aggregate({surveyed("a", "ok", "535.1"), surveyed("b", "no-gpu", std::nullopt, {}, 0)}, {}).status,
      "ok");
  EXPECT_EQ(aggregate({surveyed("b", "no-gpu", std::nullopt, {}, 0)}, {}).status, "no-gpu");
  EXPECT_EQ(aggregate({surveyed("a", "ok", "535.1"), down("c", NodeState::silent)}, {}).status, "problems");
  // Skipped inputs are listed but do not change the status of the nodes that were read...
  std::vector<InputProblem> skipped{{"bad.json", {"fleet.input.empty", {}}}};
  auto f = aggregate({surveyed("a", "ok", "535.1")}, skipped);
  EXPECT_EQ(f.status, "ok");
  EXPECT_EQ(exit_code(f), 0);
  // ...but with nothing readable at all, there is no fleet to call healthy.
  EXPECT_EQ(aggregate({}, skipped).status, "problems");
}

TEST(Fleet, DocumentsBecomeRowsOrSkipped) {
  std::vector<InputDoc> docs{
      {"a.json", std::nullopt, "a",
       R"({"schema_version": 1, "machine": {"host": {"name": "gpu01"}}, "findings": []})"},
      {"b.json", std::nullopt, "b-stem", R"({"schema_version": 1, "machine": {}, "findings": []})"},
      {"stdin (n7)", "n7", "n7",
       R"({"schema_version": 1, "machine": {"host": {"name": "n7.lab"}}, "findings": []})"},
      {"c.json", std::nullopt, "c", R"({"schema_version": 3})"}};
  std::vector<NodeRow> rows;
  std::vector<InputProblem> skipped;
  add_documents(docs, kb::KnowledgeBase::builtin(), rows, skipped);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].name, "gpu01");   // the report's host name
  EXPECT_EQ(rows[1].name, "b-stem");  // no host name: the file's stem
  EXPECT_EQ(rows[2].name, "n7");      // the name the input gives wins
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].source, "c.json");
}

}  // namespace
}  // namespace gpuenv::fleet
