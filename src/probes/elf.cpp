#include "probes/elf.hpp"

#include <array>
#include <cstdio>

namespace gpuenv::probes {

namespace {

constexpr std::uint16_t kEmCuda = 190;            // e_machine of a cubin (NVIDIA CUDA architecture)
constexpr std::uint16_t kShnXindex = 0xffff;      // e_shstrndx escape: the index is in section 0's sh_link
constexpr std::uint64_t kMaxSections = 1u << 18;  // 16 MiB of section headers; real libraries have < 100
constexpr std::uint64_t kMaxNameTable = 16u << 20;

BinaryError error(BinaryErrorCode code, std::string detail) {
  BinaryError e;
  e.code = code;
  e.detail = std::move(detail);
  return e;
}

}  // namespace

const char* BinaryError::code_name() const {
  switch (code) {
    case BinaryErrorCode::io:
      return "io";
    case BinaryErrorCode::empty:
      return "empty";
    case BinaryErrorCode::not_elf:
      return "not_elf";
    case BinaryErrorCode::elf32:
      return "elf32";
    case BinaryErrorCode::big_endian:
      return "big_endian";
    case BinaryErrorCode::device_elf:
      return "device_elf";
    case BinaryErrorCode::no_sections:
      return "no_sections";
    case BinaryErrorCode::truncated:
      return "truncated";
    case BinaryErrorCode::bad_elf:
      return "bad_elf";
    case BinaryErrorCode::bad_fatbin:
      return "bad_fatbin";
    case BinaryErrorCode::fatbin_version:
      return "fatbin_version";
  }
  return "io";
}

i18n::Text BinaryError::text(const std::string& path) const {
  char off[32];
  std::snprintf(off, sizeof off, "0x%llx", static_cast<unsigned long long>(offset));
  return i18n::Text{std::string("fatbin.error.") + code_name(),
                    {{"path", path}, {"detail", detail}, {"section", section}, {"offset", off}}};
}

std::optional<BinaryError> read_exact(const platform::ByteReader& r, std::uint64_t offset, void* out,
                                      std::size_t n, std::string_view what) {
  std::int64_t got = r.read_at(offset, out, n);
  if (got < 0) return error(BinaryErrorCode::io, r.error());
  if (static_cast<std::uint64_t>(got) < n) return error(BinaryErrorCode::truncated, std::string(what));
  return std::nullopt;
}

ElfSections read_elf_sections(const platform::ByteReader& r,
                              const std::function<bool(std::string_view)>& want) {
  ElfSections out;
  const std::uint64_t file_size = r.size();
  if (file_size == 0) {
    out.error = error(BinaryErrorCode::empty, {});
    return out;
  }
  std::array<unsigned char, 64> eh{};
  std::int64_t got = r.read_at(0, eh.data(), eh.size());
  if (got < 0) {
    out.error = error(BinaryErrorCode::io, r.error());
    return out;
  }
  if (got < 4 || eh[0] != 0x7f || eh[1] != 'E' || eh[2] != 'L' || eh[3] != 'F') {
    out.error = error(BinaryErrorCode::not_elf, {});
    return out;
  }
  if (got > 4 && eh[4] == 1) {  // EI_CLASS: ELFCLASS32
    out.error = error(BinaryErrorCode::elf32, {});
    return out;
  }
  if (got > 5 && eh[4] == 2 && eh[5] == 2) {  // EI_DATA: ELFDATA2MSB
    out.error = error(BinaryErrorCode::big_endian, {});
    return out;
  }
  if (got < 64) {
    out.error = error(BinaryErrorCode::truncated, "ELF header");
    return out;
  }
  if (eh[4] != 2 || eh[5] != 1) {
    out.error = error(BinaryErrorCode::bad_elf, "ELF identification");
    return out;
  }
  out.machine = static_cast<std::uint16_t>(load_le(&eh[0x12], 2));
  if (out.machine == kEmCuda) {
    out.error = error(BinaryErrorCode::device_elf, {});
    return out;
  }
  std::uint64_t shoff = load_le(&eh[0x28], 8);
  std::uint64_t shentsize = load_le(&eh[0x3a], 2);
  std::uint64_t shnum = load_le(&eh[0x3c], 2);
  std::uint64_t shstrndx = load_le(&eh[0x3e], 2);
  if (shoff == 0) {
    out.error = error(BinaryErrorCode::no_sections, {});
    return out;
  }
  if (shentsize != 64) {
    out.error = error(BinaryErrorCode::bad_elf, "section header size " + std::to_string(shentsize));
    return out;
  }
  if (shoff > file_size || file_size - shoff < 64) {
    out.error = error(BinaryErrorCode::truncated, "section header table");
    return out;
  }
  // Extended numbering (more than 0xff00 sections): the real count and string table index are kept
  // in section 0 (ELF gABI, "Section Header").
  if (shnum == 0 || shstrndx == kShnXindex) {
    std::array<unsigned char, 64> s0{};
    if (auto e = read_exact(r, shoff, s0.data(), s0.size(), "section header table")) {
      out.error = e;
      return out;
    }
    if (shnum == 0) shnum = load_le(&s0[32], 8);
    if (shstrndx == kShnXindex) shstrndx = load_le(&s0[40], 4);
  }
  if (shnum == 0 || shnum > kMaxSections) {
    out.error = error(BinaryErrorCode::bad_elf, "section count " + std::to_string(shnum));
    return out;
  }
  if ((file_size - shoff) / 64 < shnum) {
    out.error = error(BinaryErrorCode::truncated, "section header table");
    return out;
  }
  if (shstrndx >= shnum) {
    out.error = error(BinaryErrorCode::bad_elf, "section name table index " + std::to_string(shstrndx));
    return out;
  }
  std::vector<unsigned char> table(static_cast<std::size_t>(shnum * 64));
  if (auto e = read_exact(r, shoff, table.data(), table.size(), "section header table")) {
    out.error = e;
    return out;
  }
  const unsigned char* names_hdr = &table[static_cast<std::size_t>(shstrndx * 64)];
  std::uint64_t names_off = load_le(names_hdr + 24, 8);
  std::uint64_t names_size = load_le(names_hdr + 32, 8);
  if (names_size > kMaxNameTable) {
    out.error = error(BinaryErrorCode::bad_elf, "section name table size " + std::to_string(names_size));
    return out;
  }
  if (names_off > file_size || file_size - names_off < names_size) {
    out.error = error(BinaryErrorCode::truncated, "section name table");
    return out;
  }
  std::string names(static_cast<std::size_t>(names_size), '\0');
  if (auto e = read_exact(r, names_off, names.data(), names.size(), "section name table")) {
    out.error = e;
    return out;
  }
  for (std::uint64_t i = 0; i < shnum; ++i) {
    const unsigned char* h = &table[static_cast<std::size_t>(i * 64)];
    std::uint64_t name_at = load_le(h, 4);
    if (name_at >= names.size()) continue;  // a nameless or broken entry cannot be a wanted section
    std::size_t end = names.find('\0', static_cast<std::size_t>(name_at));
    if (end == std::string::npos) continue;
    std::string_view name(names.data() + name_at, end - static_cast<std::size_t>(name_at));
    if (!want(name)) continue;
    ElfSection s;
    s.name = std::string(name);
    s.type = static_cast<std::uint32_t>(load_le(h + 4, 4));
    s.offset = load_le(h + 24, 8);
    s.size = load_le(h + 32, 8);
    if (s.type != kElfShtNobits && (s.offset > file_size || file_size - s.offset < s.size)) {
      out.error = error(BinaryErrorCode::truncated, "section " + s.name);
      out.error->section = s.name;
      out.error->offset = s.offset;
      return out;
    }
    out.sections.push_back(std::move(s));
  }
  return out;
}

}  // namespace gpuenv::probes
