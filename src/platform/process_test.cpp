#include "platform/process.hpp"

#include <gtest/gtest.h>

namespace gpuenv::platform {
namespace {

TEST(Process, RunsArgvWithoutShell) {
  RealCommandRunner r;
  Command c;
  c.argv = {"printf", "%s|%s", "a b", "$HOME;'\"quoted\"'"};
  auto res = r.run(c);
  ASSERT_TRUE(res.ok()) << res.error;
  EXPECT_EQ(res.out, "a b|$HOME;'\"quoted\"'");
}

TEST(Process, NotFound) {
  RealCommandRunner r;
  Command c;
  c.argv = {"gpuenv-no-such-program-xyz"};
  auto res = r.run(c);
  EXPECT_EQ(res.status, CommandResult::Status::not_found);
}

TEST(Process, TimeoutKillsTheChild) {
  RealCommandRunner r;
  Command c;
  c.argv = {"sleep", "30"};
  c.timeout = std::chrono::milliseconds(200);
  auto res = r.run(c);
  EXPECT_EQ(res.status, CommandResult::Status::timed_out);
}

TEST(Process, CancelStopsTheChildsProcessGroup) {
  RealCommandRunner r;
  std::atomic<bool> flag{false};
  Command c;
  // The child prints, then would sleep for a minute; the first output raises the flag (Ctrl-C).
  c.argv = {"/usr/bin/python3", "-c", "import sys, time; print('started', flush=True); time.sleep(60)"};
  c.cancel = &flag;
  c.on_output = [&](bool, std::string_view) { flag = true; };
  auto res = r.run(c);
  EXPECT_TRUE(res.cancelled);
  EXPECT_EQ(res.status, CommandResult::Status::signaled);
  EXPECT_TRUE(res.out.starts_with("started")) << res.out;
}

TEST(Process, OutputIsBounded) {
  RealCommandRunner r;
  Command c;
  c.argv = {"head", "-c", "100000", "/dev/zero"};
  c.output_cap = 1000;
  auto res = r.run(c);
  EXPECT_TRUE(res.ok());
  EXPECT_EQ(res.out.size(), 1000u);
  EXPECT_TRUE(res.truncated);
}

TEST(Process, ExitCodeAndStdinAndEnv) {
  RealCommandRunner r;
  Command c;
  c.argv = {"sh", "-c",
            "cat; echo \"$GPUENV_T\"; exit 3"};  // sh is the program under test here, not a wrapper
  c.stdin_data = "in\n";
  c.env["GPUENV_T"] = "value with spaces";
  auto res = r.run(c);
  EXPECT_EQ(res.status, CommandResult::Status::exited);
  EXPECT_EQ(res.exit_code, 3);
  EXPECT_EQ(res.out, "in\nvalue with spaces\n");
}

TEST(Process, QuoteForDisplay) {
  EXPECT_EQ(
      quote_argv({"pip", "install", "torch==2.5.1", "--index-url", "https://download.pytorch.org/whl/cu124"}),
      "pip install torch==2.5.1 --index-url https://download.pytorch.org/whl/cu124");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("torch>=2.3,<2.6"), "'torch>=2.3,<2.6'");
  EXPECT_EQ(shell_quote(""), "''");
}

}  // namespace
}  // namespace gpuenv::platform
