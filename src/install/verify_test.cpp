// verify's use case through the CommandRunner seam: a fake runner answers with recorded outputs.
#include "install/verify.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/testsupport.hpp"

namespace gpuenv::install {
namespace {

using Status = platform::CommandResult::Status;
using Vars = std::map<std::string, std::string>;

/// Records the command and answers with a prepared result (ninja's FakeCommandRunner).
class FakeRunner final : public platform::CommandRunner {
 public:
  explicit FakeRunner(platform::CommandResult r) : result_(std::move(r)) {}
  platform::CommandResult run(const platform::Command& cmd) override {
    commands.push_back(cmd);
    if (cmd.on_output) {
      // Deliver stderr in awkward pieces, as a pipe may.
      for (std::size_t i = 0; i < result_.err.size(); i += 7)
        cmd.on_output(true, std::string_view(result_.err).substr(i, 7));
    }
    return result_;
  }
  std::vector<platform::Command> commands;

 private:
  platform::CommandResult result_;
};

platform::CommandResult exited(std::string out, std::string err = {}, int code = 0) {
  platform::CommandResult r;
  r.status = Status::exited;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

const Interpreter kPy{"/usr/bin/python3", std::nullopt, "--python", "--python /usr/bin/python3"};

// Recorded on Debian 12 with python3-torch (see verify_parse_test.cpp), --quick.
constexpr std::string_view kDebianQuick =
    R"({"probe": 1, "python": "/usr/bin/python3", "python_version": "3.11.2", "quick": true, "torch": {"version": "1.13.0a0", "cuda": null, "hip": null, "cudnn": null, "arch_list": [], "location": "/usr/lib/python3/dist-packages/torch"}, "torchvision": null, "cuda_available": false, "device_count": 0, "devices": [], "steps": [{"name": "import", "device": null, "ok": true, "seconds": 1.9531, "error": null}, {"name": "reference", "device": "cpu", "ok": true, "seconds": 0.2157, "error": null}, {"name": "matmul", "device": "cpu", "ok": true, "seconds": 0.1377, "error": null, "detail": {"dtype": "float32", "rel_error": 4.0912746236540484e-07, "bound": 5.633215188495999e-06}}, {"name": "conv2d", "device": "cpu", "ok": true, "seconds": 0.0112, "error": null, "detail": {"dtype": "float32", "rel_error": 2.1794441666784668e-07, "bound": 3.0994415283203125e-06}}], "speedup": null, "warnings": [], "info_errors": [], "internal_error": null}
)";

TEST(ProbeCommand, ArgvTimeoutAndScript) {
  VerifyRequest req;
  req.quick = true;
  req.timeout = std::chrono::seconds(42);
  auto cmd = probe_command(kPy, req);
  ASSERT_EQ(cmd.argv.size(), 5u);
  EXPECT_EQ(cmd.argv[0], "/usr/bin/python3");
  EXPECT_EQ(cmd.argv[1], "-B");
  EXPECT_EQ(cmd.argv[2], "-c");
  EXPECT_EQ(cmd.argv[3], probe_script());
  EXPECT_EQ(cmd.argv[4], "--quick");
  EXPECT_EQ(cmd.timeout, std::chrono::milliseconds(42000));
  EXPECT_TRUE(cmd.env.empty());  // the user's environment as it is
  EXPECT_NE(probe_script().find("PROBE_VERSION = 1"), std::string_view::npos);
  req.quick = false;
  EXPECT_EQ(probe_command(kPy, req).argv.size(), 4u);
}

TEST(RunVerify, DebianCpuRecording) {
  FakeRunner runner(
      exited(std::string(kDebianQuick), "gpuenv-verify: step import\ngpuenv-verify: step done\n"));
  VerifyRequest req;
  req.quick = true;
  std::vector<std::string> progress;
  req.on_step = [&](std::string_view s) { progress.emplace_back(s); };
  platform::MapEnvironment env(std::map<std::string, std::string>{{"CUDA_VISIBLE_DEVICES", "-1"}});
  facts::Machine none;
  auto r = run_verify(runner, kPy, req, env, &none);
  ASSERT_EQ(runner.commands.size(), 1u);
  EXPECT_EQ(progress, std::vector<std::string>{"import"});  // "done" is not a step
  EXPECT_EQ(r.run.torch_version, "1.13.0a0");
  EXPECT_EQ(r.run.cuda_visible_devices, "-1");
  EXPECT_EQ(r.run.selector, "--python /usr/bin/python3");
  EXPECT_FALSE(r.verdict.ok);
  EXPECT_EQ(r.exit_code(), 1);
  ASSERT_EQ(r.verdict.findings.size(), 1u);
  EXPECT_EQ(r.verdict.findings[0].id, "no-nvidia-gpu");

  req.cpu_ok = true;
  auto ok = run_verify(runner, kPy, req, env, &none);
  EXPECT_EQ(ok.exit_code(), 0);
}

TEST(ReadProbeResult, CannotStart) {
  platform::CommandResult r;
  r.status = Status::not_found;
  r.error = "/opt/gone/bin/python: not found";
  platform::MapEnvironment env;
  auto run = read_probe_result(r, kPy, {}, env);
  EXPECT_EQ(run.probe_failure, "cannot start /usr/bin/python3: /opt/gone/bin/python: not found");
  ASSERT_EQ(run.steps.size(), 1u);
  EXPECT_EQ(run.steps[0].name, "start");
  EXPECT_FALSE(run.steps[0].ok);
}

TEST(ReadProbeResult, TimeoutNamesTheStep) {
  platform::CommandResult r;
  r.status = Status::timed_out;
  r.err = "gpuenv-verify: step import\ngpuenv-verify: step benchmark cuda:0\n";
  VerifyRequest req;
  req.timeout = std::chrono::seconds(5);
  platform::MapEnvironment env;
  auto run = read_probe_result(r, kPy, req, env);
  EXPECT_EQ(run.probe_failure, "timed out after 5 s during step benchmark cuda:0 (gpuenv verify --timeout)");
  ASSERT_EQ(run.steps.size(), 1u);
  EXPECT_EQ(run.steps[0].name, "benchmark");
  EXPECT_EQ(run.steps[0].device, "cuda:0");
  EXPECT_EQ(run.steps[0].error, *run.probe_failure);
}

TEST(ReadProbeResult, CrashKeepsWhatStderrSaid) {
  platform::CommandResult r;
  r.status = Status::signaled;
  r.signal = 11;
  r.err = "gpuenv-verify: step matmul cuda:0\nCUDA error: an illegal memory access was encountered\n";
  platform::MapEnvironment env;
  auto run = read_probe_result(r, kPy, {}, env);
  EXPECT_EQ(run.probe_failure, "Python was killed by SIGSEGV (11) during step matmul cuda:0");
  ASSERT_EQ(run.steps.size(), 1u);
  EXPECT_EQ(
      run.steps[0].error,
      "Python was killed by SIGSEGV (11) during step matmul cuda:0\nCUDA error: an illegal memory access was "
      "encountered");
  EXPECT_EQ(run.stderr_tail, "CUDA error: an illegal memory access was encountered");
}

TEST(ReadProbeResult, NotPythonThree) {
  // Python 2.7 reading the probe (recorded from pyenv's 2.7.18).
  auto r = exited(
      "",
      "  File \"<string>\", line 160\n    return {\"a\": a, \"b\": b, \"ab\": a @ b, \"x\": x, \"w\": w, "
      "\"xw\": conv(x, w, padding=1)}\n                                        ^\nSyntaxError: invalid "
      "syntax\n",
      1);
  platform::MapEnvironment env;
  auto run = read_probe_result(r, kPy, {}, env);
  EXPECT_EQ(
      run.probe_failure,
      "the probe printed no result (no JSON document in the output, exit status 1); this interpreter cannot "
      "run it: gpuenv verify needs Python 3.6 or newer");
  EXPECT_EQ(run.steps[0].name, "probe");
  EXPECT_NE(run.steps[0].error->find("SyntaxError: invalid syntax"), std::string::npos);
}

test::TempDir& tree() {
  static test::TempDir dir;
  static bool made = false;
  if (!made) {
    for (const char* p : {"venv/bin/python3", "conda/bin/python", "bin/python3", "loose/python3.11"}) {
      auto path = dir.write(p, "#!/bin/sh\n");
      ::chmod(path.c_str(), 0755);
    }
    dir.mkdir("empty/bin");
    made = true;
  }
  return dir;
}

TEST(ChooseInterpreter, Order) {
  auto& d = tree();
  platform::MapEnvironment env(Vars{{"PATH", d.path() + "/bin"},
                                    {"VIRTUAL_ENV", d.path() + "/venv"},
                                    {"CONDA_PREFIX", d.path() + "/conda"}});
  VerifyRequest req;
  auto c = choose_interpreter(req, env);
  ASSERT_TRUE(c.interpreter);
  EXPECT_EQ(c.interpreter->path, d.path() + "/venv/bin/python3");
  EXPECT_EQ(c.interpreter->env, d.path() + "/venv");
  EXPECT_EQ(c.interpreter->found_by, "$VIRTUAL_ENV");
  EXPECT_EQ(c.interpreter->selector, "--env " + d.path() + "/venv");

  platform::MapEnvironment conda(Vars{{"PATH", d.path() + "/bin"}, {"CONDA_PREFIX", d.path() + "/conda"}});
  c = choose_interpreter(req, conda);
  ASSERT_TRUE(c.interpreter);
  EXPECT_EQ(c.interpreter->path, d.path() + "/conda/bin/python");
  EXPECT_EQ(c.interpreter->found_by, "$CONDA_PREFIX");

  // An active environment without an interpreter is passed over, not an error.
  platform::MapEnvironment stale(Vars{{"PATH", d.path() + "/bin"}, {"VIRTUAL_ENV", d.path() + "/empty"}});
  c = choose_interpreter(req, stale);
  ASSERT_TRUE(c.interpreter);
  EXPECT_EQ(c.interpreter->path, d.path() + "/bin/python3");
  EXPECT_EQ(c.interpreter->found_by, "PATH");
  EXPECT_EQ(c.interpreter->selector, "--python " + d.path() + "/bin/python3");

  platform::MapEnvironment nothing(Vars{{"PATH", d.path() + "/empty/bin"}});
  c = choose_interpreter(req, nothing);
  EXPECT_FALSE(c.interpreter);
  EXPECT_FALSE(c.requested);
}

TEST(ChooseInterpreter, ExplicitChoicesWinAndMustExist) {
  auto& d = tree();
  platform::MapEnvironment env(Vars{{"PATH", d.path() + "/bin"}, {"VIRTUAL_ENV", d.path() + "/venv"}});
  VerifyRequest req;
  req.envs = {d.path() + "/conda"};
  auto c = choose_interpreter(req, env);
  ASSERT_TRUE(c.interpreter);
  EXPECT_EQ(c.interpreter->path, d.path() + "/conda/bin/python");
  EXPECT_EQ(c.interpreter->found_by, "--env");

  req.pythons = {d.path() + "/loose/python3.11"};
  c = choose_interpreter(req, env);
  ASSERT_TRUE(c.interpreter);
  EXPECT_EQ(c.interpreter->path, d.path() + "/loose/python3.11");
  EXPECT_EQ(c.interpreter->env, std::nullopt);

  req.pythons = {d.path() + "/loose/nope"};
  c = choose_interpreter(req, env);
  EXPECT_FALSE(c.interpreter);
  EXPECT_TRUE(c.requested);
  req.pythons.clear();
  req.envs = {d.path() + "/empty"};
  c = choose_interpreter(req, env);
  EXPECT_FALSE(c.interpreter);
  EXPECT_TRUE(c.requested);
  EXPECT_EQ(c.problem, "--env " + d.path() + "/empty: no executable bin/python3 or bin/python");
}

TEST(ChooseInterpreter, SelectorIsQuoted) {
  test::TempDir d;
  auto path = d.write("my env/bin/python3", "#!/bin/sh\n");
  ::chmod(path.c_str(), 0755);
  VerifyRequest req;
  req.envs = {d.path() + "/my env"};
  platform::MapEnvironment env;
  auto c = choose_interpreter(req, env);
  ASSERT_TRUE(c.interpreter);
  EXPECT_EQ(c.interpreter->selector, "--env '" + d.path() + "/my env'");
}

}  // namespace
}  // namespace gpuenv::install
