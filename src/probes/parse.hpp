#pragma once
// Pure parsers for the chain's files: text in, values out. No file access here (style.md: split read
// from parse); every parser has a real sample of its input in its comment and tests on real strings.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::probes {

/// /proc/driver/nvidia/version, line 1. Real samples:
///   "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.144.03  Release Build
///   (dvs-builder@U16-I3-D08-1-2)  Mon Dec 30 17:26:13 UTC 2024" "NVRM version: NVIDIA UNIX x86_64 Kernel
///   Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023" "NVRM version: NVIDIA UNIX x86_64 Kernel Module 375.74
///   Wed Jun 14 01:39:39 PDT 2017"
struct DriverBanner {
  std::string version;
  bool open = false;  ///< "Open Kernel Module"
};
std::optional<DriverBanner> parse_driver_banner(std::string_view text);

/// A bare driver version as in /sys/module/nvidia/version ("550.144.03\n"): trimmed, digits and dots.
std::optional<std::string> parse_driver_version_line(std::string_view text);

/// /proc/modules: "nvidia_uvm 1556480 0 - Live 0x0000000000000000 (PO)" — the module names.
std::vector<std::string> parse_proc_modules(std::string_view text);

/// /proc/driver/nvidia/gpus/<bus>/information:
///   "Model: \t\t NVIDIA GeForce RTX 4090\nIRQ: ...\nGPU UUID: \t GPU-5d1b...\nBus Location: \t
///   0000:01:00.0\n"
struct GpuInformation {
  std::optional<std::string> model, uuid, bus_location;
};
GpuInformation parse_gpu_information(std::string_view text);

/// A sysfs hex value ("0x10de\n", "0x030000\n") → the number; nullopt on junk.
std::optional<unsigned long> parse_sysfs_hex(std::string_view text);

/// pci.ids: the device line of vendor 10de with this 16-bit id: "\t2204  GA102 [GeForce RTX 3090]".
/// Returns the chip codename ("GA102") and the product ("GeForce RTX 3090") when bracketed.
struct PciIdsEntry {
  std::string text;  ///< the whole name: "GA102 [GeForce RTX 3090]"
  std::optional<std::string> chip, product;
};
std::optional<PciIdsEntry> parse_pci_ids(std::string_view text, std::string_view vendor_hex4,
                                         std::string_view device_hex4);

/// CUDA toolkit version.json: {"cuda": {"name": "CUDA SDK", "version": "12.2.0"}, "cuda_nvcc": {"version":
/// "12.2.91"}}. Date-stamped SDK versions ("12.1.20230222") are replaced by the nvcc/cudart component
/// version.
std::optional<std::string> parse_cuda_version_json(std::string_view text);
/// version.txt of CUDA ≤ 11.0: "CUDA Version 11.0.207".
std::optional<std::string> parse_cuda_version_txt(std::string_view text);
/// include/cuda.h: "#define CUDA_VERSION 13000" → "13.0".
std::optional<std::string> parse_cuda_h(std::string_view text);
/// cudnn_version.h (v8+) or cudnn.h (≤ v7): CUDNN_MAJOR / CUDNN_MINOR / CUDNN_PATCHLEVEL → "9.19.0".
std::optional<std::string> parse_cudnn_header(std::string_view text);

/// The version in a versioned library file name: ("libcuda.so.535.104.05", "libcuda.so") → "535.104.05";
/// ("libcudnn.so.8.9.7", "libcudnn.so") → "8.9.7"; ("libcuda.so.1", ...) → "1". nullopt if no match.
std::optional<std::string> library_version(std::string_view file_name, std::string_view stem);

/// os-release style KEY=value lines, with optional quotes: the value of `key`.
std::optional<std::string> parse_key_value(std::string_view text, std::string_view key);

/// ld.so.conf text: the directories and the "include" patterns it names.
struct LdSoConf {
  std::vector<std::string> dirs;
  std::vector<std::string> includes;
};
LdSoConf parse_ld_so_conf(std::string_view text);

/// A dist-info directory name "nvidia_cuda_nvcc-13.0.88.dist-info" → ("nvidia_cuda_nvcc", "13.0.88").
std::optional<std::pair<std::string, std::string>> parse_dist_info_name(std::string_view dir_name);

/// "GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release version 2.36." inside libc.so.6 → "2.36".
std::optional<std::string> parse_glibc_banner(std::string_view bytes);

/// Secure Boot EFI variable: 4 bytes of attributes then one byte, 1 = enabled.
std::optional<bool> parse_secure_boot_efivar(std::string_view bytes);

std::string_view trim(std::string_view s);

}  // namespace gpuenv::probes
