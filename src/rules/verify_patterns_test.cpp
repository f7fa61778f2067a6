// The pieces pulled out of real error messages; samples from the threads failure-modes.md cites.
#include "rules/verify_patterns.hpp"

#include <gtest/gtest.h>

namespace gpuenv::rules {
namespace {

TEST(DecodeFoundVersion, RealMessages) {
  // lllyasviel/Fooocus#1313 (FM-10)
  EXPECT_EQ(
      decode_found_version("RuntimeError: The NVIDIA driver on your system is too old (found version 11040). "
                           "Please update your GPU driver by downloading and installing a new version from "
                           "the URL: http://www.nvidia.com/Download/index.aspx Alternatively, go to: "
                           "https://pytorch.org to install a PyTorch version that has been compiled with "
                           "your version of the CUDA driver."),
      "11.4");
  // IEIT-Yuan/Yuan-2.0#65 (FM-11), a warning at CUDA initialisation
  EXPECT_EQ(
      decode_found_version("UserWarning: CUDA initialization: The NVIDIA driver on your system is too old "
                           "(found version 11000)."),
      "11.0");
}

TEST(DecodeFoundVersion, TheEncodingOfSection02) {
  EXPECT_EQ(decode_found_version("found version 11060"), "11.6");
  EXPECT_EQ(decode_found_version("found version 10010"), "10.1");
  EXPECT_EQ(decode_found_version("found version 9010"), "9.1");
  EXPECT_EQ(decode_found_version("found version 6050"), "6.5");
  EXPECT_EQ(decode_found_version("found version 12080"), "12.8");
}

TEST(DecodeFoundVersion, Negatives) {
  EXPECT_EQ(decode_found_version(""), std::nullopt);
  EXPECT_EQ(decode_found_version("The NVIDIA driver on your system is too old"), std::nullopt);
  EXPECT_EQ(decode_found_version("found version abc"), std::nullopt);
  EXPECT_EQ(decode_found_version("found version 12"), std::nullopt);
  EXPECT_EQ(decode_found_version("found version -11040"), std::nullopt);
}

TEST(MissingLibrary, RealMessages) {
  // pytorch/pytorch#104259 (FM-33)
  EXPECT_EQ(missing_library(
                "ImportError: libcudnn.so.8: cannot open shared object file: No such file or directory"),
            "libcudnn.so.8");
  // pytorch/pytorch#165812 (FM-34)
  EXPECT_EQ(missing_library("ImportError: libcudnn.so.9: cannot open shared object file"), "libcudnn.so.9");
  // python-poetry/poetry#8474
  EXPECT_EQ(
      missing_library("OSError: libcupti.so.11.7: cannot open shared object file: No such file or directory"),
      "libcupti.so.11.7");
  // tensorflow/tensorflow#45930 (FM-40): the name after dlerror is the one missing
  EXPECT_EQ(missing_library(
                "Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot "
                "open shared object file: No such file or directory"),
            "libcudart.so.11.0");
  // cupy/cupy#1790 (FM-20): the driver's own library
  EXPECT_EQ(
      missing_library("ImportError: libcuda.so.1: cannot open shared object file: No such file or directory"),
      "libcuda.so.1");
  EXPECT_EQ(missing_library("OSError: /opt/venv/lib/libnvrtc.so.12: cannot open shared object file"),
            "libnvrtc.so.12");
}

TEST(MissingLibrary, Negatives) {
  EXPECT_EQ(missing_library("ImportError: cannot open file"), std::nullopt);
  EXPECT_EQ(missing_library("OSError: foo.so: cannot open shared object file"), std::nullopt);
  EXPECT_EQ(missing_library(": cannot open shared object file"), std::nullopt);
}

TEST(UndefinedSymbol, RealMessages) {
  // infiniflow/ragflow#4466 (FM-35)
  EXPECT_EQ(undefined_symbol(
                "ImportError: /venv/lib/python3.12/site-packages/nvidia/cusparse/lib/libcusparse.so.12: "
                "undefined symbol: __nvJitLinkAddData_12_1, version libnvJitLink.so.12"),
            "__nvJitLinkAddData_12_1");
  // pytorch/pytorch#134929 (FM-36)
  EXPECT_EQ(undefined_symbol(
                "libcusparse.so.12: undefined symbol: __nvJitLinkComplete_12_4, version libnvJitLink.so.12"),
            "__nvJitLinkComplete_12_4");
  EXPECT_EQ(undefined_symbol("undefined symbol: _ZN3c104cuda9SetDeviceEi"), "_ZN3c104cuda9SetDeviceEi");
}

TEST(UndefinedSymbol, Negatives) {
  EXPECT_EQ(undefined_symbol("undefined symbol: "), std::nullopt);
  EXPECT_EQ(undefined_symbol("symbol lookup error"), std::nullopt);
}

TEST(CapabilityFromWarning, RealMessages) {
  // pytorch/pytorch#150733 (FM-15)
  EXPECT_EQ(capability_from_warning(
                "NVIDIA GeForce RTX 5090 D with CUDA capability sm_120 is not compatible with the "
                "current PyTorch installation.\nThe current PyTorch install supports CUDA "
                "capabilities sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90."),
            "sm_120");
  EXPECT_EQ(capability_from_warning("NVIDIA A100 with CUDA capability sm_80 is not compatible"), "sm_80");
}

TEST(CapabilityFromWarning, Negatives) {
  EXPECT_EQ(capability_from_warning("is not compatible with the current PyTorch installation"), std::nullopt);
  EXPECT_EQ(capability_from_warning("CUDA capability sm_ is"), std::nullopt);
}

TEST(CudaVisibleDevices, HidesEverything) {
  // pytorch/pytorch#40618 (empty), chainer/chainer PR #2245 (-1), pytorch/examples#115 (index out of range)
  EXPECT_TRUE(cuda_visible_devices_hides("", std::nullopt));
  EXPECT_TRUE(cuda_visible_devices_hides("  ", 2));
  EXPECT_TRUE(cuda_visible_devices_hides("-1", std::nullopt));
  EXPECT_TRUE(cuda_visible_devices_hides("2", 1));
  EXPECT_TRUE(cuda_visible_devices_hides("1,0", 1));  // CUDA stops at the first invalid entry
  EXPECT_TRUE(cuda_visible_devices_hides("NoDevFiles", std::nullopt));
  EXPECT_TRUE(cuda_visible_devices_hides(",0", 1));
}

TEST(CudaVisibleDevices, SelectsSomething) {
  EXPECT_FALSE(cuda_visible_devices_hides("0", 1));
  EXPECT_FALSE(cuda_visible_devices_hides("0,1", 2));
  EXPECT_FALSE(cuda_visible_devices_hides("3", std::nullopt));  // GPU count unknown: cannot tell
  EXPECT_FALSE(cuda_visible_devices_hides("GPU-8f6f0c2a-5e4b-4f0e-9b7c-2d1e3f4a5b6c", 1));
  EXPECT_FALSE(cuda_visible_devices_hides("MIG-GPU-8f6f0c2a/1/0", 1));
  EXPECT_FALSE(cuda_visible_devices_hides(" 0 ", 1));
}

}  // namespace
}  // namespace gpuenv::rules
