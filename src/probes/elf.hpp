#pragma once
// The section table of a 64-bit little-endian ELF file (x86_64, aarch64, ppc64le), read through a
// ByteReader: enough to find the CUDA fat binary sections without loading the file. Pure apart from
// the reader, so tests and fuzzers feed it buffers. Errors are values, never exceptions or crashes.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "i18n/catalog.hpp"
#include "platform/binary_file.hpp"

namespace gpuenv::probes {

/// Why a binary could not be read. Each code has the catalog message "fatbin.error.<code>".
enum class BinaryErrorCode {
  io,              ///< the file could not be opened or read (`detail`: the system's reason)
  empty,           ///< zero bytes long
  not_elf,         ///< neither an ELF file nor a standalone fat binary
  elf32,           ///< a 32-bit ELF file (CUDA host code is 64-bit)
  big_endian,      ///< a big-endian ELF file
  device_elf,      ///< a cubin itself (e_machine EM_CUDA), not a host binary that embeds one
  no_sections,     ///< no section header table (stripped with sstrip or similar)
  truncated,       ///< the file ends before what its headers describe (`detail`: which part)
  bad_elf,         ///< an inconsistent ELF header or section table (`detail`: what)
  bad_fatbin,      ///< a fat binary section holds something other than fatbin containers
  fatbin_version,  ///< a fatbin container of a version this reader does not know (`detail`)
};

struct BinaryError {
  BinaryErrorCode code = BinaryErrorCode::io;
  std::string detail;        ///< what was being read, or the system's reason for `io`
  std::string section;       ///< for fatbin errors: ".nv_fatbin"
  std::uint64_t offset = 0;  ///< file offset where the problem was found (fatbin errors)

  /// "truncated", "bad_fatbin", ... (also the JSON form).
  const char* code_name() const;
  /// The message for a file: catalog id "fatbin.error.<code>" with {path}, {detail}, {section}, {offset}.
  i18n::Text text(const std::string& path) const;
};

struct ElfSection {
  std::string name;
  std::uint32_t type = 0;  ///< SHT_PROGBITS 1, SHT_NOBITS 8, ...
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

struct ElfSections {
  std::uint16_t machine = 0;         ///< e_machine: 62 x86_64, 183 aarch64, 21 ppc64
  std::vector<ElfSection> sections;  ///< the wanted ones, in table order
  std::optional<BinaryError> error;
};

inline constexpr std::uint32_t kElfShtNobits = 8;

/// Reads the ELF header and section table of `r` and returns the sections whose name `want` accepts.
/// Section bounds are checked against the file size (a section past the end is `truncated`).
ElfSections read_elf_sections(const platform::ByteReader& r,
                              const std::function<bool(std::string_view)>& want);

/// Reads exactly `n` bytes at `offset`. Returns nullopt on success, else the error: `truncated`
/// (with `what` as its detail) when the data ends early, `io` when the read failed.
std::optional<BinaryError> read_exact(const platform::ByteReader& r, std::uint64_t offset, void* out,
                                      std::size_t n, std::string_view what);

/// Little-endian unsigned integer of `n` bytes (n ≤ 8) at `p`.
inline std::uint64_t load_le(const unsigned char* p, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace gpuenv::probes
