#pragma once
// Builds small ELF64 files and CUDA fat binary containers in memory, byte by byte, for the reader's
// malformed-input and fuzz tests (header-only, so unit tests and benchmarks can share it). The layout
// is the one documented in src/probes/fatbin.hpp; real nvcc output is tested in tests/nvcc.
#include <cstdint>
#include <string>
#include <vector>

namespace gpuenv::test {

inline void put_le(std::string& s, std::size_t at, std::uint64_t v, int n) {
  if (s.size() < at + static_cast<std::size_t>(n)) s.resize(at + static_cast<std::size_t>(n), '\0');
  for (int i = 0; i < n; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}

struct FakeEntry {
  std::uint16_t kind = 2;  ///< 1 PTX, 2 cubin, 8 LTO IR
  std::uint32_t arch = 80;
  std::uint32_t flags = 0x11;  ///< | 0x8000 compressed, 0x100000 'a', 0x200000 'f'
  std::uint32_t header_size = 64;
  std::uint64_t payload_size = 32;
  std::uint16_t format_major = 1, format_minor = 8;
};

/// One entry: its header (64+ bytes) followed by a zero payload.
inline std::string fatbin_entry(const FakeEntry& e) {
  std::string s(e.header_size, '\0');
  put_le(s, 0, e.kind, 2);
  put_le(s, 2, 0x0101, 2);
  put_le(s, 4, e.header_size, 4);
  put_le(s, 8, e.payload_size, 8);
  if (e.flags & 0xa000) put_le(s, 16, e.payload_size, 4);
  put_le(s, 24, e.format_minor, 2);
  put_le(s, 26, e.format_major, 2);
  put_le(s, 28, e.arch, 4);
  put_le(s, 40, e.flags, 4);
  if (e.flags & 0xa000) put_le(s, 56, e.payload_size * 3, 8);
  s.append(static_cast<std::size_t>(e.payload_size), '\0');
  return s;
}

/// A container: the 16-byte header (magic, version, header size, body size) and its entries.
inline std::string fatbin_container(const std::vector<FakeEntry>& entries, std::uint16_t version = 1) {
  std::string body;
  for (auto& e : entries) body += fatbin_entry(e);
  std::string s;
  put_le(s, 0, 0xBA55ED50u, 4);
  put_le(s, 4, version, 2);
  put_le(s, 6, 16, 2);
  put_le(s, 8, body.size(), 8);
  return s + body;
}

struct FakeSection {
  std::string name;
  std::string data;
  std::uint32_t type = 1;  ///< SHT_PROGBITS; 8 = SHT_NOBITS
};

/// A little-endian ELF64 file: header, section data (8-aligned), the name table, the section table.
/// Section 0 is the null section; the name table comes last. `extended_numbering` stores the section
/// count and name-table index in section 0 as files with more than 0xff00 sections do.
inline std::string elf64(const std::vector<FakeSection>& sections, std::uint16_t machine = 62,
                         bool extended_numbering = false) {
  std::string f(64, '\0');
  f[0] = 0x7f, f[1] = 'E', f[2] = 'L', f[3] = 'F', f[4] = 2, f[5] = 1, f[6] = 1;
  put_le(f, 0x10, 3, 2);  // ET_DYN
  put_le(f, 0x12, machine, 2);
  put_le(f, 0x14, 1, 4);
  std::string names(1, '\0');
  struct Placed {
    std::uint32_t name;
    std::uint32_t type;
    std::uint64_t offset, size;
  };
  std::vector<Placed> placed;
  for (auto& s : sections) {
    while (f.size() % 8) f.push_back('\0');
    placed.push_back({static_cast<std::uint32_t>(names.size()), s.type, f.size(), s.data.size()});
    names += s.name + '\0';
    if (s.type != 8) f += s.data;
  }
  placed.push_back({static_cast<std::uint32_t>(names.size()), 3, 0, 0});
  names += std::string(".shstrtab") + '\0';
  placed.back().offset = f.size();
  placed.back().size = names.size();
  f += names;
  while (f.size() % 8) f.push_back('\0');
  const std::uint64_t shoff = f.size();
  const std::uint64_t count = placed.size() + 1;
  std::string null_section(64, '\0');
  if (extended_numbering) {
    put_le(null_section, 32, count, 8);
    put_le(null_section, 40, count - 1, 4);
  }
  f += null_section;
  for (auto& p : placed) {
    std::string h(64, '\0');
    put_le(h, 0, p.name, 4);
    put_le(h, 4, p.type, 4);
    put_le(h, 24, p.offset, 8);
    put_le(h, 32, p.size, 8);
    put_le(h, 48, 8, 8);
    f += h;
  }
  put_le(f, 0x28, shoff, 8);
  put_le(f, 0x34, 64, 2);
  put_le(f, 0x3a, 64, 2);
  put_le(f, 0x3c, extended_numbering ? 0 : count, 2);
  put_le(f, 0x3e, extended_numbering ? 0xffff : count - 1, 2);
  return f;
}

}  // namespace gpuenv::test
