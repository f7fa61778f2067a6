// The translator on recorded real error texts (the samples failure-modes.md quotes, with its case ids).
#include "rules/verify_translate.hpp"

#include <gtest/gtest.h>

namespace gpuenv::rules {
namespace {

using i18n::Lang;

facts::VerifyRun cuda_run(std::string torch = "2.4.0+cu121", std::string cuda = "12.1") {
  facts::VerifyRun r;
  r.python = "/home/alice/.venv/bin/python";
  r.env = "/home/alice/.venv";
  r.selector = "--env /home/alice/.venv";
  r.python_version = "3.11.9";
  r.torch_imported = true;
  r.torch_version = std::move(torch);
  r.torch_cuda = std::move(cuda);
  return r;
}

facts::Machine with_gpu(std::string name = "NVIDIA GeForce RTX 3090", std::string cc = "8.6") {
  facts::Machine m;
  facts::Gpu g;
  g.name = std::move(name);
  g.compute_capability = std::move(cc);
  m.gpus.push_back(g);
  m.driver.version = "535.104.05";
  m.driver.module_loaded = true;
  return m;
}

/// Every text of a finding exists in the catalog and has all its placeholders filled, in both languages.
void expect_complete(const Finding& f) {
  std::vector<const i18n::Text*> texts{&f.title, &f.explanation};
  for (auto& fx : f.fixes) texts.push_back(&fx.text);
  for (auto* t : texts) {
    EXPECT_TRUE(i18n::Catalog::builtin().has(t->id)) << t->id;
    for (auto lang : {Lang::en, Lang::ja}) {
      auto s = t->render(lang);
      for (auto& name : i18n::placeholders(i18n::Catalog::builtin().text(lang, t->id)))
        EXPECT_EQ(s.find("{" + name + "}"), std::string::npos) << t->id << ": {" << name << "} unfilled";
    }
  }
}

std::string id_of(std::string_view text, const facts::VerifyRun& run, const facts::Machine* m,
                  std::string_view step = "matmul (cuda:0)") {
  auto f = translate_error(text, step, run, m);
  if (!f) return "(none)";
  expect_complete(*f);
  return f->id;
}

TEST(Translate, NoKernelImage) {
  auto run = cuda_run("2.7.0.dev20250310+cu124", "12.4");
  facts::VerifyDevice d;
  d.name = "NVIDIA GeForce RTX 5090";
  d.compute_capability = "12.0";
  run.devices.push_back(d);
  run.arch_list = std::vector<std::string>{"sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"};
  // pytorch/pytorch#167244 (FM-16)
  auto f = translate_error(
      "RuntimeError: CUDA error: no kernel image is available for execution on the device\nCUDA kernel "
      "errors might be "
      "asynchronously reported at some other API call, so the stacktrace below might be incorrect.\nFor "
      "debugging "
      "consider passing CUDA_LAUNCH_BLOCKING=1.",
      "allocate (cuda:0)", run, nullptr);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->id, "gpu-arch-not-in-torch-build");
  EXPECT_EQ(f->title.en(), "torch 2.7.0.dev20250310+cu124 has no GPU code for the NVIDIA GeForce RTX 5090");
  EXPECT_EQ(
      f->explanation.en(),
      "The GPU has compute capability 12.0, but this torch build holds code only for sm_50 sm_60 sm_70 sm_75 "
      "sm_80 sm_86 sm_90, so CUDA work fails (“RuntimeError: CUDA error: no kernel image is available for "
      "execution on the device”). A build compiled for this GPU's architecture fixes this.");
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(f->fixes[0].commands, std::vector<std::string>{"gpuenv plan --env /home/alice/.venv"});
  expect_complete(*f);
  // bnsreenu/digitalsreeni-image-annotator#57 (FM-18), torch >= 2.8 raises AcceleratorError
  EXPECT_EQ(
      id_of("torch.AcceleratorError: CUDA error: no kernel image is available for execution on the device",
            run, nullptr),
      "gpu-arch-not-in-torch-build");
}

TEST(Translate, ArchWarningsAndTooOldGpu) {
  auto run = cuda_run();
  // pytorch/pytorch#150733 (FM-15): the warning names the capability when torch saw no device details
  auto f = translate_error(
      "UserWarning: NVIDIA GeForce RTX 5090 D with CUDA capability sm_120 is not compatible with the current "
      "PyTorch "
      "installation.\nThe current PyTorch install supports CUDA capabilities sm_50 sm_60 sm_70 sm_75 sm_80 "
      "sm_86 "
      "sm_90.",
      "", run, nullptr);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->id, "gpu-arch-not-in-torch-build");
  EXPECT_NE(f->explanation.en().find("compute capability sm_120"), std::string::npos) << f->explanation.en();
  // AUTOMATIC1111/stable-diffusion-webui#3003 (FM-19)
  EXPECT_EQ(id_of("Found GPU0 NVIDIA GTX TITAN Black which is of cuda capability 3.5. PyTorch no longer "
                  "supports this "
                  "GPU because it is too old. The minimum cuda capability supported by this library is 3.7.",
                  run, nullptr),
            "gpu-arch-not-in-torch-build");
}

