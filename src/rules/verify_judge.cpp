#include "rules/verify_judge.hpp"

#include <algorithm>

#include "rules/verify_translate.hpp"

namespace gpuenv::rules {

namespace {

bool on_gpu(const facts::VerifyStep& s) {
  return s.device && s.device->starts_with("cuda:");
}

std::string step_label(const facts::VerifyStep& s) {
  return s.device ? s.name + " (" + *s.device + ")" : s.name;
}

/// Adds a finding, or merges its evidence into the one with the same id (one failure often shows up
/// in several steps and warnings).
void add(std::vector<Finding>& out, Finding f) {
  auto same = std::find_if(out.begin(), out.end(), [&](const Finding& g) { return g.id == f.id; });
  if (same == out.end()) {
    out.push_back(std::move(f));
    return;
  }
  for (auto& e : f.evidence)
    if (std::find(same->evidence.begin(), same->evidence.end(), e) == same->evidence.end())
      same->evidence.push_back(e);
}

}  // namespace

VerifyVerdict judge_verify(const facts::VerifyRun& run, const facts::Machine* machine, bool cpu_ok) {
  VerifyVerdict v;
  bool any_failed = run.probe_failure.has_value() || run.internal_error.has_value();
  std::vector<Finding> failures, explained_by_warnings;
  for (auto& s : run.steps) {
    if (s.ok) continue;
    any_failed = true;
    std::string text = s.error.value_or("");
    auto label = step_label(s);
    auto f = translate_error(text, label, run, machine);
    // An exception from `import torch` is an import failure; a crash or timeout there is not known to be.
    if (!f && s.name == "import" && !run.probe_failure) f = import_failed(text, label, run, machine);
    add(failures, f ? std::move(*f) : unknown_error(text, label, run, machine));
  }
  if (run.internal_error) add(failures, unknown_error(*run.internal_error, "probe", run, machine));
  for (auto& w : run.warnings)
    if (auto f = translate_error(w.category + ": " + w.message, "", run, machine))
      add(explained_by_warnings, std::move(*f));

  bool cuda_ready =
      run.cuda_available.value_or(false) && (run.device_count.value_or(0) > 0 || !run.devices.empty());
  auto gpu_steps = std::count_if(run.steps.begin(), run.steps.end(), on_gpu);
  v.ran_on_gpu = gpu_steps > 0 &&
                 std::all_of(run.steps.begin(), run.steps.end(), [](auto& s) { return !on_gpu(s) || s.ok; });
  auto cpu_check = [&](const char* name) {
    return std::any_of(run.steps.begin(), run.steps.end(),
                       [&](auto& s) { return s.name == name && s.device && *s.device == "cpu" && s.ok; });
  };
  v.cpu_passed = cpu_check("matmul") && cpu_check("conv2d");

  if (any_failed || !run.torch_imported)
    v.ok = false;
  else if (cuda_ready)
    v.ok = v.ran_on_gpu;
  else
    v.ok = cpu_ok && v.cpu_passed;

  // Why there is no CUDA device, when no failed step or warning already says it.
  std::vector<Finding> state;
  if (run.torch_imported && !cuda_ready && failures.empty() && explained_by_warnings.empty())
    state.push_back(explain_no_cuda(run, machine));

  for (auto& f : failures) add(v.findings, std::move(f));
  for (auto& f : explained_by_warnings) {
    if (v.ok) f.severity = Severity::warning;
    add(v.findings, std::move(f));
  }
  for (auto& f : state) {
    if (v.ok) {
      f.severity = Severity::info;
      if (f.id == "no-nvidia-gpu") f.fixes.clear();  // its fix is the --cpu-ok that just passed
    }
    add(v.findings, std::move(f));
  }
  for (auto& f : v.findings) f.env = run.env ? *run.env : run.python;
  std::stable_sort(v.findings.begin(), v.findings.end(), [](const Finding& a, const Finding& b) {
    return severity_rank(a.severity) < severity_rank(b.severity);
  });
  return v;
}

}  // namespace gpuenv::rules
