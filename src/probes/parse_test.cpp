#include "probes/parse.hpp"

#include <gtest/gtest.h>

namespace gpuenv::probes {
namespace {

// Real first lines of /proc/driver/nvidia/version across driver generations and both module flavours.
struct BannerCase {
  const char* text;
  const char* version;
  bool open;
};
const BannerCase kBanners[] = {
    {"NVRM version: NVIDIA UNIX x86_64 Kernel Module  375.74  Wed Jun 14 01:39:39 PDT 2017\n", "375.74",
     false},
    {"NVRM version: NVIDIA UNIX x86_64 Kernel Module  470.256.02  Thu May  2 14:37:44 UTC 2024\n"
     "GCC version:  gcc version 9.4.0 (Ubuntu 9.4.0-1ubuntu1~20.04.2)\n",
     "470.256.02", false},
    {"NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\n",
     "535.104.05", false},
    {"NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.144.03  Release Build  "
     "(dvs-builder@U16-I3-D08-1-2)  Mon Dec 30 17:26:13 UTC 2024\n",
     "550.144.03", true},
    {"NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.124.06  Release Build  "
     "(dvs-builder@U16-I3-B03-4-3)  Wed Feb 26 01:51:29 UTC 2025\n",
     "570.124.06", true},
    {"NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.95.05  Tue Sep 23 09:54:25 UTC 2025\n", "580.95.05",
     false},
    {"NVRM version: NVIDIA UNIX Open Kernel Module for aarch64  580.65.06  Release Build  "
     "(dvs-builder@U22-I3-AE18-09-1)  Sun Jul 27 06:54:38 UTC 2025\n",
     "580.65.06", true},
};

TEST(DriverBanner, ParsesEveryGeneration) {
  for (auto& c : kBanners) {
    auto b = parse_driver_banner(c.text);
    ASSERT_TRUE(b) << c.text;
    EXPECT_EQ(b->version, c.version) << c.text;
    EXPECT_EQ(b->open, c.open) << c.text;
  }
}

TEST(DriverBanner, RejectsJunk) {
  for (const char* bad :
       {"", "NVRM version:", "hello world", "NVRM version: NVIDIA UNIX x86_64 Kernel Module",
        "NVRM version: NVIDIA UNIX x86_64 Kernel Module  abc  def", "\x00\x01\x02garbage",
        "GCC version:  gcc version 12.3.0\nNVRM version: NVIDIA UNIX x86_64 Kernel Module  535.1"}) {
    EXPECT_FALSE(parse_driver_banner(bad)) << bad;
  }
}

TEST(DriverVersionLine, SysModuleValue) {
  EXPECT_EQ(parse_driver_version_line("550.144.03\n"), "550.144.03");
  EXPECT_EQ(parse_driver_version_line("  535.104.05  "), "535.104.05");
  EXPECT_FALSE(parse_driver_version_line(""));
  EXPECT_FALSE(parse_driver_version_line("550"));
  EXPECT_FALSE(parse_driver_version_line("550.144.03-beta"));
  EXPECT_FALSE(parse_driver_version_line("5.."));
}

TEST(ProcModules, Names) {
  auto names = parse_proc_modules(
      "nvidia_uvm 1556480 0 - Live 0x0000000000000000 (PO)\n"
      "nvidia_drm 77824 4 - Live 0x0000000000000000 (PO)\n"
      "nvidia 56856576 56 nvidia_uvm,nvidia_modeset, Live 0x0000000000000000 (PO)\n"
      "nouveau 2555904 0 - Live 0x0000000000000000\n");
  EXPECT_EQ(names, (std::vector<std::string>{"nvidia_uvm", "nvidia_drm", "nvidia", "nouveau"}));
  EXPECT_TRUE(parse_proc_modules("").empty());
}

TEST(GpuInformation, RealFile) {
  auto info = parse_gpu_information(
      "Model: \t\t NVIDIA GeForce RTX 4090\nIRQ:   \t\t 186\nGPU UUID: \t "
      "GPU-5d1b0e4c-8f1a-4c71-9c9c-0c1f2a3b4c5d\n"
      "Video BIOS: \t 95.02.3c.80.b8\nBus Type: \t PCIe\nDMA Size: \t 47 bits\nDMA Mask: \t 0x7fffffffffff\n"
      "Bus Location: \t 0000:01:00.0\nDevice Minor: \t 0\nGPU Excluded:\t No\n");
  EXPECT_EQ(info.model, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(info.uuid, "GPU-5d1b0e4c-8f1a-4c71-9c9c-0c1f2a3b4c5d");
  EXPECT_EQ(info.bus_location, "0000:01:00.0");
  auto empty = parse_gpu_information("Model:\n");
  EXPECT_FALSE(empty.model);
}

TEST(SysfsHex, Values) {
  EXPECT_EQ(parse_sysfs_hex("0x10de\n"), 0x10deu);
  EXPECT_EQ(parse_sysfs_hex("0x030000\n"), 0x030000u);
  EXPECT_EQ(parse_sysfs_hex("0x2B85"), 0x2b85u);
  EXPECT_FALSE(parse_sysfs_hex(""));
  EXPECT_FALSE(parse_sysfs_hex("0x"));
  EXPECT_FALSE(parse_sysfs_hex("0xzz"));
  EXPECT_FALSE(parse_sysfs_hex("0x123456789"));
}

TEST(PciIds, FindsNvidiaDevice) {
  const char* ids =
      "# pci.ids excerpt\n"
      "10de  NVIDIA Corporation\n"
      "\t2204  GA102 [GeForce RTX 3090]\n"
      "\t\t147d 2204  GeForce RTX 3090\n"
      "\t2d04  GB206 [GeForce RTX 5060 Ti]\n"
      "\t1234  Mystery\n"
      "10df  Emulex Corporation\n"
      "\t2d05  Not NVIDIA\n";
  auto e = parse_pci_ids(ids, "10de", "2d04");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->chip, "GB206");
  EXPECT_EQ(e->product, "GeForce RTX 5060 Ti");
  auto m = parse_pci_ids(ids, "10de", "1234");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->chip, "Mystery");
  EXPECT_FALSE(m->product);
  EXPECT_FALSE(parse_pci_ids(ids, "10de", "2d05"));  // belongs to the next vendor
  EXPECT_FALSE(parse_pci_ids("", "10de", "2204"));
}

TEST(CudaVersionJson, SdkVersionAndDateStamped) {
  EXPECT_EQ(parse_cuda_version_json(R"({"cuda": {"name": "CUDA SDK", "version": "12.2.0"}})"), "12.2.0");
  EXPECT_EQ(
      parse_cuda_version_json(
          R"({"cuda": {"name": "CUDA SDK", "version": "12.1.20230222"}, "cuda_nvcc": {"version": "12.1.66"}})"),
      "12.1.66");
  EXPECT_EQ(parse_cuda_version_json(R"({"cuda": {"version": "11.8.20220929"}})"), "11.8");
  EXPECT_FALSE(parse_cuda_version_json("{not json"));
  EXPECT_FALSE(parse_cuda_version_json(R"({"cuda": {"version": 12}})"));
  EXPECT_FALSE(parse_cuda_version_json("[]"));
}

TEST(CudaVersionTxt, OldToolkits) {
  EXPECT_EQ(parse_cuda_version_txt("CUDA Version 10.0.130\n"), "10.0.130");
  EXPECT_EQ(parse_cuda_version_txt("CUDA Version 11.0.207"), "11.0.207");
  EXPECT_FALSE(parse_cuda_version_txt("CUDA Version \n"));
  EXPECT_FALSE(parse_cuda_version_txt("cuda 11"));
}

TEST(CudaHeader, VersionDefine) {
  EXPECT_EQ(parse_cuda_h("/* ... */\n#define CUDA_VERSION 13000\n"), "13.0");
  EXPECT_EQ(parse_cuda_h("#define CUDA_VERSION 12060\n"), "12.6");
  EXPECT_EQ(parse_cuda_h("#define  CUDA_VERSION\t11080"), "11.8");
  EXPECT_FALSE(parse_cuda_h("#define CUDA_VERSION_MAJOR 13\n"));
  EXPECT_FALSE(parse_cuda_h("#define CUDA_VERSION abc\n"));
}

TEST(CudnnHeader, V7V8V9) {
  EXPECT_EQ(parse_cudnn_header("#define CUDNN_MAJOR 7\n#define CUDNN_MINOR 6\n#define CUDNN_PATCHLEVEL 5\n"),
            "7.6.5");
  EXPECT_EQ(parse_cudnn_header(
                "#define CUDNN_MAJOR 8\n#define CUDNN_MINOR 9\n#define CUDNN_PATCHLEVEL 7\n"
                "#define CUDNN_VERSION (CUDNN_MAJOR * 1000 + CUDNN_MINOR * 100 + CUDNN_PATCHLEVEL)\n"),
            "8.9.7");
  EXPECT_EQ(parse_cudnn_header("#define CUDNN_MAJOR 9\n#define CUDNN_MINOR 19\n#define CUDNN_PATCHLEVEL 0\n"),
            "9.19.0");
  EXPECT_FALSE(parse_cudnn_header("#define CUDNN_MAJOR 9\n"));
  EXPECT_FALSE(parse_cudnn_header(""));
}

TEST(LibraryVersion, FromFileNames) {
  EXPECT_EQ(library_version("libcuda.so.535.104.05", "libcuda.so"), "535.104.05");
  EXPECT_EQ(library_version("libnvidia-ml.so.580.95.05", "libnvidia-ml.so"), "580.95.05");
  EXPECT_EQ(library_version("libcudnn.so.8.9.7", "libcudnn.so"), "8.9.7");
  EXPECT_EQ(library_version("libcuda.so.1", "libcuda.so"), "1");
  EXPECT_FALSE(library_version("libcuda.so", "libcuda.so"));
  EXPECT_FALSE(library_version("libcudart.so.12", "libcuda.so"));
  EXPECT_FALSE(library_version("libcuda.so.1.bak", "libcuda.so"));
}

TEST(KeyValue, OsRelease) {
  const char* text =
      "PRETTY_NAME=\"Ubuntu 22.04.4 "
      "LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n";
  EXPECT_EQ(parse_key_value(text, "ID"), "ubuntu");
  EXPECT_EQ(parse_key_value(text, "VERSION_ID"), "22.04");
  EXPECT_EQ(parse_key_value(text, "PRETTY_NAME"), "Ubuntu 22.04.4 LTS");
  EXPECT_FALSE(parse_key_value(text, "VERSION_CODENAME"));
}

TEST(LdSoConf, DirsAndIncludes) {
  auto c = parse_ld_so_conf(
      "include /etc/ld.so.conf.d/*.conf\n# comment\n/usr/local/cuda-13.0/targets/x86_64-linux/lib\n\n");
  EXPECT_EQ(c.includes, std::vector<std::string>{"/etc/ld.so.conf.d/*.conf"});
  EXPECT_EQ(c.dirs, std::vector<std::string>{"/usr/local/cuda-13.0/targets/x86_64-linux/lib"});
}

TEST(DistInfoName, Split) {
  auto p = parse_dist_info_name("nvidia_cuda_nvcc-13.0.88.dist-info");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->first, "nvidia_cuda_nvcc");
  EXPECT_EQ(p->second, "13.0.88");
  EXPECT_FALSE(parse_dist_info_name("nvidia_cuda_nvcc.dist-info"));
  EXPECT_FALSE(parse_dist_info_name("foo-1.0.egg-info"));
}

TEST(Glibc, Banner) {
  std::string bytes(
      "\x7f"
      "ELF...GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release version 2.36.\n",
      80);
  EXPECT_EQ(parse_glibc_banner(bytes), "2.36");
  EXPECT_FALSE(parse_glibc_banner("no banner"));
}

TEST(SecureBoot, EfiVariable) {
  EXPECT_EQ(parse_secure_boot_efivar(std::string("\x06\x00\x00\x00\x01", 5)), true);
  EXPECT_EQ(parse_secure_boot_efivar(std::string("\x06\x00\x00\x00\x00", 5)), false);
  EXPECT_FALSE(parse_secure_boot_efivar("abc"));
}

}  // namespace
}  // namespace gpuenv::probes