TEST(Translate, DriverTooOld) {
  auto run = cuda_run();
  auto m = with_gpu("NVIDIA GeForce RTX 3050 Laptop GPU");
  // lllyasviel/Fooocus#1313 (FM-10)
  auto f = translate_error(
      "RuntimeError: The NVIDIA driver on your system is too old (found version 11040). Please "
      "update your GPU driver by downloading and installing a new version from the URL: "
      "http://www.nvidia.com/Download/index.aspx",
      "cuda_init (cuda)", run, &m);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->id, "driver-too-old-for-torch");
  EXPECT_EQ(
      f->explanation.en(),
      "Because torch 2.4.0+cu121 was built for CUDA 12.1 and the NVIDIA driver supports CUDA only up to 11.4 "
      "(“RuntimeError: The NVIDIA driver on your system is too old (found version 11040). Please update your "
      "GPU driver by downloading and installing a new version from the URL: "
      "http://www.nvidia.com/Download/index.aspx”), CUDA cannot start.");
  EXPECT_EQ(f->fixes.size(), 2u);
  expect_complete(*f);
  // cupy/cupy#9252 (FM-12)
  EXPECT_EQ(id_of("cudaErrorInsufficientDriver: CUDA driver version is insufficient for CUDA runtime version",
                  run, &m),
            "driver-too-old-for-torch");
}

TEST(Translate, InsufficientDriverInAContainerWithoutGpu) {
  // NVIDIA/nvidia-docker#400 (FM-13): the same words when the container simply has no GPU
  auto run = cuda_run();
  facts::Machine m;
  m.os.container = "docker";
  EXPECT_EQ(id_of("CUDA driver version is insufficient for CUDA runtime version", run, &m),
            "container-without-gpu");
}

TEST(Translate, FoundNoDriverDependsOnTheMachine) {
  // mks0601/I2L-MeshNet_RELEASE#105 (FM-20)
  const char* text =
      "RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and "
      "installed a "
      "driver from http://www.nvidia.com/Download/index.aspx";
  auto run = cuda_run();
  facts::Machine none;
  EXPECT_EQ(id_of(text, run, &none, "cuda_init (cuda)"), "no-nvidia-gpu");
  auto gpu = with_gpu();
  gpu.driver.module_loaded = false;
  EXPECT_EQ(id_of(text, run, &gpu, "cuda_init (cuda)"), "driver-not-loaded");
  EXPECT_EQ(id_of(text, run, nullptr, "cuda_init (cuda)"), "driver-not-loaded");
  facts::Machine container;
  container.os.container = "docker";
  EXPECT_EQ(id_of(text, run, &container, "cuda_init (cuda)"), "container-without-gpu");
  // cupy/cupy#1790: the driver library itself is missing
  EXPECT_EQ(id_of("ImportError: libcuda.so.1: cannot open shared object file: No such file or directory", run,
                  &none, "import"),
            "no-nvidia-gpu");
}

