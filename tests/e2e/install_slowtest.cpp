// Slow end-to-end tests of `gpuenv install` (issue 8): real `python -m venv` and pip from a pyenv
// interpreter, installing stand-in wheels built here into a local --find-links directory (PyPI is not
// reachable; nothing is downloaded). Failures are made deterministic by a hook the test puts in the
// environment (a .pth-loaded audit hook): it kills pip, or gpuenv itself, or sends gpuenv Ctrl-C at
// the moment pip starts writing torchvision's files — after torch was already replaced.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kPython = "/root/.pyenv/versions/3.12.1/bin/python3";

/// A wheel from nothing but zipfile: METADATA, WHEEL, RECORD (with hashes) and a package.
/// `broken`: a member path under the package's __init__.py, so extracting it fails midway.
const char* kMakeWheel = R"PY(
import base64, hashlib, sys, zipfile
out, name, version, requires, broken = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1"
di = f"{name}-{version}.dist-info"
files = {f"{name}/__init__.py": f"__version__ = '{version}'\n"}
if broken:
    files[f"{name}/__init__.py/broken.py"] = "x = 1\n"
meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
for r in filter(None, requires.split(",")):
    meta += f"Requires-Dist: {r}\n"
files[f"{di}/METADATA"] = meta
files[f"{di}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: gpuenv-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
record = ""
for p, c in files.items():
    h = base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b"=").decode()
    record += f"{p},sha256={h},{len(c.encode())}\n"
record += f"{di}/RECORD,,\n"
files[f"{di}/RECORD"] = record
with zipfile.ZipFile(f"{out}/{name}-{version}-py3-none-any.whl", "w") as z:
    for p, c in files.items():
        z.writestr(p, c)
)PY";

/// Loaded at every start of the environment's Python; acts only when GPUENV_TEST_HOOK is set.
const char* kHook = R"PY(
import os, signal, sys, sysconfig, time
_what = os.environ.get("GPUENV_TEST_HOOK")
_target = os.path.join(sysconfig.get_paths()["purelib"], "torchvision") + os.sep
def _hook(event, args):
    if event != "open" or not _what or not isinstance(args[0], str) or not args[0].startswith(_target):
        return
    if not (str(args[1]).find("w") >= 0 or (isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR))):
        return
    if _what == "kill-pip":
        os.kill(os.getpid(), signal.SIGKILL)
    elif _what == "kill-gpuenv":
        os.kill(os.getppid(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)
    elif _what == "ctrl-c":
        os.kill(os.getppid(), signal.SIGINT)
        time.sleep(60)
if _what:
    sys.addaudithook(_hook)
)PY";

std::map<std::string, std::string> pip_env(const std::string& home) {
  return {{"HOME", home},
          {"PIP_NO_CACHE_DIR", "1"},
          {"PIP_DISABLE_PIP_VERSION_CHECK", "1"},
          {"PIP_CONFIG_FILE", "/dev/null"},
          {"PYTHONNOUSERSITE", "1"},
          {"PYTHONDONTWRITEBYTECODE", "1"}};
}

platform::CommandResult run(std::vector<std::string> argv, const std::map<std::string, std::string>& env) {
  platform::Command c;
  c.argv = std::move(argv);
  c.timeout = std::chrono::seconds(300);
  for (auto& [k, v] : env) c.env[k] = v;
  platform::RealCommandRunner runner;
  return runner.run(c);
}

