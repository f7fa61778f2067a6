// Output that reaches a terminal (issue 11): names and file contents another user of the machine can
// choose — a venv's directory name, os-release — must not reach the terminal as escape sequences,
// bidirectional overrides or invalid UTF-8, in any output form; JSON keeps the exact value.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

namespace fs = std::filesystem;

const std::string kClear = "ev\x1b[2J\x1b]0;owned\x07il";  // clears the screen, retitles the window
const std::string kCsi =
    "csi\xc2\x9b"
    "31m";  // the one-byte CSI of C1
const std::string kRlo =
    "\xe2\x80\xae"
    "txt.exe";  // shown right to left
const std::string kBad =
    "cu\xff"
    "124";  // not UTF-8

struct EvilRoot {
  TempDir dir;
  std::string root;
  EvilRoot() {
    root = dir.path() + "/root";
    fs::copy(fixture_root("envs-pip"), root, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    fs::create_directories(root + "/etc");
    write_file(root + "/etc/os-release",
               "PRETTY_NAME=\"Debian\x1b[2J\x1b]0;owned\x07 12\"\nID=debian\nVERSION_ID=\"12\"\n");
    for (auto& name : {kClear, kCsi, kRlo, kBad})
      fs::copy(root + "/home/bob/venvs/cu124", root + "/home/bob/venvs/" + name,
               fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  }
};

bool has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

void expect_terminal_safe(const std::string& out, const std::string& what) {
  EXPECT_FALSE(has(out, "\x1b")) << what;
  EXPECT_FALSE(has(out, "\x07")) << what;
  EXPECT_FALSE(has(out, "\xc2\x9b")) << what;
  EXPECT_FALSE(has(out, "\xe2\x80\xae")) << what;
  EXPECT_FALSE(has(out, "\xff")) << what;
}

TEST(TerminalOutput, NamesFromTheMachineCannotDriveTheTerminal) {
  EvilRoot e;
  for (std::vector<std::string> args : {std::vector<std::string>{"doctor"},
                                        {"doctor", "--format", "markdown"},
                                        {"envs"},
                                        {"envs", "-v"},
                                        {"doctor", "-v", "--lang", "ja"},
                                        {"doctor", "--json"},
                                        {"facts", "--json"}}) {
    args.insert(args.end(), {"--root", e.root});
    auto r = run_gpuenv(args, {{"HOME", "/home/bob"}});
    std::string what = args[0] + " " + args[1];
    ASSERT_LE(r.exit_code, 1) << what << r.err;
    expect_terminal_safe(r.out, what + " (stdout)");
    expect_terminal_safe(r.err, what + " (stderr)");
  }
  // The text shows each name, escaped where it had to be.
  auto text = run_gpuenv({"envs", "--root", e.root}, {{"HOME", "/home/bob"}});
  EXPECT_TRUE(has(text.out, "/home/bob/venvs/ev\\u001b[2J\\u001b]0;owned\\u0007il")) << text.out;
  EXPECT_TRUE(has(text.out, "/home/bob/venvs/csi\\u009b31m")) << text.out;
  EXPECT_TRUE(has(text.out, "/home/bob/venvs/\\u202etxt.exe")) << text.out;
  EXPECT_TRUE(has(text.out,
                  "/home/bob/venvs/cu\xef\xbf\xbd"
                  "124"))
      << text.out;
  auto doctor = run_gpuenv({"doctor", "--root", e.root}, {{"HOME", "/home/bob"}});
  EXPECT_TRUE(has(doctor.out, "Debian\\u001b[2J\\u001b]0;owned\\u0007 12")) << doctor.out;
}

TEST(TerminalOutput, JsonStillCarriesTheExactNames) {
  EvilRoot e;
  auto r = run_gpuenv({"envs", "--json", "--root", e.root}, {{"HOME", "/home/bob"}});
  ASSERT_LE(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);  // throws (fails the test) when the escaping broke the JSON
  std::vector<std::string> paths;
  for (auto& env : j.at("python_envs")) paths.push_back(env.at("path").get<std::string>());
  auto listed = [&](const std::string& p) { return std::find(paths.begin(), paths.end(), p) != paths.end(); };
  EXPECT_TRUE(listed("/home/bob/venvs/" + kClear));
  EXPECT_TRUE(listed("/home/bob/venvs/" + kCsi));
  EXPECT_TRUE(listed("/home/bob/venvs/" + kRlo));
  EXPECT_TRUE(
      listed("/home/bob/venvs/cu\xef\xbf\xbd"
             "124"));  // JSON cannot hold the byte: U+FFFD, as before
}

}  // namespace
}  // namespace gpuenv::test
