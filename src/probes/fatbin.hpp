#pragma once
// The CUDA fat binaries inside a host binary (issue 6): which GPU architectures a shared library
// carries code for. Reads the ELF section table, then walks the fatbin containers of `.nv_fatbin`
// (and `__nv_relfatbin`, the relocatable device code of `-rdc` objects) entry header by entry header,
// skipping every payload, so a 1 GB libtorch_cuda.so costs a few thousand small reads.
//
// The layout below was derived from binaries built here with nvcc 13.0 (V13.0.88) and checked on the
// libraries of /usr/local/cuda-13.0/lib64; all fields little-endian.
//
//   container header (16 bytes):  u32 magic 0xBA55ED50 · u16 version (1) · u16 header size (16) ·
//                                 u64 size of the entries that follow
//   entry header (>= 64 bytes):   +0 u16 kind (1 PTX, 2 cubin, 8 LTO IR) · +2 u16 (0x0101) ·
//                                 +4 u32 header size · +8 u64 payload size · +16 u32 compressed size ·
//                                 +24 u16 minor, +26 u16 major (PTX ISA / cubin format version) ·
//                                 +28 u32 arch (90 = sm_90 / compute_90) · +40 u32 flags ·
//                                 +56 u64 uncompressed size; the payload follows the header
//   flags:                        0x8000 or 0x2000 compressed (nvcc -compress-mode size/default vs
//                                 speed); 0x100000 arch-specific ("a": sm_90a); 0x200000 family ("f":
//                                 sm_100f); 0x2 debug (-G); 0x1 64-bit; 0x10 Linux host
//
// A real sample (nvcc 13.0, `-gencode arch=compute_80,code=[sm_80,compute_80]`, libboth.so): the
// second container's header, then its PTX entry's header (after the sm_80 cubin entry):
//   50 ed 55 ba 01 00 10 00  b0 0e 00 00 00 00 00 00   magic, version 1, header 16, body 0xeb0
//   01 00 01 01 50 00 00 00  78 01 00 00 00 00 00 00   PTX, header 0x50, payload 0x178
//   76 01 00 00 40 00 00 00  00 00 09 00 50 00 00 00   compressed 0x176, PTX ISA 9.0, arch 80
//   00 00 00 00 00 00 00 00  11 80 00 00 00 00 00 00   flags 0x8011: compressed, Linux, 64-bit
//   00 00 00 00 00 00 00 00  22 03 00 00 00 00 00 00   uncompressed 0x322 bytes
//   48 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00   (header bytes past the fixed 64)
//
// Containers follow each other in a section (one per translation unit); zero padding between them
// is tolerated. A file that starts with the container magic (`nvcc -fatbin` output) is read whole.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/binary_file.hpp"
#include "probes/elf.hpp"

namespace gpuenv::probes {

enum class FatbinKind { cubin, ptx, lto_ir, unknown };
const char* kind_name(FatbinKind kind);  ///< "cubin", "ptx", "lto", "unknown"

struct FatbinEntry {
  FatbinKind kind = FatbinKind::unknown;
  std::uint16_t kind_code = 0;  ///< the raw kind field
  std::uint32_t arch = 0;       ///< 90 for sm_90 / compute_90, 100 for sm_100f, ...
  char variant = '\0';          ///< 'a' (arch-specific), 'f' (family) or '\0'
  bool compressed = false;
  std::uint32_t flags = 0;
  std::uint16_t format_major = 0, format_minor = 0;  ///< PTX ISA version for PTX entries ("9.0")
  std::string section;                               ///< ".nv_fatbin", "__nv_relfatbin", "fatbin"
  std::uint64_t offset = 0;                          ///< file offset of the entry header
  std::uint64_t container = 0;                       ///< index of its container in the listing (0-based)
  std::uint64_t payload_size = 0;
  std::uint64_t uncompressed_size = 0;  ///< 0 when not recorded (uncompressed entries)

  /// "sm_90", "sm_90a", "sm_100f", "compute_120", "lto_90"; "unknown<kind>_90" for unknown kinds.
  std::string target() const;
};

struct FatbinListing {
  std::vector<std::string> sections;  ///< the fat binary sections found, in file order
  std::vector<FatbinEntry> entries;   ///< in file order
  std::uint64_t containers = 0;
  /// Set when the file could not be read to the end; the entries read before the problem are kept.
  std::optional<BinaryError> error;
  bool ok() const { return !error; }
};

/// Lists every fatbin entry of an ELF file (or a standalone fat binary). A file without fat binary
/// sections gives an empty, error-free listing: it has no CUDA device code.
FatbinListing list_fatbin(const platform::ByteReader& r);

/// Walks the containers in [begin, begin + size) of `r` (a range inside the data: callers check the
/// bounds), appending to `out`; stops at the first problem (`out.error`). Exposed for tests.
void walk_fatbin(const platform::ByteReader& r, std::uint64_t begin, std::uint64_t size,
                 const std::string& section, FatbinListing& out);

}  // namespace gpuenv::probes
