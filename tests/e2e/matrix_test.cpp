// `gpuenv matrix`: the knowledge base printed, and its JSON read back with --kb unchanged.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

TEST(MatrixE2e, JsonRoundTripsThroughKb) {
  auto first = run_gpuenv({"matrix", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  TempDir t;
  std::string file = t.write("kb.json", first.out);
  auto second = run_gpuenv({"matrix", "--json", "--kb", file});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(first.out, second.out);
  auto j = nlohmann::json::parse(first.out);
  EXPECT_EQ(j["schema_version"], 1);
  for (const char* table : {"torch", "cuda_releases", "cuda_families", "cuda_targets", "cudnn",
                            "driver_branches", "arch_support", "gpus", "chips"})
    EXPECT_TRUE(j["tables"].contains(table)) << table;
}

TEST(MatrixE2e, FrozenCopyIsTheMatrixFormat) {
  std::string frozen = source_dir() + "/tests/fixtures/kb/frozen.json";
  auto r = run_gpuenv({"matrix", "--json", "--kb", frozen});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, read_file(frozen));
}

TEST(MatrixE2e, OneSection) {
  auto j = run_gpuenv({"matrix", "cuda", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["tables"].size(), 4u);
  auto gpus = run_gpuenv({"matrix", "gpus", "--kb", source_dir() + "/tests/fixtures/kb/frozen.json"});
  ASSERT_EQ(gpus.exit_code, 0);
  EXPECT_NE(gpus.out.find("  0x2684 NVIDIA GeForce RTX 4090"), std::string::npos);
  EXPECT_NE(gpus.out.find("Ada Lovelace 8.9  24576 MiB"), std::string::npos);
}

TEST(MatrixE2e, UnknownSectionAndBrokenKbAreUsageErrors) {
  auto r = run_gpuenv({"matrix", "nvcc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown table nvcc"), std::string::npos) << r.err;
  TempDir t;
  auto bad =
      run_gpuenv({"matrix", "--kb", t.write("bad.json", "{\"tables\": {\"torch\": {\"source\": \"x\"}}}")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.json"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("kb table torch: missing string \"checked\""), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace gpuenv::test