/// The built gpuenv with the controlled environment of run_gpuenv, a state directory and a longer
/// timeout (pip is slow on a loaded machine).
platform::CommandResult gpuenv(std::vector<std::string> args, const std::string& state,
                               std::map<std::string, std::string> extra = {}) {
  platform::Command c;
  c.argv.push_back(gpuenv_binary());
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.timeout = std::chrono::seconds(300);
  for (const char* k :
       {"LANG", "LC_ALL", "LC_MESSAGES", "VIRTUAL_ENV", "CONDA_PREFIX", "CUDA_VISIBLE_DEVICES", "PYTHONPATH",
        "GPUENV_DRIVER_VERSION", "GPUENV_GPU", "PYENV_VERSION", "GPUENV_INDEX_MIRROR", "XDG_CONFIG_HOME"})
    c.env[k] = std::nullopt;
  c.env["NO_COLOR"] = "1";
  c.env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  c.env["HOME"] = "/root";
  c.env["GPUENV_TODAY"] = "2026-11-30";
  c.env["XDG_STATE_HOME"] = state;
  for (auto& [k, v] : pip_env(state)) c.env[k] = v;
  c.env["HOME"] = "/root";
  for (auto& [k, v] : extra) c.env[k] = v;
  platform::RealCommandRunner runner;
  return runner.run(c);
}

std::string freeze(const std::string& env, const std::string& home) {
  auto r = run({env + "/bin/python", "-m", "pip", "freeze", "--all"}, pip_env(home));
  EXPECT_TRUE(r.ok()) << r.err;
  return r.out;
}

class InstallSlow : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kPython)) GTEST_SKIP() << "no " << kPython;
    t_.write("make_wheel.py", kMakeWheel);
    wheels_ = t_.mkdir("wheels");
    bad_ = t_.mkdir("bad wheels");
    state_ = t_.mkdir("state");
    // Two releases the planner knows, each torch + torchvision + torchaudio.
    wheel(wheels_, "torch", "2.4.1");
    wheel(wheels_, "torchvision", "0.19.1", "torch==2.4.1");
    wheel(wheels_, "torchaudio", "2.4.1", "torch==2.4.1");
    wheel(wheels_, "torch", "2.5.1");
    wheel(wheels_, "torchvision", "0.20.1", "torch==2.5.1");
    wheel(wheels_, "torchaudio", "2.5.1", "torch==2.5.1");
    // The same 2.4.1 release with a torchvision whose files cannot all be written.
    wheel(bad_, "torch", "2.4.1");
    wheel(bad_, "torchvision", "0.19.1", "torch==2.4.1", true);
    wheel(bad_, "torchaudio", "2.4.1", "torch==2.4.1");
  }

  void wheel(const std::string& dir, const std::string& name, const std::string& version,
             const std::string& req = "", bool broken = false) {
    auto r = run({kPython, t_.path() + "/make_wheel.py", dir, name, version, req, broken ? "1" : "0"}, {});
    ASSERT_TRUE(r.ok()) << r.err;
  }

  /// gpuenv install with the local wheels only.
  platform::CommandResult install(std::vector<std::string> args, const std::string& links,
                                  std::map<std::string, std::string> extra = {}) {
    args.insert(args.begin(), "install");
    for (const char* a : {"--no-index", "--yes", "--no-verify"}) args.push_back(a);
    args.insert(args.end(), {"--find-links", links});
    return gpuenv(args, state_, std::move(extra));
  }

  /// An existing venv, upgraded by gpuenv from 2.4.1 to 2.5.1, with the failure hook in it.
  std::string upgraded_env() {
    std::string env = t_.path() + "/existing";
    auto v = run({kPython, "-m", "venv", env}, pip_env(state_));
    EXPECT_TRUE(v.ok()) << v.err;
    auto a = install({"--env", env, "--torch", "==2.4.1"}, wheels_);
    EXPECT_EQ(a.exit_code, 0) << a.out << a.err;
    EXPECT_NE(freeze(env, state_).find("torch==2.4.1\n"), std::string::npos);
    auto b = install({"--env", env, "--torch", "==2.5.1"}, wheels_);
    EXPECT_EQ(b.exit_code, 0) << b.out << b.err;
    std::string f = freeze(env, state_);
    EXPECT_NE(f.find("torch==2.5.1\n"), std::string::npos) << f;
    EXPECT_NE(f.find("torchvision==0.20.1\n"), std::string::npos) << f;
    std::string site = env + "/lib/python3.12/site-packages";
    write_file(site + "/zz_gpuenv_test_hook.py", kHook);
    write_file(site + "/zz_gpuenv_test_hook.pth", "import zz_gpuenv_test_hook\n");
    return env;
  }

  json journal(const std::string& name_part) {
    std::string newest;  // names start with a UTC stamp (and end in -2, -3 within one second)
    for (auto& e : fs::directory_iterator(state_ + "/gpuenv/journal")) {
      std::string n = e.path().filename().string();
      if (n.find(name_part) != std::string::npos &&
          (n.size() > newest.size() || (n.size() == newest.size() && n > newest)))
        newest = n;
    }
    return json::parse(read_file(state_ + "/gpuenv/journal/" + newest + "/journal.json"));
  }

  TempDir t_;
  std::string wheels_, bad_, state_;
};

