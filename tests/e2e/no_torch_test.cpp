// "No PyTorch in this environment" (torch-not-installed, info) is said in full for the environments
// the user is likely to work in; the others' lines already say "no torch", and when there are two or
// more, one note counts them — a machine with ten pyenv versions gets one note, not ten paragraphs.
// The JSON keeps one finding per environment (design.md §5).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(NoTorch, EnvironmentsNobodyNamedAreCountedInOneNote) {
  const std::string root = fixture_root("envs-pip");
  auto json = run_gpuenv({"doctor", "--json", "--root", root}, {{"HOME", "/home/bob"}});
  auto j = nlohmann::json::parse(json.out);
  std::size_t findings = 0;
  for (auto& f : j.at("findings")) findings += f.at("id") == "torch-not-installed";
  ASSERT_EQ(findings, 5u) << json.out;  // the JSON still has one per environment

  auto text = run_gpuenv({"doctor", "--root", root}, {{"HOME", "/home/bob"}});
  EXPECT_EQ(count(text.out, "No PyTorch in this environment"), 0u) << text.out;
  EXPECT_EQ(
      count(text.out, "info: No PyTorch in 5 environments (marked “no torch” above) [torch-not-installed]"),
      1u)
      << text.out;
  EXPECT_EQ(count(text.out, "no torch\n"), 5u) << text.out;
  // The command in the hint stays whole on one line, to paste.
  EXPECT_EQ(count(text.out, "\n    `gpuenv install --env DIR` installs it there.\n"), 1u) << text.out;

  auto ja = run_gpuenv({"doctor", "--lang", "ja", "--root", root}, {{"HOME", "/home/bob"}});
  EXPECT_EQ(count(ja.out, "5 個の環境に PyTorch がありません（上で「torch なし」と示したもの）"), 1u)
      << ja.out;

  auto md = run_gpuenv({"doctor", "--format", "markdown", "--root", root}, {{"HOME", "/home/bob"}});
  EXPECT_EQ(count(md.out, "`torch-not-installed`"), 1u) << md.out;
  EXPECT_EQ(count(md.out, "No PyTorch in 5 environments"), 1u) << md.out;
}

TEST(NoTorch, TheEnvironmentNamedWithEnvIsSaidInFull) {
  const std::string root = fixture_root("envs-pip");
  auto text = run_gpuenv({"doctor", "--root", root, "--env", "/home/bob/old-venv"}, {{"HOME", "/home/bob"}});
  EXPECT_EQ(count(text.out, "/home/bob/old-venv has no torch installed."), 1u) << text.out;
  EXPECT_EQ(count(text.out, "No PyTorch in 4 environments"), 1u) << text.out;
}

TEST(NoTorch, OneSuchEnvironmentIsSaidInFull) {
  // fm-03: the activated conda env has a CPU torch, the base env none: one paragraph, no count.
  auto root = source_dir() + "/tests/fixtures/scenarios/fm-03-cpu-wheel-next-to-cudatoolkit/root";
  auto text = run_gpuenv({"doctor", "--root", root},
                         {{"HOME", "/home/mei"}, {"CONDA_PREFIX", "/home/mei/miniconda3/envs/torch"}});
  EXPECT_EQ(count(text.out, "/home/mei/miniconda3 has no torch installed."), 1u) << text.out;
  EXPECT_EQ(count(text.out, "environments (marked “no torch” above)"), 0u) << text.out;
}

}  // namespace
}  // namespace gpuenv::test
