#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

TEST(Cli, VersionPrintsToolVersion) {
  auto r = run_gpuenv({"--version"});
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, "gpuenv 0.1.0\n");
}

TEST(Cli, UnknownOptionIsUsageError) {
  auto r = run_gpuenv({"--definitely-not-an-option"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(Cli, BadFormatIsUsageError) {
  auto r = run_gpuenv({"doctor", "--format", "yaml", "--root", fixture_root("empty")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("yaml"), std::string::npos);
}

TEST(Cli, MissingRootIsUsageError) {
  auto r = run_gpuenv({"doctor", "--root", "/nonexistent/gpuenv-root"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/gpuenv-root"), std::string::npos);
}

TEST(Cli, DoctorJsonOnEmptyRootIsNoGpu) {
  auto r = run_gpuenv({"doctor", "--json", "--root", fixture_root("empty")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["status"], "no-gpu");
  EXPECT_TRUE(j["machine"]["gpus"].empty());
  ASSERT_FALSE(j["findings"].empty());
  EXPECT_EQ(j["findings"][0]["id"], "no-nvidia-gpu");
  EXPECT_EQ(j["findings"][0]["severity"], "info");
}

TEST(Cli, HelpListsCommands) {
  auto r = run_gpuenv({"--help"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("doctor"), std::string::npos);
  EXPECT_NE(r.out.find("facts"), std::string::npos);
}

}  // namespace
}  // namespace gpuenv::test
