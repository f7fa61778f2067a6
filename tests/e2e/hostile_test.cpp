// Hostile roots (issue 11): trees built at test time by tests/fixtures/make_hostile_roots.sh — symlink
// loops and chains, links out of the root, FIFOs and device nodes, a 2 GB sparse file, 100,000
// entries, NUL bytes and invalid UTF-8, broken conda-meta JSON, a home nested 120 levels deep,
// unreadable files. On each, every reading command must end with exit code 0 or 1 (never a signal,
// never a hang: the runner's generous timeout turns a hang into a failure), print valid JSON, name the
// problem paths, and never show anything from the marker files planted outside the root.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

using nlohmann::json;

constexpr const char* kMarker = "GPUENV_MARKER_OUTSIDE_ROOT";
constexpr const char* kMarkerVersion = "77.66.55";

struct Built {
  TempDir dir;
  std::string root;     ///< host path of the root
  std::string outside;  ///< host path of the marker directory
};

// Builds one hostile root (and the marker files next to it) in a fresh temporary directory.
std::unique_ptr<Built> build(const std::string& name) {
  auto b = std::make_unique<Built>();
  ::chmod(b->dir.path().c_str(), 0755);  // the permission test runs gpuenv as `nobody`
  platform::RealCommandRunner runner;
  platform::Command c;
  c.argv = {source_dir() + "/tests/fixtures/make_hostile_roots.sh", b->dir.path(), name};
  c.timeout = std::chrono::seconds(900);
  auto r = runner.run(c);
  EXPECT_TRUE(r.ok()) << r.err << r.error;
  b->root = b->dir.path() + "/" + name;
  b->outside = b->dir.path() + "/outside";
  return b;
}

struct Outcome {
  std::vector<std::string> args;
  platform::CommandResult r;
};

// Runs gpuenv as the current user, or as `nobody` through setpriv (no shell: setpriv execs gpuenv).
platform::CommandResult run_as(const std::vector<std::string>& args, bool as_nobody) {
  std::map<std::string, std::string> env = {{"HOME", "/home/eve"}, {"PATH", ""}, {"USER", "eve"}};
  if (!as_nobody) return run_gpuenv(args, env);
  platform::RealCommandRunner runner;
  platform::Command c;
  c.argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", gpuenv_binary()};
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.timeout = std::chrono::seconds(120);
  for (auto* k : {"LANG", "LC_ALL", "LC_MESSAGES", "VIRTUAL_ENV", "CONDA_PREFIX", "CUDA_HOME", "CUDA_PATH",
                  "LD_LIBRARY_PATH", "PYTHONPATH", "XDG_CACHE_HOME"})
    c.env[k] = std::nullopt;
  c.env["NO_COLOR"] = "1";
  c.env["GPUENV_TODAY"] = "2026-11-30";
  for (auto& [k, v] : env) c.env[k] = v;
  c.env["PATH"] = "/usr/bin:/bin";  // for setpriv itself; gpuenv is given by path
  return runner.run(c);
}

// Every reading command, in every machine-readable and text form, on `root`.
std::vector<Outcome> run_all(const std::string& root, bool as_nobody = false) {
  std::vector<std::vector<std::string>> commands = {{"doctor", "--json", "-v"},
                                                    {"facts", "--json"},
                                                    {"envs", "--json", "-v"},
                                                    {"doctor", "-v"},
                                                    {"envs"},
                                                    {"doctor", "--format", "markdown"},
                                                    {"doctor", "--redact", "--json"}};
  std::vector<Outcome> out;
  for (auto& args : commands) {
    auto a = args;
    a.insert(a.end(), {"--root", root, "--no-cache"});
    out.push_back({args, run_as(a, as_nobody)});
  }
  return out;
}

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

