#include "fleet/report.hpp"

#include <gtest/gtest.h>

#include "support/testsupport.hpp"

namespace gpuenv::fleet {
namespace {

const kb::KnowledgeBase& kb() {
  return kb::KnowledgeBase::builtin();
}

std::string fixture(const std::string& name) {
  return test::read_file(test::source_dir() + "/tests/fixtures/fleet/reports/" + name);
}

TEST(Report, ReadsADoctorReport) {
  auto p = parse_report(fixture("gpu05.json"), kb());
  ASSERT_TRUE(p.report) << p.error->reason.en();
  const auto& r = *p.report;
  EXPECT_EQ(r.host, "gpu05");
  EXPECT_EQ(r.status, "problems");
  EXPECT_FALSE(r.diagnosed_here);
  EXPECT_EQ(r.tool_version, "0.1.0");
  EXPECT_EQ(r.kb_version, "2026.11.1");
  ASSERT_EQ(r.gpus.size(), 1u);
  EXPECT_EQ(r.gpus[0].name, "NVIDIA A100-SXM4-80GB");
  EXPECT_EQ(r.gpus[0].count, 4);
  EXPECT_EQ(r.gpus[0].compute_capability, "8.0");
  EXPECT_EQ(r.gpu_count, 4);
  EXPECT_EQ(r.driver_version, "535.183.01");
  EXPECT_EQ(r.driver_branch(), "535");
  EXPECT_EQ(r.cuda_max, "12.2");
  EXPECT_EQ(r.os, "ubuntu 22.04");
  EXPECT_EQ(r.envs, 3);
  EXPECT_EQ(r.envs_broken, 1);
  ASSERT_NE(r.worst(), nullptr);
  EXPECT_EQ(r.worst()->id, "torch-cpu-build");
  EXPECT_EQ(r.count("error"), 1);
  EXPECT_EQ(r.count("warning"), 1);
  ASSERT_TRUE(r.recommendation);
  EXPECT_EQ(r.recommendation->torch, "2.14.0");
  EXPECT_EQ(r.recommendation->variant, "cu126");
  EXPECT_EQ(r.recommendation->compatibility, "minor");
  EXPECT_TRUE(r.recommendation->driver_advice);
  EXPECT_EQ(r.recommendation->advice_driver, "580.65.06");
  EXPECT_EQ(r.recommendation->advice_torch, "2.14.0");
  EXPECT_EQ(r.recommendation->advice_variant, "cu130");
  ASSERT_TRUE(r.machine);
  EXPECT_EQ(r.machine->gpus.size(), 4u);
}

TEST(Report, MixedGpusAndTheLowestCapability) {
  auto p = parse_report(fixture("mix01.json"), kb());
  ASSERT_TRUE(p.report);
  ASSERT_EQ(p.report->gpus.size(), 2u);
  EXPECT_EQ(p.report->gpus[1].name, "NVIDIA GeForce GTX 1080");
  EXPECT_EQ(p.report->min_compute_capability(), "6.1");
  auto h = parse_report(fixture("hgx01.json"), kb());
  ASSERT_TRUE(h.report);
  EXPECT_EQ(h.report->min_compute_capability(), "9.0");
  EXPECT_EQ(h.report->worst(), nullptr);
}

TEST(Report, ASnapshotIsDiagnosedHere) {
  auto p = parse_report(fixture("cpu01.json"), kb());
  ASSERT_TRUE(p.report);
  EXPECT_TRUE(p.report->diagnosed_here);
  EXPECT_EQ(p.report->status, "no-gpu");
  ASSERT_EQ(p.report->findings.size(), 1u);
  EXPECT_EQ(p.report->findings[0].id, "no-nvidia-gpu");
  EXPECT_FALSE(p.report->host.has_value());
  // Planned here too: a CPU build for a machine without GPU.
  ASSERT_TRUE(p.report->recommendation.has_value());
  EXPECT_EQ(p.report->recommendation->variant, "cpu");
}

TEST(Report, DriverAdviceAsAnOlderReportWroteIt) {
  auto p = parse_report(
      R"({"schema_version": 1, "machine": {}, "findings": [],
          "recommendation": {"torch": "2.5.1", "variant": "cu118", "driver_advice": "use R580"}})",
      kb());
  ASSERT_TRUE(p.report);
  EXPECT_TRUE(p.report->recommendation->driver_advice);
  EXPECT_FALSE(p.report->recommendation->advice_driver);
}

TEST(Report, StatusIsComputedWhenAbsent) {
  auto p = parse_report(
      R"({"schema_version": 1, "machine": {"gpus": [{"name": "Tesla T4"}]},
          "findings": [{"id": "driver-not-loaded", "severity": "error"}]})",
      kb());
  ASSERT_TRUE(p.report);
  EXPECT_EQ(p.report->status, "problems");
  EXPECT_EQ(p.report->driver_branch(), std::nullopt);
}

struct Bad {
  const char* text;
  ReportError::Kind kind;
  const char* reason;
};

TEST(Report, UnusableDocumentsSayWhy) {
  const Bad cases[] = {
      {"{\"schema_version\": 1, \"machine\": {\"gpus\": \"four\"}, \"findings\": []}",
       ReportError::Kind::malformed, "malformed report: machine.gpus: expected an array"},
      {"{\"schema_version\": 2, \"machine\": {}}", ReportError::Kind::schema,
       "schema_version 2: this gpuenv reads version 1; use a matching gpuenv to read it"},
      {"{\"schema_version\": \"1\", \"machine\": {}}", ReportError::Kind::schema,
       "schema_version \"1\": this gpuenv reads version 1; use a matching gpuenv to read it"},
      {"{\"hello\": \"world\"}", ReportError::Kind::not_report, "not a gpuenv report (no schema_version)"},
      {"[1, 2]", ReportError::Kind::not_report, "not a gpuenv report (the document is not a JSON object)"},
      {"{\"schema_version\": 1}", ReportError::Kind::not_report, "not a gpuenv report (no machine object)"},
      {"{\"schema_version\": 1, \"machine\": {}, \"findings\": [{\"id\": \"x\", \"severity\": \"fatal\"}]}",
       ReportError::Kind::malformed,
       "malformed report: findings[0].severity: expected error, warning or info"},
      {"{\"schema_version\": 1, \"machine\": {}, \"findings\": [], \"status\": \"great\"}",
       ReportError::Kind::malformed, "malformed report: status: expected ok, problems or no-gpu"},
      {"{\"schema_version\": 1, \"machine\": {}, \"findings\": [], \"recommendation\": {\"torch\": 2}}",
       ReportError::Kind::malformed, "malformed report: recommendation.torch: expected a string"},
      {"{\"schema_version\": 1,", ReportError::Kind::not_json,
       "not JSON: parse error at line 1, column 22: syntax error while parsing object key - unexpected end "
       "of "
       "input; expected string literal"},
      {"", ReportError::Kind::not_json,
       "not JSON: parse error at line 1, column 1: syntax error while parsing value - unexpected end of "
       "input; "
       "expected '[', '{', or a literal"},
  };
  for (auto& c : cases) {
    auto p = parse_report(c.text, kb());
    EXPECT_FALSE(p.report) << c.text;
    ASSERT_TRUE(p.error) << c.text;
    EXPECT_EQ(p.error->kind, c.kind) << c.text;
    EXPECT_EQ(p.error->reason.en(), c.reason) << c.text;
  }
}

}  // namespace
}  // namespace gpuenv::fleet