TEST(Translate, CudaLibrariesMissing) {
  auto run = cuda_run("2.0.1", "11.7");
  // pytorch/pytorch#104259 (FM-33)
  auto f =
      translate_error("ImportError: libcudnn.so.8: cannot open shared object file: No such file or directory",
                      "import", run, nullptr);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->id, "torch-cuda-libs-missing");
  EXPECT_EQ(
      f->explanation.en(),
      "torch cannot load libcudnn.so.8 (“ImportError: libcudnn.so.8: cannot open shared object file: No such "
      "file or directory”). A CUDA build of torch brings its own CUDA libraries (the nvidia-* packages); "
      "here "
      "they are missing or not found from this environment.");
  expect_complete(*f);
  EXPECT_EQ(id_of("OSError: libcupti.so.11.7: cannot open shared object file: No such file or directory", run,
                  nullptr),
            "torch-cuda-libs-missing");
  EXPECT_EQ(
      id_of("RuntimeError: cuDNN is not available to torch (torch.backends.cudnn.is_available() is False)",
            run, nullptr),
      "torch-cuda-libs-missing");
  // A library that is not CUDA's: an import failure, not "CUDA libraries missing"
  EXPECT_EQ(id_of("ImportError: libgomp.so.1: cannot open shared object file: No such file or directory", run,
                  nullptr),
            "(none)");
}

TEST(Translate, UndefinedSymbols) {
  const char* text =
      "ImportError: /venv/lib/python3.12/site-packages/nvidia/cusparse/lib/libcusparse.so.12: undefined "
      "symbol: "
      "__nvJitLinkAddData_12_1, version libnvJitLink.so.12";
  auto run = cuda_run();
  // infiniflow/ragflow#4466 (FM-35): LD_LIBRARY_PATH=/usr/local/cuda-12.1/lib64
  run.ld_library_path = "/usr/local/cuda-12.1/lib64";
  auto f = translate_error(text, "import", run, nullptr);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->id, "ld-library-path-shadows");
  EXPECT_EQ(f->fixes[0].commands,
            std::vector<std::string>{"env -u LD_LIBRARY_PATH gpuenv verify --env /home/alice/.venv"});
  expect_complete(*f);
  run.ld_library_path.reset();
  EXPECT_EQ(id_of(text, run, nullptr, "import"), "torch-import-failed");
  // torchvision's _C built against another torch (FM-17 family)
  EXPECT_EQ(id_of("ImportError: /venv/lib/python3.10/site-packages/torchvision/_C.so: undefined symbol: "
                  "_ZN3c1017RegisterOperatorsD1Ev",
                  run, nullptr, "import_torchvision"),
            "torchvision-torch-mismatch");
}

TEST(Translate, WindowsDllErrors) {
  auto run = cuda_run("2.4.0", "12.1");
  // kohya-ss/sd-scripts#1597 (FM-53)
  EXPECT_EQ(id_of("OSError: [WinError 126] The specified module could not be found. Error loading "
                  "\"C:\\venv\\lib\\site-packages\\torch\\lib\\fbgemm.dll\" or one of its dependencies.",
                  run, nullptr, "import"),
            "torch-import-failed");
  EXPECT_EQ(id_of("ImportError: DLL load failed while importing _C: The specified module could not be found.",
                  run, nullptr, "import"),
            "torch-import-failed");
}