// The contract every hostile root is held to. Returns all outputs concatenated, for path checks.
std::string check_contract(const std::vector<Outcome>& runs, const Built& b) {
  std::string all;
  for (auto& [args, r] : runs) {
    SCOPED_TRACE(joined(args));
    EXPECT_EQ(r.status, platform::CommandResult::Status::exited)
        << "status " << static_cast<int>(r.status) << " signal " << r.signal << "\n"
        << r.err.substr(0, 2000);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code << "\n" << r.err.substr(0, 2000);
    bool is_json = std::find(args.begin(), args.end(), "--json") != args.end();
    if (is_json) {
      auto j = json::parse(r.out, nullptr, false);
      EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out.substr(0, 500);
      EXPECT_TRUE(j.is_object());
    }
    for (const std::string* s : {&r.out, &r.err}) {
      EXPECT_EQ(s->find(kMarker), std::string::npos) << "a marker file outside the root was read";
      EXPECT_EQ(s->find(kMarkerVersion), std::string::npos) << "a marker file outside the root was read";
      // Paths are machine paths (inside the root); the host path of the temporary tree never shows.
      EXPECT_EQ(s->find(b.dir.path()), std::string::npos) << "a host path escaped into the output";
    }
    all += r.out + "\n" + r.err + "\n";
  }
  // The access list (-v) names what was read: it must be there, and hold no path of the marker tree.
  EXPECT_NE(all.find("  read "), std::string::npos) << "no access list";
  EXPECT_EQ(all.find("outside/MARKER"), std::string::npos);
  return all;
}

void expect_named(const std::string& all, const std::vector<std::string>& paths) {
  for (auto& p : paths)
    EXPECT_NE(all.find(p), std::string::npos) << "the problem path " << p << " is not named";
}

TEST(HostileRoots, LinksLoopsChainsAndEscapes) {
  auto b = build("hostile-links");
  auto all = check_contract(run_all(b->root), *b);
  expect_named(all, {"/etc/os-release", "/proc/driver/nvidia/version", "/home/eve/venv/pyvenv.cfg"});
}

TEST(HostileRoots, FifosDevicesAndSocketsWhereFilesBelong) {
  auto b = build("hostile-special");
  auto all = check_contract(run_all(b->root), *b);
  expect_named(all, {"/etc/os-release", "/proc/driver/nvidia/version", "/home/eve/venv/pyvenv.cfg",
                     "/usr/local/cuda-12.4/version.json"});
  struct stat st {};
  if (::lstat((b->root + "/usr/local/cuda-12.4/include/cudnn_version.h").c_str(), &st) == 0 &&
      S_ISCHR(st.st_mode))
    expect_named(all, {"/usr/local/cuda-12.4/include/cudnn_version.h"});
}

TEST(HostileRoots, SparseTwoGigabyteFilesAndHundredThousandEntries) {
  auto b = build("hostile-big");
  auto all = check_contract(run_all(b->root), *b);
  expect_named(all, {"/usr/local/cuda-12.4/version.json", "/home/eve/many",
                     "/home/eve/venv/lib/python3.11/site-packages"});
}

TEST(HostileRoots, NulBytesInvalidUtf8BrokenJsonDeepNesting) {
  auto b = build("hostile-bytes");
  auto all = check_contract(run_all(b->root), *b);
  expect_named(all, {"/proc/driver/nvidia/version", "/usr/local/cuda-12.4/version.json",
                     "/home/eve/.conda/environments.txt",
                     "/home/eve/miniconda3/conda-meta/torchvision-0.16.0-py310_cu121.json",
                     "/home/eve/miniconda3/conda-meta/torchaudio-2.1.0-py310_cu121.json",
                     "/home/eve/miniconda3/conda-meta/cupy-13.0.0-py310h0.json"});
}

TEST(HostileRoots, UnreadableFilesAsNonRootUser) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root to switch to nobody (as a user, the files are unreadable anyway)";
  auto b = build("hostile-perm");
  auto all = check_contract(run_all(b->root, /*as_nobody=*/true), *b);
  expect_named(all, {"/etc/os-release", "/proc/driver/nvidia/version", "/usr/local/cuda-12.4/version.json",
                     "/home/eve/venv/pyvenv.cfg", "/home/eve/private", "/home/eve/miniconda3/conda-meta"});
}

}  // namespace
}  // namespace gpuenv::test
