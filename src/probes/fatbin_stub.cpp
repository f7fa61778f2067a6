#include "probes/fatbin_stub.hpp"

#include <cstdint>
#include <optional>

namespace gpuenv::probes {

namespace {

void put_le(std::string& s, std::size_t at, std::uint64_t v, int n) {
  if (s.size() < at + static_cast<std::size_t>(n)) s.resize(at + static_cast<std::size_t>(n), '\0');
  for (int i = 0; i < n; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}

struct Target {
  std::uint16_t kind;  // 1 PTX, 2 cubin
  std::uint32_t arch;
  std::uint32_t flags;
};

std::optional<Target> parse_target(const std::string& t) {
  Target out{0, 0, 0x11};
  std::string digits;
  if (t.starts_with("sm_")) {
    out.kind = 2;
    digits = t.substr(3);
  } else if (t.starts_with("compute_")) {
    out.kind = 1;
    digits = t.substr(8);
  } else {
    return std::nullopt;
  }
  if (!digits.empty() && (digits.back() == 'a' || digits.back() == 'f')) {
    out.flags |= digits.back() == 'a' ? 0x100000u : 0x200000u;
    digits.pop_back();
  }
  if (digits.empty() || digits.size() > 4) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  out.arch = static_cast<std::uint32_t>(std::stoul(digits));
  return out;
}

}  // namespace

std::string fatbin_stub_elf(const std::vector<std::string>& arch_list) {
  // The container: header (magic, version, header size, body size), then 64-byte entry headers, each
  // followed by a small zero payload.
  constexpr std::uint64_t kPayload = 16;
  std::string body;
  for (auto& t : arch_list) {
    auto p = parse_target(t);
    if (!p) continue;
    std::string e(64, '\0');
    put_le(e, 0, p->kind, 2);
    put_le(e, 2, 0x0101, 2);
    put_le(e, 4, 64, 4);
    put_le(e, 8, kPayload, 8);
    put_le(e, 24, 8, 2);  // format minor
    put_le(e, 26, 1, 2);  // format major
    put_le(e, 28, p->arch, 4);
    put_le(e, 40, p->flags, 4);
    body += e + std::string(kPayload, '\0');
  }
  std::string fatbin;
  put_le(fatbin, 0, 0xBA55ED50u, 4);
  put_le(fatbin, 4, 1, 2);
  put_le(fatbin, 6, 16, 2);
  put_le(fatbin, 8, body.size(), 8);
  fatbin += body;

  // ELF64, little-endian, x86-64 shared object: header, .nv_fatbin, the name table, three section headers.
  std::string f(64, '\0');
  f[0] = 0x7f, f[1] = 'E', f[2] = 'L', f[3] = 'F', f[4] = 2, f[5] = 1, f[6] = 1;
  put_le(f, 0x10, 3, 2);
  put_le(f, 0x12, 62, 2);
  put_le(f, 0x14, 1, 4);
  const std::uint64_t fat_off = f.size();
  f += fatbin;
  while (f.size() % 8) f.push_back('\0');
  const std::string names = std::string("\0.nv_fatbin\0.shstrtab\0", 22);
  const std::uint64_t names_off = f.size();
  f += names;
  while (f.size() % 8) f.push_back('\0');
  const std::uint64_t shoff = f.size();
  f += std::string(64, '\0');  // the null section
  auto section = [&](std::uint32_t name, std::uint32_t type, std::uint64_t off, std::uint64_t size) {
    std::string h(64, '\0');
    put_le(h, 0, name, 4);
    put_le(h, 4, type, 4);
    put_le(h, 24, off, 8);
    put_le(h, 32, size, 8);
    put_le(h, 48, 8, 8);
    f += h;
  };
  section(1, 1, fat_off, fatbin.size());
  section(12, 3, names_off, names.size());
  put_le(f, 0x28, shoff, 8);
  put_le(f, 0x34, 64, 2);
  put_le(f, 0x3a, 64, 2);
  put_le(f, 0x3c, 3, 2);
  put_le(f, 0x3e, 2, 2);
  return f;
}

}  // namespace gpuenv::probes
