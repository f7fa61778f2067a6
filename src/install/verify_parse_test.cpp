// Reading the probe's output: a real recording from this repository's CI machine (Debian 12,
// python3-torch 1.13.0a0, no GPU), documents in the probe's GPU shape, and broken output.
#include "install/verify_parse.hpp"

#include <gtest/gtest.h>

namespace gpuenv::install {
namespace {

// `python3 -B -c "$(cat data/verify/probe.py)"` on Debian 12 with python3-torch, recorded verbatim.
constexpr std::string_view kDebianCpu =
    R"({"probe": 1, "python": "/usr/bin/python3", "python_version": "3.11.2", "quick": false, "torch": {"version": "1.13.0a0", "cuda": null, "hip": null, "cudnn": null, "arch_list": [], "location": "/usr/lib/python3/dist-packages/torch"}, "torchvision": null, "cuda_available": false, "device_count": 0, "devices": [], "steps": [{"name": "import", "device": null, "ok": true, "seconds": 2.2093, "error": null}, {"name": "reference", "device": "cpu", "ok": true, "seconds": 1.3645, "error": null}, {"name": "matmul", "device": "cpu", "ok": true, "seconds": 0.8434, "error": null, "detail": {"dtype": "float32", "rel_error": 5.754340443057997e-07, "bound": 7.867813110351562e-06}}, {"name": "conv2d", "device": "cpu", "ok": true, "seconds": 0.0481, "error": null, "detail": {"dtype": "float32", "rel_error": 2.1785696857047852e-07, "bound": 3.0994415283203125e-06}}], "speedup": null, "warnings": [], "info_errors": [], "internal_error": null}
)";

// The probe's document on a CUDA machine where the first kernel fails (the shape probe.py writes;
// values from pytorch/pytorch#167244 and #150733, not a recording).
constexpr std::string_view kNoKernelImage =
    R"({"probe": 1, "python": "/home/a/.venv/bin/python", "python_version": "3.11.9", "quick": true, "torch": {"version": "2.7.0.dev20250310+cu124", "cuda": "12.4", "hip": null, "cudnn": 90100, "arch_list": ["sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"], "location": "/home/a/.venv/lib/python3.11/site-packages/torch"}, "torchvision": {"version": "0.22.0.dev20250310+cu124"}, "cuda_available": true, "device_count": 2, "devices": [{"index": 0, "name": "NVIDIA GeForce RTX 5090", "compute_capability": "12.0", "memory_mib": 32607}, {"index": 1, "name": "NVIDIA GeForce RTX 5090", "compute_capability": "12.0", "memory_mib": 32607}], "steps": [{"name": "import", "device": null, "ok": true, "seconds": 1.5, "error": null}, {"name": "allocate", "device": "cuda:0", "ok": false, "seconds": 0.3, "error": "RuntimeError: CUDA error: no kernel image is available for execution on the device\nCUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.", "traceback": "Traceback (most recent call last):\n  File \"<string>\", line 83, in run_step\nRuntimeError: CUDA error: no kernel image is available for execution on the device"}], "speedup": null, "warnings": [{"category": "UserWarning", "message": "NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with the current PyTorch installation.", "source": "__init__.py:235"}], "info_errors": [], "internal_error": null}
)";

TEST(ParseProbeOutput, DebianCpuRecording) {
  facts::VerifyRun run;
  ASSERT_EQ(parse_probe_output(kDebianCpu, run), std::nullopt);
  EXPECT_EQ(run.executable, "/usr/bin/python3");
  EXPECT_EQ(run.python_version, "3.11.2");
  EXPECT_TRUE(run.torch_imported);
  EXPECT_EQ(run.torch_version, "1.13.0a0");
  EXPECT_EQ(run.torch_cuda, std::nullopt);
  EXPECT_EQ(run.torch_cudnn, std::nullopt);
  ASSERT_TRUE(run.arch_list);
  EXPECT_TRUE(run.arch_list->empty());
  EXPECT_EQ(run.cuda_available, false);
  EXPECT_EQ(run.device_count, 0);
  ASSERT_EQ(run.steps.size(), 4u);
  EXPECT_EQ(run.steps[0].name, "import");
  EXPECT_EQ(run.steps[0].device, std::nullopt);
  EXPECT_EQ(run.steps[2].name, "matmul");
  EXPECT_EQ(run.steps[2].device, "cpu");
  EXPECT_TRUE(run.steps[2].ok);
  EXPECT_DOUBLE_EQ(*run.steps[2].seconds, 0.8434);
  EXPECT_DOUBLE_EQ(run.steps[2].detail["rel_error"].get<double>(), 5.754340443057997e-07);
  EXPECT_EQ(run.speedup, std::nullopt);
}

TEST(ParseProbeOutput, GpuShapeWithFailureAndWarning) {
  facts::VerifyRun run;
  ASSERT_EQ(parse_probe_output(kNoKernelImage, run), std::nullopt);
  EXPECT_EQ(run.torch_cuda, "12.4");
  EXPECT_EQ(run.torch_cudnn, "9.1.0");
  EXPECT_EQ(run.torchvision_version, "0.22.0.dev20250310+cu124");
  ASSERT_EQ(run.devices.size(), 2u);
  EXPECT_EQ(run.devices[1].index, 1);
  EXPECT_EQ(run.devices[1].compute_capability, "12.0");
  EXPECT_EQ(run.devices[1].memory_mib, 32607);
  ASSERT_EQ(run.steps.size(), 2u);
  EXPECT_FALSE(run.steps[1].ok);
  EXPECT_TRUE(run.steps[1].error->starts_with("RuntimeError: CUDA error: no kernel image"));
  EXPECT_TRUE(run.steps[1].traceback);
  ASSERT_EQ(run.warnings.size(), 1u);
  EXPECT_EQ(run.warnings[0].category, "UserWarning");
  EXPECT_EQ(run.warnings[0].source, "__init__.py:235");
}