TEST(Translate, TorchvisionAndMissingTorch) {
  auto run = cuda_run("2.2.1+cpu", "");
  run.torch_cuda.reset();
  run.torchvision_version = "0.17.1";
  // pytorch/pytorch#122494 (FM-45)
  auto f = translate_error("RuntimeError: operator torchvision::nms does not exist", "import_torchvision",
                           run, nullptr);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->id, "torchvision-torch-mismatch");
  EXPECT_EQ(f->title.en(), "torchvision 0.17.1 does not pair with torch 2.2.1+cpu");
  expect_complete(*f);

  facts::VerifyRun bare;
  bare.python = "/usr/bin/python3.12";
  auto g = translate_error("ModuleNotFoundError: No module named 'torch'", "import", bare, nullptr);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->id, "torch-not-installed");
  EXPECT_EQ(g->title.en(), "torch is not installed for /usr/bin/python3.12");
  EXPECT_EQ(g->title.render(Lang::ja), "/usr/bin/python3.12 には torch がインストールされていません");
  expect_complete(*g);
  // A torch whose compiled core is missing is installed but broken
  EXPECT_EQ(id_of("ModuleNotFoundError: No module named 'torch._C'", bare, nullptr, "import"), "(none)");
}

TEST(Translate, OutOfMemory) {
  auto run = cuda_run();
  // lllyasviel/FramePack#382 / rbbrdckybk/dream-factory#11 (FM-58), levihsu/OOTDiffusion#96 (FM-59)
  EXPECT_EQ(
      id_of("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 65.48 GiB (GPU 0; 8.00 GiB total "
            "capacity; 2.10 GiB already allocated)",
            run, nullptr),
      "gpu-out-of-memory");
  EXPECT_EQ(id_of("RuntimeError: CUDA error: out of memory", run, nullptr), "gpu-out-of-memory");
  // microsoft/WSL#9092 (FM-57): under WSL2 the same words come from Linux driver pieces inside WSL
  const char* wsl =
      "UserWarning: CUDA initialization: Unexpected error from cudaGetDeviceCount(). Did you run some cuda "
      "functions "
      "before calling NumCudaDevices() that might have already set an error? Error 2: out of memory";
  facts::Machine m;
  m.os.wsl = true;
  EXPECT_EQ(id_of(wsl, run, &m), "wsl-linux-driver-installed");
  facts::Machine linux_box;
  EXPECT_EQ(id_of(wsl, run, &linux_box), "gpu-out-of-memory");
}

TEST(Translate, NoDeviceVisible) {
  auto run = cuda_run();
  auto m = with_gpu();
  // pytorch/pytorch#40618 (FM-28): CUDA_VISIBLE_DEVICES set but empty
  run.cuda_visible_devices = "";
  auto f = translate_error("RuntimeError: No CUDA GPUs are available", "allocate (cuda:0)", run, &m);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->id, "cuda-visible-devices-hides-gpus");
  EXPECT_EQ(f->fixes[0].commands,
            std::vector<std::string>{"env -u CUDA_VISIBLE_DEVICES gpuenv verify --env /home/alice/.venv"});
  expect_complete(*f);
  // pytorch/examples#115 (FM-27): an index past the one GPU
  run.cuda_visible_devices = "2";
  EXPECT_EQ(
      id_of("THCudaCheck FAIL file=torch/csrc/cuda/Module.cpp line=51 error=38 : no CUDA-capable device is "
            "detected",
            run, &m),
      "cuda-visible-devices-hides-gpus");
  // A valid selection is not the cause: the device files are (AUTOMATIC1111/stable-diffusion-webui#3207,
  // FM-29)
  run.cuda_visible_devices = "0";
  EXPECT_EQ(id_of("RuntimeError: No CUDA GPUs are available", run, &m), "device-nodes-missing");
}

TEST(Translate, DriverStateAndUnknownCudaError) {
  auto run = cuda_run();
  // oddmario/NVIDIA-Ubuntu-Driver-Guide#4 (FM-24)
  EXPECT_EQ(id_of("Failed to initialize NVML: Driver/library version mismatch", run, nullptr),
            "driver-library-mismatch");
  // pytorch/pytorch#88639 (FM-26): mentions CUDA_VISIBLE_DEVICES, but the cause is the driver's UVM state
  run.cuda_visible_devices = "0";
  auto f = translate_error(
      "UserWarning: CUDA initialization: CUDA unknown error - this may be due to an incorrectly "
      "set up environment, e.g. changing env variable CUDA_VISIBLE_DEVICES after program start. "
      "Setting the available devices to be zero.",
      "", run, nullptr);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->id, "verify-step-failed");
  EXPECT_EQ(f->fixes[0].commands,
            (std::vector<std::string>{"sudo modprobe -r nvidia_uvm", "sudo modprobe nvidia_uvm"}));
  expect_complete(*f);
}

