#include "install/verify.hpp"

#include <memory>
#include <span>
#include <utility>

#include "install/verify_parse.hpp"

namespace gpuenv::embedded {
std::span<const std::pair<std::string_view, std::string_view>> verify_scripts();
}

namespace gpuenv::install {

namespace {

std::optional<std::string> env_python(const std::string& dir, const std::string& path_var) {
  for (const char* name : {"/bin/python3", "/bin/python"})
    if (auto found = platform::find_program(dir + name, path_var)) return found;
  return std::nullopt;
}

const char* signal_name(int sig) {
  switch (sig) {
    case 4:
      return "SIGILL";
    case 6:
      return "SIGABRT";
    case 7:
      return "SIGBUS";
    case 8:
      return "SIGFPE";
    case 9:
      return "SIGKILL";
    case 11:
      return "SIGSEGV";
    case 15:
      return "SIGTERM";
    default:
      return "a signal";
  }
}

/// The failed step that stands for a probe without a document: named after the step it was running.
facts::VerifyStep failed_step(const std::optional<std::string>& running, std::string error) {
  facts::VerifyStep s;
  s.name = "probe";
  if (running) {
    auto space = running->find(' ');
    s.name = running->substr(0, space);
    if (space != std::string::npos) s.device = running->substr(space + 1);
  }
  s.error = std::move(error);
  return s;
}

}  // namespace

InterpreterChoice choose_interpreter(const VerifyRequest& req, const platform::Environment& env) {
  InterpreterChoice c;
  std::string path_var = env.get("PATH").value_or("/usr/bin:/bin");
  if (!req.pythons.empty()) {
    const auto& p = req.pythons.front();
    if (auto found = platform::find_program(p, path_var))
      c.interpreter = Interpreter{*found, std::nullopt, "--python", "--python " + platform::shell_quote(p)};
    else {
      c.requested = true;
      c.problem = "--python " + p + ": not found or not executable";
    }
    return c;
  }
  if (!req.envs.empty()) {
    const auto& d = req.envs.front();
    if (auto found = env_python(d, path_var))
      c.interpreter = Interpreter{*found, d, "--env", "--env " + platform::shell_quote(d)};
    else {
      c.requested = true;
      c.problem = "--env " + d + ": no executable bin/python3 or bin/python";
    }
    return c;
  }
  for (const char* var : {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
    auto dir = env.get(var);
    if (!dir || dir->empty()) continue;
    if (auto found = env_python(*dir, path_var)) {
      c.interpreter =
          Interpreter{*found, *dir, std::string("$") + var, "--env " + platform::shell_quote(*dir)};
      return c;
    }
  }
  if (auto found = platform::find_program("python3", path_var)) {
    c.interpreter = Interpreter{*found, std::nullopt, "PATH", "--python " + platform::shell_quote(*found)};
    return c;
  }
  c.problem = "no Python interpreter: no --python or --env, no active environment, no python3 on PATH";
  return c;
}

std::string_view probe_script() {
  for (auto& [name, text] : embedded::verify_scripts())
    if (name == "probe.py") return text;
  return {};
}

platform::Command probe_command(const Interpreter& py, const VerifyRequest& req) {
  platform::Command cmd;
  cmd.argv = {py.path, "-B", "-c", std::string(probe_script())};
  if (req.quick) cmd.argv.push_back("--quick");
  cmd.timeout = req.timeout;
  cmd.output_cap = 4u << 20;
  if (req.on_step) {
    // Progress lines arrive in chunks of any size: keep the unfinished line between calls.
    auto pending = std::make_shared<std::string>();
    auto on_step = req.on_step;
    cmd.on_output = [pending, on_step](bool is_stderr, std::string_view chunk) {
      if (!is_stderr) return;
      pending->append(chunk);
      std::size_t nl;
      while ((nl = pending->find('\n')) != std::string::npos) {
        std::string line = pending->substr(0, nl);
        pending->erase(0, nl + 1);
        if (auto step = last_progress_step(line + "\n")) on_step(*step);
      }
      if (pending->size() > 65536) pending->clear();  // a huge line without newline is not progress
    };
  }
  return cmd;
}

facts::VerifyRun read_probe_result(const platform::CommandResult& r, const Interpreter& py,
                                   const VerifyRequest& req, const platform::Environment& env) {
  facts::VerifyRun run;
  run.python = py.path;
  run.env = py.env;
  run.selector = py.selector;
  run.found_by = py.found_by;
  run.quick = req.quick;
  run.cuda_visible_devices = env.get("CUDA_VISIBLE_DEVICES");
  run.ld_library_path = env.get("LD_LIBRARY_PATH");
  run.stderr_tail = stderr_tail(r.err);
  auto running = last_progress_step(r.err);
  auto with_stderr = [&](std::string text) {
    if (!run.stderr_tail.empty()) text += "\n" + run.stderr_tail;
    return text;
  };

  using Status = platform::CommandResult::Status;
  switch (r.status) {
    case Status::not_found:
    case Status::spawn_failed:
      run.probe_failure = "cannot start " + py.path + ": " + r.error;
      run.steps.push_back(failed_step(std::nullopt, *run.probe_failure));
      run.steps.back().name = "start";
      return run;
    case Status::timed_out:
      run.probe_failure = "timed out after " + std::to_string(req.timeout.count()) + " s" +
                          (running ? " during step " + *running : std::string()) +
                          " (gpuenv verify --timeout)";
      run.steps.push_back(failed_step(running, with_stderr(*run.probe_failure)));
      return run;
    case Status::signaled:
      run.probe_failure = std::string("Python was killed by ") + signal_name(r.signal) + " (" +
                          std::to_string(r.signal) + ")" +
                          (running ? " during step " + *running : std::string());
      run.steps.push_back(failed_step(running, with_stderr(*run.probe_failure)));
      return run;
    case Status::exited:
      break;
  }
  if (auto problem = parse_probe_output(r.out, run)) {
    bool syntax = r.err.find("SyntaxError") != std::string::npos;
    run.probe_failure =
        "the probe printed no result (" + *problem + ", exit status " + std::to_string(r.exit_code) + ")" +
        (syntax ? "; this interpreter cannot run it: gpuenv verify needs Python 3.6 or newer" : "");
    run.steps.push_back(failed_step(running, with_stderr(*run.probe_failure)));
  }
  return run;
}

VerifyResult run_verify(platform::CommandRunner& runner, const Interpreter& py, const VerifyRequest& req,
                        const platform::Environment& env, const facts::Machine* machine) {
  VerifyResult result;
  auto r = runner.run(probe_command(py, req));
  result.run = read_probe_result(r, py, req, env);
  result.verdict = rules::judge_verify(result.run, machine, req.cpu_ok);
  return result;
}

}  // namespace gpuenv::install
