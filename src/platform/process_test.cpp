#include "platform/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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

// Whether `pid` is still a live process (a zombie awaiting its reaper counts as gone).
bool alive(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return false;
  std::string line;
  std::getline(in, line);
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

TEST(ProcessSafety, TimeoutKillsWhatTheChildStartedToo) {
  // The child dies on SIGTERM at once; its own child ignores SIGTERM and would live on.
  RealCommandRunner r;
  Command c;
  c.argv = {"sh", "-c", "(trap '' TERM; exec sleep 60) & echo $!; exec sleep 60"};
  c.timeout = std::chrono::milliseconds(500);
  auto res = r.run(c);
  EXPECT_EQ(res.status, CommandResult::Status::timed_out);
  ASSERT_FALSE(res.out.empty());
  pid_t grandchild = static_cast<pid_t>(std::stol(res.out));
  // SIGKILL is delivered at once, but the reaper (init) may take a moment to collect it.
  for (int i = 0; i < 200 && alive(grandchild); ++i) ::usleep(10000);
  EXPECT_FALSE(alive(grandchild)) << "pid " << grandchild << " survived the timeout";
}

TEST(ProcessSafety, ChildThatClosesItsOutputAndHangsIsKilled) {
  RealCommandRunner r;
  Command c;
  c.argv = {"sh", "-c", "exec >/dev/null 2>&1 </dev/null; exec sleep 60"};
  c.timeout = std::chrono::milliseconds(300);
  auto res = r.run(c);
  EXPECT_EQ(res.status, CommandResult::Status::timed_out);
}

TEST(ProcessSafety, FloodingChildIsBoundedAndKilled) {
  RealCommandRunner r;
  Command c;
  c.argv = {"yes", "flood"};
  c.timeout = std::chrono::milliseconds(300);
  c.output_cap = 4096;
  auto res = r.run(c);
  EXPECT_EQ(res.status, CommandResult::Status::timed_out);
  EXPECT_EQ(res.out.size(), 4096u);
  EXPECT_TRUE(res.truncated);
  EXPECT_EQ(res.out.substr(0, 6), "flood\n");
}

TEST(ProcessSafety, EmptyOrRelativePathEntriesNeverMeanTheCurrentDirectory) {
  auto dir = std::filesystem::temp_directory_path() / ("gpuenv-path-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto prog = dir / "gpuenv-planted-tool";
  std::ofstream(prog) << "#!/bin/sh\necho planted\n";
  std::filesystem::permissions(prog, std::filesystem::perms::owner_all);
  auto old = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  EXPECT_EQ(find_program("gpuenv-planted-tool", ""), std::nullopt);
  EXPECT_EQ(find_program("gpuenv-planted-tool", ":/usr/bin"), std::nullopt);
  EXPECT_EQ(find_program("gpuenv-planted-tool", ".:bin"), std::nullopt);
  EXPECT_EQ(find_program("gpuenv-planted-tool", dir.string()), prog.string());
  std::filesystem::current_path(old);
  std::filesystem::remove_all(dir);
}

// Nothing in gpuenv starts a shell: every program runs through RealCommandRunner (posix_spawn of an
// argv whose program is an explicit path or found on PATH). A source that calls system(), popen(),
// an exec*() or spawns "sh -c" fails here.
TEST(ProcessSafety, NoSourceRunsAShell) {
  const char* src = std::getenv("GPUENV_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  // Members called system() (python_discover.cpp) are not the C library's: only qualified calls count.
  std::vector<std::string> banned = {"std::system(", "::system(",      "popen(",
                                     "execl",        "execv",          "fork(",
                                     "\"/bin/sh\"",  "\"sh\", \"-c\"", "\"bash\", \"-c\""};
  int scanned = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(std::filesystem::path(src) / "src")) {
    auto p = e.path().string();
    if (!e.is_regular_file() || p.ends_with("_test.cpp")) continue;
    if (!p.ends_with(".cpp") && !p.ends_with(".hpp")) continue;
    ++scanned;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (auto& b : banned) EXPECT_EQ(text.find(b), std::string::npos) << p << " contains " << b;
    // The one place that starts programs.
    if (!p.ends_with("src/platform/process.cpp") && !p.ends_with("src/platform/process.hpp")) {
      EXPECT_EQ(text.find("posix_spawn"), std::string::npos) << p << " spawns a program itself";
    }
  }
  EXPECT_GT(scanned, 50);
}

}  // namespace
}  // namespace gpuenv::platform