TEST(Translate, UnknownErrorsAreShownVerbatim) {
  auto run = cuda_run();
  EXPECT_FALSE(translate_error("RuntimeError: something nobody has seen", "conv2d (cuda:0)", run, nullptr));
  EXPECT_FALSE(translate_error("", "conv2d (cuda:0)", run, nullptr));
  auto f =
      unknown_error("RuntimeError: something nobody has seen\n  at line 2", "conv2d (cuda:0)", run, nullptr);
  EXPECT_EQ(f.id, "verify-step-failed");
  EXPECT_EQ(f.severity, Severity::error);
  EXPECT_EQ(f.title.en(), "Step conv2d (cuda:0) failed");
  EXPECT_EQ(f.explanation.en(),
            "gpuenv does not know this error, so here it is as it came:\nRuntimeError: something nobody has "
            "seen\n  at "
            "line 2");
  ASSERT_FALSE(f.evidence.empty());
  EXPECT_EQ(f.evidence[0], "step conv2d (cuda:0): RuntimeError: something nobody has seen");
  EXPECT_EQ(f.evidence[1], "python /home/alice/.venv/bin/python (3.11.9)");
  EXPECT_EQ(f.evidence[2], "torch 2.4.0+cu121, torch.version.cuda = 12.1");
  expect_complete(f);
}

TEST(ExplainNoCuda, CpuAndRocmBuilds) {
  facts::VerifyRun cpu;
  cpu.python = "/usr/bin/python3";
  cpu.selector = "--python /usr/bin/python3";
  cpu.torch_imported = true;
  cpu.torch_version = "1.13.0a0";
  facts::Machine none;
  auto f = explain_no_cuda(cpu, &none);
  EXPECT_EQ(f.id, "no-nvidia-gpu");
  EXPECT_EQ(f.explanation.en(),
            "No NVIDIA GPU was found on this machine, and torch 1.13.0a0 is a CPU-only build "
            "(torch.version.cuda is "
            "None), so work runs on the CPU only. The CPU steps above show whether that works.");
  EXPECT_EQ(f.fixes[0].commands,
            std::vector<std::string>{"gpuenv verify --cpu-ok --python /usr/bin/python3"});
  expect_complete(f);
  EXPECT_EQ(explain_no_cuda(cpu, nullptr).id, "no-nvidia-gpu");
  auto gpu = with_gpu();
  auto g = explain_no_cuda(cpu, &gpu);
  EXPECT_EQ(g.id, "torch-cpu-build");
  expect_complete(g);
  cpu.torch_hip = "6.1.40091";
  auto h = explain_no_cuda(cpu, &gpu);
  EXPECT_EQ(h.id, "torch-rocm-build-on-nvidia");
  expect_complete(h);
}

TEST(ExplainNoCuda, CudaBuilds) {
  auto run = cuda_run();
  facts::Machine none;
  auto f = explain_no_cuda(run, &none);
  EXPECT_EQ(f.id, "no-nvidia-gpu");
  expect_complete(f);
  auto gpu = with_gpu();
  run.cuda_visible_devices = "-1";
  EXPECT_EQ(explain_no_cuda(run, &gpu).id, "cuda-visible-devices-hides-gpus");
  run.cuda_visible_devices.reset();
  run.warnings.push_back({"UserWarning", "CUDA initialization: something new", std::nullopt});
  auto u = explain_no_cuda(run, &gpu);
  EXPECT_EQ(u.id, "verify-step-failed");
  EXPECT_NE(u.explanation.en().find("UserWarning: CUDA initialization: something new"), std::string::npos);
  expect_complete(u);
}

}  // namespace
}  // namespace gpuenv::rules