TEST(ParseProbeOutput, FindsTheDocumentAfterOtherOutput) {
  // A library printing to stdout before the probe took it over, then the document.
  std::string out = "Hello from a sitecustomize\n{not json either\n" + std::string(kDebianCpu);
  facts::VerifyRun run;
  EXPECT_EQ(parse_probe_output(out, run), std::nullopt);
  EXPECT_EQ(run.torch_version, "1.13.0a0");
}

TEST(ParseProbeOutput, BrokenOutput) {
  facts::VerifyRun run;
  EXPECT_EQ(parse_probe_output("", run), "no JSON document in the output");
  EXPECT_EQ(parse_probe_output("Traceback (most recent call last):\n", run),
            "no JSON document in the output");
  EXPECT_EQ(parse_probe_output(R"({"probe": 1, "steps": [)", run), "no JSON document in the output");
  EXPECT_EQ(parse_probe_output(R"({"python": "x"})", run), "no JSON document in the output");
  EXPECT_EQ(parse_probe_output(R"({"probe": 2})", run), "probe format 2 is not understood");
  EXPECT_EQ(parse_probe_output(R"({"probe": "1"})", run), R"(probe format "1" is not understood)");
}

TEST(ParseProbeOutput, WrongTypesAreSkipped) {
  facts::VerifyRun run;
  ASSERT_EQ(
      parse_probe_output(
          R"({"probe": 1, "python_version": 3, "torch": {"version": 1, "cuda": ["x"], "cudnn": "8907", "arch_list": "sm_90"}, "devices": [7, {"name": "A"}], "steps": [{"ok": true}, {"name": "import", "ok": "yes", "seconds": "1"}], "warnings": [{"category": "X"}, "w"], "info_errors": [1, "e"], "speedup": "fast"})",
          run),
      std::nullopt);
  EXPECT_EQ(run.python_version, std::nullopt);
  EXPECT_EQ(run.torch_version, std::nullopt);
  EXPECT_EQ(run.torch_cuda, std::nullopt);
  EXPECT_EQ(run.torch_cudnn, std::nullopt);
  EXPECT_EQ(run.arch_list, std::nullopt);
  ASSERT_EQ(run.devices.size(), 1u);
  EXPECT_EQ(run.devices[0].name, "A");
  ASSERT_EQ(run.steps.size(), 1u);
  EXPECT_FALSE(run.steps[0].ok);
  EXPECT_EQ(run.steps[0].seconds, std::nullopt);
  EXPECT_TRUE(run.warnings.empty());
  EXPECT_EQ(run.info_errors, std::vector<std::string>{"e"});
  EXPECT_EQ(run.speedup, std::nullopt);
  EXPECT_FALSE(run.torch_imported);
}

TEST(CudnnVersionText, BothEncodings) {
  EXPECT_EQ(cudnn_version_text(90100), "9.1.0");
  EXPECT_EQ(cudnn_version_text(91002), "9.10.2");
  EXPECT_EQ(cudnn_version_text(92000), "9.20.0");
  EXPECT_EQ(cudnn_version_text(8907), "8.9.7");
  EXPECT_EQ(cudnn_version_text(8005), "8.0.5");
  EXPECT_EQ(cudnn_version_text(7605), "7.6.5");
  EXPECT_EQ(cudnn_version_text(0), std::nullopt);
  EXPECT_EQ(cudnn_version_text(-8907), std::nullopt);
  EXPECT_EQ(cudnn_version_text(99), std::nullopt);
}

TEST(ProgressLines, LastStep) {
  EXPECT_EQ(last_progress_step("gpuenv-verify: step import\ngpuenv-verify: step matmul cuda:0\n"),
            "matmul cuda:0");
  EXPECT_EQ(last_progress_step("gpuenv-verify: step import\nwarning text\n"), "import");
  EXPECT_EQ(last_progress_step("gpuenv-verify: step import\ngpuenv-verify: step done\n"), std::nullopt);
  EXPECT_EQ(last_progress_step("Segmentation fault\n"), std::nullopt);
  EXPECT_EQ(last_progress_step("gpuenv-verify: step conv2d cuda:1\r\n"), "conv2d cuda:1");
}

TEST(ProgressLines, StderrTail) {
  EXPECT_EQ(stderr_tail("gpuenv-verify: step import\nline 1\ngpuenv-verify: step x\nline 2\n\n"),
            "line 1\nline 2");
  EXPECT_EQ(stderr_tail("a\nb\nc\nd\n", 2), "c\nd");
  EXPECT_EQ(stderr_tail(""), "");
  // Cut on a character boundary: "é" is two bytes
  EXPECT_EQ(stderr_tail("ééé", 20, 3), "[...]é");
}

}  // namespace
}  // namespace gpuenv::install
