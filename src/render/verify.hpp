#pragma once
// `gpuenv verify` output (issue 7): the JSON document of design.md §5 and the text for people, with
// the speed-up the GPU bought.
#include <nlohmann/json.hpp>
#include <string>

#include "facts/verify.hpp"
#include "i18n/catalog.hpp"
#include "render/report.hpp"
#include "rules/verify_judge.hpp"

namespace gpuenv::render {

struct VerifyOutput {
  const facts::VerifyRun& run;
  const rules::VerifyVerdict& verdict;
  bool cpu_ok = false;
};

/// design.md §5 "verify --json": schema_version, python, python_version, torch {version, cuda, cudnn,
/// arch_list} (null when torch did not import), cuda_available, devices, steps, speedup, findings, ok;
/// plus env, found_by, torchvision, device_count, benchmark, warnings, quick, cpu_ok, probe_failure.
nlohmann::ordered_json verify_json(const VerifyOutput& v, i18n::Lang lang);

/// The text report: what was run, each step ✓/✗ with its time, the speed-up, the findings and fixes,
/// and a one-line result.
std::string verify_text(const VerifyOutput& v, const TextOptions& opt);

/// "38" for 38.2, "4.6" for 4.63, "0.83" below 1: the speed-up as people read it.
std::string format_speedup(double x);
/// "0.512 s", "12.3 ms", "85 µs".
std::string format_seconds(double s);

}  // namespace gpuenv::render