TEST_F(InstallSlow, NewVenvAtAPathWithSpacesAndQuotesGetsThePinnedPackages) {
  std::string env = t_.path() + "/x/my env's \"dir\"";
  auto r = install({"--new", env, "--python", kPython, "--torch", "==2.5.1"}, wheels_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string f = freeze(env, state_);
  EXPECT_NE(f.find("torch==2.5.1\n"), std::string::npos) << f;
  EXPECT_NE(f.find("torchvision==0.20.1\n"), std::string::npos) << f;
  EXPECT_NE(f.find("torchaudio==2.5.1\n"), std::string::npos) << f;
  // The journal and the installer's log.
  std::vector<fs::path> journals(fs::directory_iterator(state_ + "/gpuenv/journal"), {});
  ASSERT_EQ(journals.size(), 1u);
  auto j = json::parse(read_file(journals[0].string() + "/journal.json"));
  EXPECT_EQ(j["state"], "committed");
  EXPECT_EQ(j["target"]["prefix"], env);
  EXPECT_EQ(j["target"]["created_by_this_run"], true);
  std::string log = read_file(journals[0].string() + "/install.log");
  EXPECT_NE(log.find("Successfully installed"), std::string::npos) << log;
  EXPECT_NE(r.err.find("step 2/2: installing torch 2.5.1"), std::string::npos) << r.err;
  // `envs` sees what was installed.
  auto e = gpuenv({"envs", "--env", env, "--json"}, state_);
  ASSERT_EQ(e.exit_code, 0) << e.err;
  auto doc = json::parse(e.out);
  bool seen = false;
  for (auto& pe : doc["python_envs"])
    if (pe["path"] == env) {
      seen = true;
      EXPECT_EQ(pe["packages"]["torch"]["version"], "2.5.1");
      EXPECT_EQ(pe["packages"]["torchvision"]["version"], "0.20.1");
    }
  EXPECT_TRUE(seen) << e.out;
}

TEST_F(InstallSlow, AWheelThatFailsAfterTorchWasReplacedIsRolledBack) {
  std::string env = upgraded_env();
  std::string before = freeze(env, state_);
  auto r = install({"--env", env, "--torch", "==2.4.1"}, bad_);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("The environment was put back as it was before."), std::string::npos) << r.err;
  EXPECT_EQ(freeze(env, state_), before);
  EXPECT_EQ(journal("existing")["state"], "rolled-back");
}

TEST_F(InstallSlow, PipKilledMidInstallIsRolledBack) {
  std::string env = upgraded_env();
  std::string before = freeze(env, state_);
  auto r = install({"--env", env, "--torch", "==2.4.1"}, wheels_, {{"GPUENV_TEST_HOOK", "kill-pip"}});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("killed by signal 9"), std::string::npos) << r.err;
  EXPECT_EQ(freeze(env, state_), before);
}

TEST_F(InstallSlow, CtrlCStopsPipRollsBackAndExits130) {
  std::string env = upgraded_env();
  std::string before = freeze(env, state_);
  auto r = install({"--env", env, "--torch", "==2.4.1"}, wheels_, {{"GPUENV_TEST_HOOK", "ctrl-c"}});
  EXPECT_EQ(r.exit_code, 130) << r.out << r.err;
  EXPECT_EQ(freeze(env, state_), before);
}

