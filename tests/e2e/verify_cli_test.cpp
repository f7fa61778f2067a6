// `gpuenv verify` usage errors: answered before any Python starts (fast; no interpreter needed).
#include <gtest/gtest.h>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

TEST(VerifyCli, MissingInterpreterIsUsageError) {
  auto r = run_gpuenv({"verify", "--python", "/nonexistent/bin/python3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "error: cannot verify: the interpreter /nonexistent/bin/python3 does not exist or is not executable\n");
  EXPECT_EQ(r.out, "");
}

TEST(VerifyCli, EnvWithoutInterpreterIsUsageError) {
  TempDir d;
  d.mkdir("env/bin");
  auto r = run_gpuenv({"verify", "--env", d.path() + "/env"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: cannot verify: the environment " + d.path() + "/env has no bin/python3 or bin/python\n");
}

TEST(VerifyCli, RootIsRefused) {
  auto r = run_gpuenv({"verify", "--root", fixture_root("empty"), "--python", "/usr/bin/python3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: verify runs real work on this machine, so it cannot be used with --root\n");
}

TEST(VerifyCli, BadTimeoutIsUsageError) {
  auto r = run_gpuenv({"verify", "--timeout", "0"});
  EXPECT_EQ(r.exit_code, 2);
  auto s = run_gpuenv({"verify", "--timeout", "soon"});
  EXPECT_EQ(s.exit_code, 2);
}

TEST(VerifyCli, NoInterpreterAnywhere) {
  TempDir d;
  auto r = run_gpuenv({"verify"}, {{"PATH", d.path()}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no Python interpreter found"), std::string::npos) << r.err;
}

TEST(VerifyCli, JapaneseUsageError) {
  auto r = run_gpuenv({"verify", "--lang", "ja", "--python", "/nonexistent/python"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "エラー: 確認できません: インタープリタ /nonexistent/python が存在しないか、実行できません\n");
}

TEST(VerifyCli, HelpListsVerify) {
  auto r = run_gpuenv({"--help"});
  EXPECT_NE(r.out.find("verify"), std::string::npos);
  auto v = run_gpuenv({"verify", "--help"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("--cpu-ok"), std::string::npos);
  EXPECT_NE(v.out.find("--quick"), std::string::npos);
  EXPECT_NE(v.out.find("--timeout"), std::string::npos);
}

}  // namespace
}  // namespace gpuenv::test
