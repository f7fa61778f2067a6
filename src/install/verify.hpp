#pragma once
// `gpuenv verify` as a use case (issue 7): choose the interpreter, run the embedded probe script
// (data/verify/probe.py) in it through the CommandRunner seam, read what it printed, and judge.
// Callers: cli/verify.cpp; `doctor --verify` and `install` (to prove an installation) call run_verify.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facts/facts.hpp"
#include "facts/verify.hpp"
#include "platform/env.hpp"
#include "platform/process.hpp"
#include "rules/verify_judge.hpp"

namespace gpuenv::install {

struct VerifyRequest {
  std::vector<std::string> envs;     ///< --env DIR (the first is used)
  std::vector<std::string> pythons;  ///< --python PATH (the first is used; wins over --env)
  bool quick = false;                ///< fewer and smaller steps
  bool cpu_ok = false;               ///< passing on the CPU is a pass (install's CPU plans)
  std::chrono::seconds timeout{300};
  /// Called with each step as the probe starts it ("matmul cuda:0"), for progress; may be empty.
  std::function<void(std::string_view step)> on_step;
};

struct Interpreter {
  std::string path;      ///< what is run
  facts::Opt env;        ///< its environment directory, when known
  std::string found_by;  ///< "--python", "--env", "$VIRTUAL_ENV", "$CONDA_PREFIX", "PATH"
  std::string selector;  ///< gpuenv options that select it again, shell-quoted ("--env /home/a/.venv")
};

struct InterpreterChoice {
  std::optional<Interpreter> interpreter;
  std::string problem;     ///< why there is none (English; the CLI words it for people)
  bool requested = false;  ///< the user named it (--python / --env) and it is not usable: a usage error
};

/// The interpreter to verify: --python PATH, else --env DIR's bin/python3 or bin/python, else the
/// active environment ($VIRTUAL_ENV, then $CONDA_PREFIX), else python3 on PATH.
InterpreterChoice choose_interpreter(const VerifyRequest& req, const platform::Environment& env);

/// The embedded probe script.
std::string_view probe_script();

/// `PY -B -c SCRIPT [--quick]`: argv only, the user's environment as it is, bounded output, the
/// request's timeout. -B: the probe writes no bytecode into the user's environment.
platform::Command probe_command(const Interpreter& py, const VerifyRequest& req);

/// Turns a finished probe process into the run: the document it printed, or — when it could not
/// start, timed out, crashed or printed something else — a failed step saying which, with the end of
/// its stderr. Pure: tests feed recorded outputs.
facts::VerifyRun read_probe_result(const platform::CommandResult& r, const Interpreter& py,
                                   const VerifyRequest& req, const platform::Environment& env);

struct VerifyResult {
  facts::VerifyRun run;
  rules::VerifyVerdict verdict;
  int exit_code() const { return verdict.ok ? 0 : 1; }  ///< design.md §5
};

/// Runs the probe with `py` through `runner` and judges it with the snapshot `machine` (null: none).
VerifyResult run_verify(platform::CommandRunner& runner, const Interpreter& py, const VerifyRequest& req,
                        const platform::Environment& env, const facts::Machine* machine);

}  // namespace gpuenv::install