TEST_F(InstallSlow, GpuenvKilledThenRollbackFromTheJournal) {
  std::string env = upgraded_env();
  std::string before = freeze(env, state_);
  auto r = install({"--env", env, "--torch", "==2.4.1"}, wheels_, {{"GPUENV_TEST_HOOK", "kill-gpuenv"}});
  ASSERT_EQ(r.status, platform::CommandResult::Status::signaled) << r.out << r.err;
  EXPECT_NE(freeze(env, state_), before);  // torch 2.4.1 is half in
  // The next run finds the unfinished journal and refuses to pile another install on top.
  auto again = install({"--env", env, "--torch", "==2.4.1"}, wheels_);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("gpuenv install --rollback "), std::string::npos) << again.err;
  auto rb = gpuenv({"install", "--rollback"}, state_);
  EXPECT_EQ(rb.exit_code, 0) << rb.out << rb.err;
  EXPECT_EQ(freeze(env, state_), before);
  // Nothing unfinished is left: a second --rollback has nothing to do.
  auto none = gpuenv({"install", "--rollback"}, state_);
  EXPECT_EQ(none.exit_code, 1);
}

TEST_F(InstallSlow, AFailedVerifyRollsBack) {
  std::string env = t_.path() + "/verify";
  ASSERT_TRUE(run({kPython, "-m", "venv", env}, pip_env(state_)).ok());
  std::string before = freeze(env, state_);
  // The stand-in torch cannot do real work: verify fails, the install is undone.
  auto r =
      gpuenv({"install", "--env", env, "--torch", "==2.5.1", "--yes", "--no-index", "--find-links", wheels_},
             state_);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("verify failed"), std::string::npos) << r.err;
  EXPECT_EQ(freeze(env, state_), before);
}

/// path → (size, mtime, mode) of every entry under `root`.
std::map<std::string, std::string> snapshot(const std::string& root) {
  std::map<std::string, std::string> out;
  if (!fs::exists(root)) return out;
  for (auto& e : fs::recursive_directory_iterator(root)) {
    struct stat st {};
    ::lstat(e.path().c_str(), &st);
    out[e.path().string()] = std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
                             std::to_string(st.st_mtim.tv_nsec) + " " + std::to_string(st.st_mode);
  }
  return out;
}

TEST_F(InstallSlow, DryRunChangesNothingAndShowsThePlanOfGpuenvPlan) {
  std::string env = t_.path() + "/dry";
  ASSERT_TRUE(run({kPython, "-m", "venv", env}, pip_env(state_)).ok());
  auto before = snapshot(t_.path());
  auto r = gpuenv(
      {"install", "--env", env, "--torch", "==2.5.1", "--dry-run", "--no-index", "--find-links", wheels_},
      state_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(snapshot(t_.path()), before);
  EXPECT_FALSE(fs::exists(state_ + "/gpuenv"));
  // The plan part is `gpuenv plan` for the same inputs, byte for byte.
  auto p = gpuenv(
      {"plan", "--env", env, "--python-version", "3.12", "--torch", "==2.5.1", "--installer", "pip"}, state_);
  ASSERT_FALSE(p.out.empty());
  EXPECT_EQ(r.out.substr(0, p.out.size()), p.out);
  // Then exactly the commands, in order.
  std::string py = env + "/bin/python";
  std::string rest = r.out.substr(p.out.size());
  EXPECT_NE(
      rest.find(
          "\n  " + py + " -m pip inspect\n  " + py +
          " -m pip install --dry-run --quiet --report - torch==2.5.1 torchvision==0.20.1 torchaudio==2.5.1"),
      std::string::npos)
      << rest;
  EXPECT_NE(rest.find("--find-links " + platform::shell_quote(wheels_) + " --no-index\n  " + py +
                      " -B -c '<probe.py>'"),
            std::string::npos)
      << rest;
}

}  // namespace
}  // namespace gpuenv::test
