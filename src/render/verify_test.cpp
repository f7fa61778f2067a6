// verify's output: the JSON keys of design.md §5 and the exact text people read.
#include "render/verify.hpp"

#include <gtest/gtest.h>

namespace gpuenv::render {
namespace {

facts::VerifyStep step(std::string name, facts::Opt device, bool ok, double seconds,
                       nlohmann::json detail = nullptr, facts::Opt error = std::nullopt) {
  facts::VerifyStep s;
  s.name = std::move(name);
  s.device = std::move(device);
  s.ok = ok;
  s.seconds = seconds;
  s.detail = std::move(detail);
  s.error = std::move(error);
  return s;
}

facts::VerifyRun h200_run() {
  facts::VerifyRun r;
  r.python = "/opt/torch/.venv/bin/python";
  r.found_by = "--python";
  r.selector = "--python /opt/torch/.venv/bin/python";
  r.python_version = "3.11.9";
  r.torch_imported = true;
  r.torch_version = "2.5.1+cu124";
  r.torch_cuda = "12.4";
  r.torch_cudnn = "9.1.0";
  r.arch_list = std::vector<std::string>{"sm_50", "sm_80", "sm_90"};
  r.cuda_available = true;
  r.device_count = 1;
  facts::VerifyDevice d;
  d.name = "NVIDIA H200";
  d.compute_capability = "9.0";
  d.memory_mib = 143771;
  r.devices.push_back(d);
  nlohmann::json check = {{"dtype", "float32"}, {"rel_error", 5.75e-07}, {"bound", 7.87e-06}};
  r.steps = {
      step("import", std::nullopt, true, 1.2345), step("matmul", "cpu", true, 0.0588, check),
      step("matmul", "cuda:0", true, 0.00042, check),
      step("benchmark", "cuda:0", true, 3.5, {{"n", 4096}, {"cpu_seconds", 0.5}, {"gpu_seconds", 0.013}})};
  r.speedup = 38.461538461538;
  return r;
}

TEST(VerifyJson, DesignKeys) {
  auto run = h200_run();
  rules::VerifyVerdict v;
  v.ok = true;
  v.ran_on_gpu = true;
  auto j = verify_json({run, v, false}, i18n::Lang::en);
  std::vector<std::string> keys;
  for (auto& [k, _] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "schema_version", "tool",  "python",      "python_version", "env",
                      "found_by",       "torch", "torchvision", "cuda_available", "device_count",
                      "devices",        "steps", "speedup",     "benchmark",      "warnings",
                      "findings",       "ok",    "quick",       "cpu_ok",         "probe_failure"}));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["torch"].dump(),
            R"({"version":"2.5.1+cu124","cuda":"12.4","cudnn":"9.1.0","arch_list":["sm_50","sm_80","sm_90"],)"
            R"("hip":null,"location":null})");
  EXPECT_EQ(j["devices"].dump(),
            R"([{"index":0,"name":"NVIDIA H200","compute_capability":"9.0","memory_mib":143771}])");
  EXPECT_EQ(j["steps"][0].dump(),
            R"({"name":"import","device":null,"ok":true,"seconds":1.2345,"error":null})");
  EXPECT_EQ(j["steps"][1]["seconds"].dump(), "0.0588");
  EXPECT_EQ(j["speedup"].dump(), "38.46");
  EXPECT_EQ(j["benchmark"]["n"], 4096);
  EXPECT_EQ(j["ok"], true);
}

TEST(VerifyJson, TorchMissingIsNull) {
  facts::VerifyRun run;
  run.python = "/usr/bin/python3.12";
  run.steps = {
      step("import", std::nullopt, false, 0.0004, nullptr, "ModuleNotFoundError: No module named 'torch'")};
  rules::VerifyVerdict v;
  auto j = verify_json({run, v, false}, i18n::Lang::ja);
  EXPECT_TRUE(j["torch"].is_null());
  EXPECT_TRUE(j["cuda_available"].is_null());
  EXPECT_TRUE(j["speedup"].is_null());
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["steps"][0]["error"], "ModuleNotFoundError: No module named 'torch'");
}

