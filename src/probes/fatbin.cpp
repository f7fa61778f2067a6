#include "probes/fatbin.hpp"

#include <algorithm>
#include <array>

namespace gpuenv::probes {

namespace {

constexpr std::uint32_t kContainerMagic = 0xBA55ED50;
constexpr std::uint64_t kContainerHeader = 16;
constexpr std::uint64_t kMaxContainerHeader = 4096;
constexpr std::uint64_t kEntryHeader = 64;             // the fixed part every entry has
constexpr std::uint64_t kMaxEntryHeader = 64u << 10;   // seen: 64 to 144 bytes
constexpr std::uint64_t kMaxPadding = 64u << 10;       // zeros tolerated between containers
constexpr std::uint32_t kFlagCompressed = 0x8000;      // nvcc -compress-mode default / size
constexpr std::uint32_t kFlagCompressedFast = 0x2000;  // nvcc -compress-mode speed
constexpr std::uint32_t kFlagArchSpecific = 0x100000;  // sm_90a
constexpr std::uint32_t kFlagFamily = 0x200000;        // sm_100f

BinaryError fatbin_error(BinaryErrorCode code, const std::string& section, std::uint64_t offset,
                         std::string detail) {
  BinaryError e;
  e.code = code;
  e.section = section;
  e.offset = offset;
  e.detail = std::move(detail);
  return e;
}

FatbinKind kind_of(std::uint16_t code) {
  switch (code) {
    case 1:
      return FatbinKind::ptx;
    case 2:
      return FatbinKind::cubin;
    case 8:
      return FatbinKind::lto_ir;
    default:
      return FatbinKind::unknown;
  }
}

// Skips zero bytes from `pos` (at most kMaxPadding of them). Returns the first non-zero offset, `end`
// when only zeros remain, or an error.
std::optional<BinaryError> skip_zeros(const platform::ByteReader& r, std::uint64_t& pos, std::uint64_t end,
                                      const std::string& section) {
  const std::uint64_t start = pos;
  std::array<unsigned char, 4096> buf{};
  while (pos < end) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), end - pos));
    if (auto e = read_exact(r, pos, buf.data(), n, "section " + section)) {
      e->section = section;
      e->offset = pos;
      return e;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (buf[i] != 0) {
        pos += i;
        if (pos - start > kMaxPadding)
          return fatbin_error(BinaryErrorCode::bad_fatbin, section, start, "zero padding");
        return std::nullopt;
      }
    }
    pos += n;
    // Even at the end of the section: a long zero run is not padding, and reading on could mean
    // scanning a gigabyte of zeros.
    if (pos - start > kMaxPadding)
      return fatbin_error(BinaryErrorCode::bad_fatbin, section, start, "zero padding");
  }
  return std::nullopt;
}

// Reads through a small window, so that a container header and its first entry header, or the
// headers of entries with small payloads, cost one read between them (a 1 GB library has tens of
// thousands of headers; each read is a system call).
class Window {
 public:
  Window(const platform::ByteReader& r, std::uint64_t end, const std::string& section)
      : r_(r), end_(end), section_(section) {}
  // Points `p` at `n` bytes at `off` (n <= the window; off + n <= end), or returns the read error.
  std::optional<BinaryError> get(std::uint64_t off, std::size_t n, const unsigned char*& p) {
    if (off >= at_ && off - at_ + n <= len_) {
      p = buf_.data() + (off - at_);
      return std::nullopt;
    }
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf_.size(), end_ - off));
    std::int64_t got = r_.read_at(off, buf_.data(), want);
    if (got < 0 || static_cast<std::size_t>(got) < n) {
      len_ = 0;
      BinaryError e;
      e.code = got < 0 ? BinaryErrorCode::io : BinaryErrorCode::truncated;
      e.detail = got < 0 ? r_.error() : "section " + section_;
      e.section = section_;
      e.offset = off;
      return e;
    }
    at_ = off;
    len_ = static_cast<std::size_t>(got);
    p = buf_.data();
    return std::nullopt;
  }

 private:
  const platform::ByteReader& r_;
  const std::uint64_t end_;
  const std::string& section_;
  std::array<unsigned char, 160> buf_{};
  std::uint64_t at_ = 0;
  std::size_t len_ = 0;
};

}  // namespace

