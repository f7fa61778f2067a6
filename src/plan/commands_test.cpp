// Install commands per era of the PyTorch indexes, checked as exact text (they are the product).
#include "plan/commands.hpp"

#include <gtest/gtest.h>

#include "support/testsupport.hpp"

namespace gpuenv::plan {
namespace {

const kb::KnowledgeBase& frozen() {
  static const kb::KnowledgeBase kb = kb::KnowledgeBase::from_json(
      nlohmann::json::parse(test::read_file(test::source_dir() + "/tests/fixtures/kb/frozen.json")));
  return kb;
}

Commands cmds(const char* series, const char* version, const char* variant, std::string_view platform) {
  const kb::TorchSeries* s = frozen().torch_series(series);
  EXPECT_NE(s, nullptr);
  for (auto& r : s->releases)
    if (r.version == version) return make_commands(frozen(), *s, r, *s->variant(variant), platform);
  ADD_FAILURE() << version;
  return {};
}

TEST(Commands, CondaChannelUpTo251) {
  auto c = cmds("2.5", "2.5.1", "cu124", kb::kLinuxX86);
  EXPECT_EQ(c.pip,
            "python -m pip install torch==2.5.1 torchvision==0.20.1 torchaudio==2.5.1");  // PyPI default
  EXPECT_EQ(c.conda,
            "conda install pytorch==2.5.1 torchvision==0.20.1 torchaudio==2.5.1 pytorch-cuda=12.4 -c pytorch "
            "-c nvidia");
  EXPECT_TRUE(c.conda_native);
  auto w = cmds("2.5", "2.5.1", "cu121", kb::kWindowsX86);
  EXPECT_EQ(w.pip,
            "python -m pip install torch==2.5.1 torchvision==0.20.1 torchaudio==2.5.1 --index-url "
            "https://download.pytorch.org/whl/cu121");
  EXPECT_EQ(w.uv, "uv pip install torch==2.5.1 torchvision==0.20.1 torchaudio==2.5.1 --torch-backend=cu121");
}

TEST(Commands, CondaPairsCanDifferFromPip) {
  auto c = cmds("2.0", "2.0.0", "cu118", kb::kLinuxX86);
  EXPECT_EQ(c.conda,
            "conda install pytorch==2.0.0 torchvision==0.15.0 torchaudio==2.0.0 pytorch-cuda=11.8 -c pytorch "
            "-c nvidia");
  EXPECT_EQ(c.pip,
            "python -m pip install torch==2.0.0 torchvision==0.15.1 torchaudio==2.0.1 --index-url "
            "https://download.pytorch.org/whl/cu118");
}

TEST(Commands, OlderIndexStyles) {
  auto c = cmds("1.13", "1.13.1", "cu116", kb::kLinuxX86);
  EXPECT_EQ(c.pip,
            "python -m pip install torch==1.13.1+cu116 torchvision==0.14.1+cu116 torchaudio==0.13.1 "
            "--extra-index-url https://download.pytorch.org/whl/cu116");
  auto f = cmds("1.12", "1.12.1", "cu113", kb::kLinuxX86);
  EXPECT_EQ(f.pip,
            "python -m pip install torch==1.12.1+cu113 torchvision==0.13.1+cu113 torchaudio==0.12.1 -f "
            "https://download.pytorch.org/whl/cu113/torch_stable.html");
  EXPECT_EQ(f.uv,
            "uv pip install torch==1.12.1+cu113 torchvision==0.13.1+cu113 torchaudio==0.12.1 --find-links "
            "https://download.pytorch.org/whl/cu113/torch_stable.html");
  EXPECT_EQ(
      f.conda,
      "conda install pytorch==1.12.1 torchvision==0.13.1 torchaudio==0.12.1 cudatoolkit=11.3 -c pytorch");
}

TEST(Commands, AfterTheCondaChannelPipInsideConda) {
  auto c = cmds("2.14", "2.14.0", "cu130", kb::kLinuxX86);
  EXPECT_EQ(c.pip, "python -m pip install torch==2.14.0 torchvision==0.29.0");  // cu130 is the PyPI default
  EXPECT_EQ(c.uv, "uv pip install torch==2.14.0 torchvision==0.29.0");
  EXPECT_FALSE(c.conda_native);
  EXPECT_EQ(c.conda, c.pip);
  ASSERT_TRUE(c.conda_note);
  EXPECT_EQ(c.conda_note->id, "plan.conda.use_pip");
  auto n = cmds("2.14", "2.14.0", "cu132", kb::kLinuxX86);
  EXPECT_EQ(
      n.uv,
      "uv pip install torch==2.14.0 torchvision==0.29.0 --index-url https://download.pytorch.org/whl/cu132");
}

TEST(Commands, CondaForgeBuildIsQuoted) {
  auto c = cmds("2.13", "2.13.0", "cu130", kb::kWindowsX86);
  EXPECT_EQ(c.conda, "conda install -c conda-forge \"pytorch=2.13.0=cuda130*\"");
  EXPECT_TRUE(c.conda_native);
}

TEST(ShellWord, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(shell_word("torch==2.5.1+cu124"), "torch==2.5.1+cu124");
  EXPECT_EQ(shell_word("https://download.pytorch.org/whl/cu126"), "https://download.pytorch.org/whl/cu126");
  EXPECT_EQ(shell_word("torch>=2.0,<2.5"), "\"torch>=2.0,<2.5\"");
  EXPECT_EQ(shell_word("a b"), "\"a b\"");
  EXPECT_EQ(shell_word("it's $HOME"), "'it'\\''s $HOME'");
  EXPECT_EQ(shell_word(""), "\"\"");
}

}  // namespace
}  // namespace gpuenv::plan