TEST(VerifyText, GpuRunShowsTheSpeedup) {
  auto run = h200_run();
  rules::VerifyVerdict v;
  v.ok = true;
  v.ran_on_gpu = true;
  i18n::set_language(i18n::Lang::en);
  EXPECT_EQ(
      verify_text({run, v, false}, {}),
      "Verifying /opt/torch/.venv/bin/python (Python 3.11.9), found by --python\n"
      "  torch 2.5.1+cu124 · CUDA build: 12.4 · cuDNN: 9.1.0\n"
      "  CUDA available: yes, 1 device(s)\n"
      "    cuda:0: NVIDIA H200, compute capability 9.0, 140.4 GiB\n"
      "  torch holds GPU code for: sm_50 sm_80 sm_90\n"
      "\n"
      "Steps\n"
      "  ✓ import              1.23 s\n"
      "  ✓ matmul (cpu)        58.8 ms    relative error 5.8e-07 (bound 7.9e-06)\n"
      "  ✓ matmul (cuda:0)     420 µs     relative error 5.8e-07 (bound 7.9e-06)\n"
      "  ✓ benchmark (cuda:0)  3.50 s\n"
      "\n"
      "  The GPU did this 38× faster than the CPU: a 4096×4096 float32 matrix product took 500.0 ms on the\n"
      "  CPU and 13.0 ms on the GPU.\n"
      "\n"
      "Result: passed — real work ran correctly on the GPU.\n");
}

TEST(VerifyText, FailureWithFinding) {
  facts::VerifyRun run;
  run.python = "/usr/bin/python3.12";
  run.found_by = "PATH";
  run.python_version = "3.12.1";
  run.steps = {
      step("import", std::nullopt, false, 0.0004, nullptr, "ModuleNotFoundError: No module named 'torch'")};
  rules::VerifyVerdict v;
  rules::Finding f;
  f.id = "torch-not-installed";
  f.severity = rules::Severity::error;
  f.title = {"verify.finding.torch-not-installed.title", {{"python", "/usr/bin/python3.12"}}};
  f.explanation = {"verify.finding.verify-step-failed.explanation", {{"verbatim", "line one\nline two"}}};
  f.fixes.push_back({{"verify.fix.torch-not-installed", {}}, {"gpuenv plan --python /usr/bin/python3.12"}});
  v.findings.push_back(f);
  i18n::set_language(i18n::Lang::en);
  EXPECT_EQ(verify_text({run, v, false}, {}),
            "Verifying /usr/bin/python3.12 (Python 3.12.1), found by PATH\n"
            "  torch could not be imported\n"
            "\n"
            "Steps\n"
            "  ✗ import  400 µs     ModuleNotFoundError: No module named 'torch'\n"
            "\n"
            "What this means\n"
            "  error: torch is not installed for /usr/bin/python3.12\n"
            "    gpuenv does not know this error, so here it is as it came:\n"
            "    line one\n"
            "    line two\n"
            "    fix: Install PyTorch into this environment: `gpuenv plan` chooses the build that fits this\n"
            "    machine and prints the commands\n"
            "      $ gpuenv plan --python /usr/bin/python3.12\n"
            "\n"
            "Result: failed.\n");
}

TEST(VerifyFormat, NumbersAsPeopleReadThem) {
  EXPECT_EQ(format_speedup(38.46), "38");
  EXPECT_EQ(format_speedup(4.63), "4.6");
  EXPECT_EQ(format_speedup(0.834), "0.83");
  EXPECT_EQ(format_seconds(2.5), "2.50 s");
  EXPECT_EQ(format_seconds(0.0123), "12.3 ms");
  EXPECT_EQ(format_seconds(0.000085), "85 µs");
}

// design.md §5 and issue 9: verify's JSON keeps the English title and explanation, and adds the
// localised ones only when the language is not English.
TEST(VerifyJson, LocalizedTitlesOnlyWhenNotEnglish) {
  facts::VerifyRun run;
  run.python = "/usr/bin/python3.12";
  run.found_by = "PATH";
  rules::VerifyVerdict v;
  rules::Finding f;
  f.id = "torch-not-installed";
  f.severity = rules::Severity::error;
  f.title = {"verify.finding.torch-not-installed.title", {{"python", "/usr/bin/python3.12"}}};
  f.explanation = {"verify.finding.verify-step-failed.explanation", {{"verbatim", "x"}}};
  v.findings.push_back(f);
  auto en = verify_json({run, v, false}, i18n::Lang::en);
  ASSERT_EQ(en["findings"].size(), 1u);
  EXPECT_EQ(en["findings"][0]["title"], "torch is not installed for /usr/bin/python3.12");
  EXPECT_FALSE(en["findings"][0].contains("title_localized"));
  EXPECT_FALSE(en["findings"][0].contains("explanation_localized"));
  auto ja = verify_json({run, v, false}, i18n::Lang::ja);
  EXPECT_EQ(ja["findings"][0]["title"], "torch is not installed for /usr/bin/python3.12");
  EXPECT_EQ(ja["findings"][0]["title_localized"],
            i18n::Catalog::builtin().text(i18n::Lang::ja, "verify.finding.torch-not-installed.title",
                                          {{"python", "/usr/bin/python3.12"}}));
  EXPECT_NE(ja["findings"][0]["title_localized"], ja["findings"][0]["title"]);
  EXPECT_TRUE(ja["findings"][0]["explanation_localized"].is_string());
}

}  // namespace
}  // namespace gpuenv::render
