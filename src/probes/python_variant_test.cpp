#include "probes/python_variant.hpp"

#include <gtest/gtest.h>

namespace gpuenv::probes::py {
namespace {

TEST(Variant, FromLocalLabel) {
  auto a = variant_from_local_label("cu124");
  EXPECT_EQ(a.variant, "cu124");
  EXPECT_EQ(a.cuda, "12.4");
  EXPECT_EQ(variant_from_local_label("cu102").cuda, "10.2");
  EXPECT_EQ(variant_from_local_label("cu92").cuda, "9.2");
  EXPECT_EQ(variant_from_local_label("cu130").cuda, "13.0");
  EXPECT_EQ(variant_from_local_label("cpu").variant, "cpu");
  EXPECT_FALSE(variant_from_local_label("cpu").cuda);
  EXPECT_EQ(variant_from_local_label("cpu.cxx11.abi").variant, "cpu");
  EXPECT_EQ(variant_from_local_label("rocm6.2").variant, "rocm6.2");
  EXPECT_EQ(variant_from_local_label("rocm7.13.0").variant, "rocm7.13");
  EXPECT_EQ(variant_from_local_label("xpu").variant, "xpu");
  EXPECT_FALSE(variant_from_local_label("gitunknown").known());
  EXPECT_FALSE(variant_from_local_label("ubuntu.1").known());
  EXPECT_FALSE(variant_from_local_label("").known());
  EXPECT_FALSE(variant_from_local_label("cu").known());
  EXPECT_FALSE(variant_from_local_label("cuda11.cudnn86").known());
}

TEST(Variant, CudaAndVariantStrings) {
  EXPECT_EQ(cuda_from_variant("cu121"), "12.1");
  EXPECT_FALSE(cuda_from_variant("cpu"));
  EXPECT_FALSE(cuda_from_variant("cu1234"));
  EXPECT_EQ(variant_from_cuda("12.4"), "cu124");
  EXPECT_EQ(variant_from_cuda("12.4.127"), "cu124");
  EXPECT_EQ(variant_from_cuda("9.2"), "cu92");
  EXPECT_FALSE(variant_from_cuda("12"));
  EXPECT_FALSE(variant_from_cuda("None"));
}

TEST(Variant, FromCondaBuildStrings) {
  // pytorch channel
  auto a = variant_from_conda_build("py3.10_cuda12.1_cudnn8.9.2_0");
  EXPECT_EQ(a.variant, "cu121");
  EXPECT_EQ(a.cuda, "12.1");
  EXPECT_EQ(variant_from_conda_build("py3.9_cuda11.3_cudnn8.3.2_0").variant, "cu113");
  EXPECT_EQ(variant_from_conda_build("py3.11_cpu_0").variant, "cpu");
  EXPECT_EQ(variant_from_conda_build("py310_cu121").variant, "cu121");  // torchvision
  // conda-forge
  auto cf = variant_from_conda_build("cuda126_mkl_py312_h2d6e4b1_302");
  EXPECT_EQ(cf.variant, "cu126");
  EXPECT_EQ(cf.cuda, "12.6");
  EXPECT_EQ(variant_from_conda_build("cuda120py311h4b3a1b4_1").cuda, "12.0");
  EXPECT_EQ(variant_from_conda_build("cpu_mkl_py312_h1234567_101").variant, "cpu");
  EXPECT_EQ(variant_from_conda_build("cuda12_py312h0000000_0").cuda, "12");
  EXPECT_FALSE(variant_from_conda_build("cuda12_py312h0000000_0").variant);
  // Anaconda defaults
  EXPECT_EQ(variant_from_conda_build("gpu_cuda118py310h2bb8b3d_0").variant, "cu118");
  EXPECT_EQ(variant_from_conda_build("cpu_py310h6894a8f_0").variant, "cpu");
  // Nothing to say
  EXPECT_FALSE(variant_from_conda_build("h955ad1f_0").known());
  EXPECT_FALSE(variant_from_conda_build("cuda").known());  // pytorch-mutex's build
  EXPECT_FALSE(variant_from_conda_build("").known());
  EXPECT_FALSE(variant_from_conda_build("py3.10_cudnn8.9.2_0").known());
}

TEST(Variant, FromTorchVersionPy) {
  TorchVersionPy cuda;
  cuda.cuda = "12.4";
  cuda.cuda_known = true;
  EXPECT_EQ(variant_from_torch_version_py(cuda).variant, "cu124");
  TorchVersionPy cpu;
  cpu.cuda_known = true;
  EXPECT_EQ(variant_from_torch_version_py(cpu).variant, "cpu");
  TorchVersionPy rocm;
  rocm.cuda_known = true;
  rocm.hip = "6.2.41133-dd7f95766";
  EXPECT_EQ(variant_from_torch_version_py(rocm).variant, "rocm6.2");
  TorchVersionPy xpu;
  xpu.cuda_known = true;
  xpu.xpu = "20240000";
  EXPECT_EQ(variant_from_torch_version_py(xpu).variant, "xpu");
  EXPECT_FALSE(variant_from_torch_version_py(TorchVersionPy{}).known());  // no cuda line: says nothing
}

TEST(Variant, CudaFromRequirements) {
  EXPECT_EQ(cuda_from_requirements(
                {"filelock", "nvidia-cuda-runtime-cu12==12.4.127; platform_system == \"Linux\""}),
            "12.4");
  EXPECT_EQ(cuda_from_requirements({"nvidia_cuda_runtime_cu11 (==11.7.99) ; platform_system == \"Linux\""}),
            "11.7");
  EXPECT_EQ(cuda_from_requirements({"nvidia-cuda-runtime==13.0.48; platform_system == \"Linux\""}), "13.0");
  EXPECT_EQ(cuda_from_requirements({"cuda-toolkit[cublas,cudart]==13.0.2; platform_system == \"Linux\""}),
            "13.0");
  EXPECT_FALSE(cuda_from_requirements({"nvidia-cudnn-cu12==9.1.0.70"}));
  EXPECT_FALSE(cuda_from_requirements({"nvidia-cuda-runtime-cu12>=12.0"}));
  EXPECT_FALSE(
      cuda_from_requirements({"nvidia-cuda-runtime-cu12==12.4.127; platform_system == \"Windows\""}));
  EXPECT_FALSE(cuda_from_requirements({}));
}

TEST(Variant, PackageNames) {
  EXPECT_EQ(cuda_of_nvidia_wheel("nvidia-cudnn-cu12", "9.1.0.70"), "12");
  EXPECT_EQ(cuda_of_nvidia_wheel("nvidia-cudnn-cu11", "8.5.0.96"), "11");
  EXPECT_EQ(cuda_of_nvidia_wheel("nvidia-cuda-runtime", "13.0.48"), "13.0");
  EXPECT_EQ(cuda_of_nvidia_wheel("nvidia-cublas", "13.0.0.19"), "13.0");
  EXPECT_FALSE(cuda_of_nvidia_wheel("nvidia-cufft", "12.0.0.15"));  // cuFFT's own version numbers
  EXPECT_FALSE(cuda_of_nvidia_wheel("torch", "2.5.1"));
  EXPECT_EQ(cuda_of_cupy("cupy-cuda12x"), "12");
  EXPECT_EQ(cuda_of_cupy("cupy-cuda117"), "11.7");
  EXPECT_EQ(cuda_of_cupy("cupy-cuda102"), "10.2");
  EXPECT_FALSE(cuda_of_cupy("cupy"));
  EXPECT_FALSE(cuda_of_cupy("cupy-rocm-5-0"));
  EXPECT_EQ(cuda_of_jax_plugin("jax-cuda12-plugin"), "12");
  EXPECT_EQ(cuda_of_jax_plugin("jax-cuda13-pjrt"), "13");
  EXPECT_FALSE(cuda_of_jax_plugin("jaxlib"));
  EXPECT_TRUE(is_interesting_pip_package("torch"));
  EXPECT_TRUE(is_interesting_pip_package("nvidia-nccl-cu12"));
  EXPECT_TRUE(is_interesting_pip_package("jax-cuda12-plugin"));
  EXPECT_FALSE(is_interesting_pip_package("numpy"));
  EXPECT_FALSE(is_interesting_pip_package("torchmetrics"));
  EXPECT_TRUE(is_interesting_conda_package("pytorch-cuda"));
  EXPECT_TRUE(is_interesting_conda_package("cpuonly"));
  EXPECT_FALSE(is_interesting_conda_package("numpy"));
}

}  // namespace
}  // namespace gpuenv::probes::py