const char* kind_name(FatbinKind kind) {
  switch (kind) {
    case FatbinKind::cubin:
      return "cubin";
    case FatbinKind::ptx:
      return "ptx";
    case FatbinKind::lto_ir:
      return "lto";
    case FatbinKind::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string FatbinEntry::target() const {
  std::string prefix;
  switch (kind) {
    case FatbinKind::cubin:
      prefix = "sm_";
      break;
    case FatbinKind::ptx:
      prefix = "compute_";
      break;
    case FatbinKind::lto_ir:
      prefix = "lto_";
      break;
    case FatbinKind::unknown:
      prefix = "unknown" + std::to_string(kind_code) + "_";
      break;
  }
  std::string s = prefix + std::to_string(arch);
  if (variant) s += variant;
  return s;
}

void walk_fatbin(const platform::ByteReader& r, std::uint64_t begin, std::uint64_t size,
                 const std::string& section, FatbinListing& out) {
  const std::uint64_t end = begin + size;
  std::uint64_t pos = begin;
  Window w(r, end, section);
  while (pos < end) {
    const unsigned char* ch = nullptr;
    const std::size_t head = static_cast<std::size_t>(std::min<std::uint64_t>(kContainerHeader, end - pos));
    if (auto e = w.get(pos, head, ch)) {
      out.error = std::move(e);
      return;
    }
    if (ch[0] == 0 && (head < 2 || ch[1] == 0) && (head < 4 || (ch[2] == 0 && ch[3] == 0))) {
      if (auto e = skip_zeros(r, pos, end, section)) {
        out.error = std::move(e);
        return;
      }
      continue;  // at the next non-zero byte, or done
    }
    if (head < kContainerHeader || load_le(ch, 4) != kContainerMagic) {
      out.error = fatbin_error(BinaryErrorCode::bad_fatbin, section, pos, "container header");
      return;
    }
    std::uint64_t version = load_le(ch + 4, 2);
    std::uint64_t header_size = load_le(ch + 6, 2);
    std::uint64_t body_size = load_le(ch + 8, 8);
    if (version != 1) {
      out.error = fatbin_error(BinaryErrorCode::fatbin_version, section, pos, std::to_string(version));
      return;
    }
    if (header_size < kContainerHeader || header_size > kMaxContainerHeader || header_size > end - pos ||
        body_size > end - pos - header_size) {
      out.error = fatbin_error(BinaryErrorCode::bad_fatbin, section, pos, "container size");
      return;
    }
    ++out.containers;
    std::uint64_t q = pos + header_size;
    const std::uint64_t body_end = q + body_size;
    while (q < body_end) {
      const unsigned char* eh = nullptr;
      if (body_end - q < kEntryHeader) {
        out.error = fatbin_error(BinaryErrorCode::bad_fatbin, section, q, "entry header");
        return;
      }
      if (auto e = w.get(q, kEntryHeader, eh)) {
        out.error = std::move(e);
        return;
      }
      std::uint64_t entry_header = load_le(eh + 4, 4);
      std::uint64_t payload = load_le(eh + 8, 8);
      if (entry_header < kEntryHeader || entry_header > kMaxEntryHeader || entry_header > body_end - q) {
        out.error = fatbin_error(BinaryErrorCode::bad_fatbin, section, q, "entry header size");
        return;
      }
      if (payload > body_end - q - entry_header) {
        out.error = fatbin_error(BinaryErrorCode::bad_fatbin, section, q, "entry size");
        return;
      }
      FatbinEntry en;
      en.kind_code = static_cast<std::uint16_t>(load_le(eh, 2));
      en.kind = kind_of(en.kind_code);
      en.arch = static_cast<std::uint32_t>(load_le(eh + 28, 4));
      if (en.arch < 10 || en.arch > 9999) {
        out.error = fatbin_error(BinaryErrorCode::bad_fatbin, section, q, "entry architecture");
        return;
      }
      en.flags = static_cast<std::uint32_t>(load_le(eh + 40, 4));
      en.compressed = (en.flags & (kFlagCompressed | kFlagCompressedFast)) != 0;
      en.variant = (en.flags & kFlagArchSpecific) ? 'a' : (en.flags & kFlagFamily) ? 'f' : '\0';
      en.format_minor = static_cast<std::uint16_t>(load_le(eh + 24, 2));
      en.format_major = static_cast<std::uint16_t>(load_le(eh + 26, 2));
      en.section = section;
      en.offset = q;
      en.container = out.containers - 1;
      en.payload_size = payload;
      en.uncompressed_size = load_le(eh + 56, 8);
      out.entries.push_back(std::move(en));
      q += entry_header + payload;
    }
    pos = body_end;
  }
}

FatbinListing list_fatbin(const platform::ByteReader& r) {
  FatbinListing out;
  std::array<unsigned char, 4> magic{};
  std::int64_t got = r.read_at(0, magic.data(), magic.size());
  if (got == 4 && load_le(magic.data(), 4) == kContainerMagic) {
    out.sections.push_back("fatbin");
    walk_fatbin(r, 0, r.size(), "fatbin", out);
    return out;
  }
  auto elf =
      read_elf_sections(r, [](std::string_view n) { return n == ".nv_fatbin" || n == "__nv_relfatbin"; });
  if (elf.error) {
    out.error = std::move(elf.error);
    return out;
  }
  for (auto& s : elf.sections) {
    out.sections.push_back(s.name);
    if (s.type == kElfShtNobits) {
      out.error = fatbin_error(BinaryErrorCode::bad_fatbin, s.name, s.offset, "no data");
      return out;
    }
    walk_fatbin(r, s.offset, s.size, s.name, out);
    if (out.error) return out;
  }
  return out;
}

}  // namespace gpuenv::probes
