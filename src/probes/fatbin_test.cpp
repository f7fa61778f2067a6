// The fatbin reader on buffers built byte by byte (tests/support/fatbin_builder.hpp): what it lists,
// and how it fails on malformed input. Real nvcc output is tested in tests/nvcc.
#include "probes/fatbin.hpp"

#include <gtest/gtest.h>

#include <random>

#include "support/fatbin_builder.hpp"

namespace gpuenv::probes {
namespace {

using test::elf64;
using test::FakeEntry;
using test::fatbin_container;
using test::put_le;

FatbinListing list(const std::string& bytes) {
  platform::MemoryBytes m(bytes);
  return list_fatbin(m);
}

std::vector<std::string> targets(const FatbinListing& l) {
  std::vector<std::string> out;
  for (auto& e : l.entries) out.push_back(e.target());
  return out;
}

std::string code(const FatbinListing& l) {
  return l.error ? l.error->code_name() : "ok";
}

// Two containers as nvcc lays them out for one translation unit built for
// -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90a,code=[sm_90a,compute_90a]
// -gencode arch=compute_100f,code=sm_100f, plus an LTO IR entry.
std::string sample_fatbin() {
  return fatbin_container({{2, 80, 0x11, 64, 1456}, {2, 90, 0x100011, 64, 1544}}) +
         fatbin_container({{2, 80, 0x11, 64, 3240},
                           {2, 90, 0x108011, 64, 904},
                           {1, 90, 0x108011, 80, 376, 9, 0},
                           {2, 100, 0x1200011, 112, 5680},
                           {8, 90, 0x18011, 120, 1832}});
}

TEST(Fatbin, ListsEveryEntryOfNvFatbin) {
  auto l = list(elf64({{".text", std::string(100, 'x')}, {".nv_fatbin", sample_fatbin()}}));
  ASSERT_TRUE(l.ok()) << l.error->text("x").en();
  EXPECT_EQ(l.sections, std::vector<std::string>{".nv_fatbin"});
  EXPECT_EQ(l.containers, 2u);
  EXPECT_EQ(targets(l), (std::vector<std::string>{"sm_80", "sm_90a", "sm_80", "sm_90a", "compute_90a",
                                                  "sm_100f", "lto_90"}));
  EXPECT_FALSE(l.entries[0].compressed);
  EXPECT_TRUE(l.entries[3].compressed);
  EXPECT_EQ(l.entries[4].kind, FatbinKind::ptx);
  EXPECT_EQ(l.entries[4].format_major, 9);
  EXPECT_EQ(l.entries[4].format_minor, 0);
  EXPECT_EQ(l.entries[5].variant, 'f');
  EXPECT_EQ(l.entries[6].kind, FatbinKind::lto_ir);
  EXPECT_EQ(l.entries[0].payload_size, 1456u);
}

// The PTX entry header of a real nvcc 13.0 build (see the sample in fatbin.hpp), byte for byte.
TEST(Fatbin, RealPtxEntryHeader) {
  const unsigned char header[80] = {
      0x01, 0x00, 0x01, 0x01, 0x50, 0x00, 0x00, 0x00, 0x78, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x76, 0x01, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x50, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x22, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x48, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  std::string body(reinterpret_cast<const char*>(header), sizeof header);
  body.append(0x178, '\0');
  std::string c;
  put_le(c, 0, 0xBA55ED50u, 4);
  put_le(c, 4, 1, 2);
  put_le(c, 6, 16, 2);
  put_le(c, 8, body.size(), 8);
  auto l = list(elf64({{".nv_fatbin", c + body}}));
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l.entries.size(), 1u);
  const FatbinEntry& e = l.entries[0];
  EXPECT_EQ(e.target(), "compute_80");
  EXPECT_TRUE(e.compressed);
  EXPECT_EQ(e.format_major, 9);
  EXPECT_EQ(e.format_minor, 0);
  EXPECT_EQ(e.payload_size, 0x178u);
  EXPECT_EQ(e.uncompressed_size, 0x322u);
  EXPECT_EQ(e.flags, 0x8011u);
}

TEST(Fatbin, CompressedFastModeFlagCounts) {
  // nvcc -compress-mode=speed marks entries with 0x2000 instead of 0x8000.
  auto l = list(elf64({{".nv_fatbin", fatbin_container({{1, 80, 0x2011, 80, 488, 9, 0}})}}));
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l.entries.size(), 1u);
  EXPECT_TRUE(l.entries[0].compressed);
  EXPECT_EQ(l.entries[0].target(), "compute_80");
}

TEST(Fatbin, ReadsRelocatableSectionToo) {
  auto l = list(elf64({{".nv_fatbin", fatbin_container({{2, 80}})},
                       {"__nv_relfatbin", fatbin_container({{2, 80}, {1, 90, 0x8011, 96}})}}));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l.sections, (std::vector<std::string>{".nv_fatbin", "__nv_relfatbin"}));
  ASSERT_EQ(l.entries.size(), 3u);
  EXPECT_EQ(l.entries[2].section, "__nv_relfatbin");
}

TEST(Fatbin, NoFatbinSectionIsAnEmptyListingNotAnError) {
  auto l = list(elf64({{".text", "abc"}, {".rodata", "xyz"}}));
  EXPECT_TRUE(l.ok());
  EXPECT_TRUE(l.sections.empty());
  EXPECT_TRUE(l.entries.empty());
}

TEST(Fatbin, EmptyContainerAndZeroPaddingAreTolerated) {
  // nvcc emits an empty container for the device-link step of a PTX-only build.
  std::string body = fatbin_container({}) + std::string(24, '\0') + fatbin_container({{1, 90, 0x8011, 80}}) +
                     std::string(8, '\0');
  auto l = list(elf64({{".nv_fatbin", body}}));
  ASSERT_TRUE(l.ok()) << l.error->text("x").en();
  EXPECT_EQ(l.containers, 2u);
  EXPECT_EQ(targets(l), std::vector<std::string>{"compute_90"});
}

TEST(Fatbin, StandaloneFatbinFile) {
  auto l = list(fatbin_container({{2, 75}, {1, 75, 0x8011, 80}}));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l.sections, std::vector<std::string>{"fatbin"});
  EXPECT_EQ(targets(l), (std::vector<std::string>{"sm_75", "compute_75"}));
}

TEST(Fatbin, ExtendedSectionNumbering) {
  auto l = list(elf64({{".nv_fatbin", fatbin_container({{2, 86}})}}, 62, true));
  ASSERT_TRUE(l.ok()) << l.error->text("x").en();
  EXPECT_EQ(targets(l), std::vector<std::string>{"sm_86"});
}

TEST(Fatbin, UnknownKindIsListedNotRejected) {
  auto l = list(elf64({{".nv_fatbin", fatbin_container({{4, 90}})}}));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(targets(l), std::vector<std::string>{"unknown4_90"});
}

TEST(FatbinErrors, EmptyFile) {
  EXPECT_EQ(code(list("")), "empty");
}

TEST(FatbinErrors, NotElf) {
  EXPECT_EQ(code(list("#!/bin/sh\necho hello\n")), "not_elf");
  EXPECT_EQ(code(list("\x7f")), "not_elf");
  EXPECT_EQ(code(list(std::string(4096, '\0'))), "not_elf");
}

TEST(FatbinErrors, Elf32) {
  std::string f = elf64({});
  f[4] = 1;  // ELFCLASS32
  EXPECT_EQ(code(list(f)), "elf32");
  EXPECT_EQ(code(list(std::string("\x7f"
                                  "ELF\x01\x01\x01",
                                  7))),
            "elf32");
}

TEST(FatbinErrors, BigEndian) {
  std::string f = elf64({});
  f[5] = 2;
  EXPECT_EQ(code(list(f)), "big_endian");
}

TEST(FatbinErrors, CubinItself) {
  EXPECT_EQ(code(list(elf64({{".text", "x"}}, 190))), "device_elf");
}

TEST(FatbinErrors, NoSectionTable) {
  std::string f = elf64({});
  put_le(f, 0x28, 0, 8);
  EXPECT_EQ(code(list(f)), "no_sections");
}

TEST(FatbinErrors, BadSectionHeaderSize) {
  std::string f = elf64({});
  put_le(f, 0x3a, 40, 2);
  auto l = list(f);
  EXPECT_EQ(code(l), "bad_elf");
  EXPECT_EQ(l.error->text("/x.so").en(), "/x.so: malformed ELF file: section header size 40");
}

TEST(FatbinErrors, NameTableIndexOutOfRange) {
  std::string f = elf64({});
  put_le(f, 0x3e, 99, 2);
  EXPECT_EQ(code(list(f)), "bad_elf");
}

// Every proper prefix of a valid file fails cleanly: the section table is at the end, so a cut file
// is "truncated" (or, under 4 bytes, not recognisable at all).
TEST(FatbinErrors, EveryTruncationIsReported) {
  std::string f = elf64({{".nv_fatbin", sample_fatbin()}});
  for (std::size_t n = 1; n < f.size(); ++n) {
    auto l = list(f.substr(0, n));
    ASSERT_TRUE(l.error) << "prefix " << n;
    EXPECT_EQ(code(l), n < 4 ? "not_elf" : "truncated") << "prefix " << n;
  }
}

TEST(FatbinErrors, TruncatedMessageNamesFileAndPart) {
  std::string f = elf64({{".nv_fatbin", sample_fatbin()}});
  auto l = list(f.substr(0, 40));
  EXPECT_EQ(l.error->text("/lib/libx.so").en(),
            "/lib/libx.so: the file is truncated: it ends inside the ELF header");
}

TEST(FatbinErrors, SectionPastEndOfFile) {
  std::string f = elf64({{".nv_fatbin", fatbin_container({{2, 80}})}});
  // Make the section claim 1 MiB.
  std::uint64_t shoff = 0;
  for (int i = 7; i >= 0; --i) shoff = (shoff << 8) | static_cast<unsigned char>(f[0x28 + i]);
  put_le(f, shoff + 64 + 32, 1u << 20, 8);
  auto l = list(f);
  EXPECT_EQ(code(l), "truncated");
  EXPECT_EQ(l.error->detail, "section .nv_fatbin");
}

TEST(FatbinErrors, GarbageSection) {
  std::string garbage = "this is not a fat binary, just text in the wrong place";
  auto l = list(elf64({{".nv_fatbin", garbage}}));
  EXPECT_EQ(code(l), "bad_fatbin");
  EXPECT_EQ(l.error->section, ".nv_fatbin");
  EXPECT_EQ(l.error->text("/a/lib.so").en(),
            "/a/lib.so: malformed CUDA fat binary in .nv_fatbin at offset 0x40 (container header)");
}

TEST(FatbinErrors, NobitsSection) {
  auto l = list(elf64({{".nv_fatbin", std::string(64, '\0'), 8}}));
  EXPECT_EQ(code(l), "bad_fatbin");
  EXPECT_EQ(l.error->detail, "no data");
}

TEST(FatbinErrors, EntryLargerThanContainer) {
  std::string c = fatbin_container({{2, 80, 0x11, 64, 32}});
  put_le(c, 16 + 8, 1u << 30, 8);  // the entry's payload size
  auto l = list(elf64({{".nv_fatbin", c}}));
  EXPECT_EQ(code(l), "bad_fatbin");
  EXPECT_EQ(l.error->detail, "entry size");
}

TEST(FatbinErrors, ContainerLargerThanSection) {
  std::string c = fatbin_container({{2, 80}});
  put_le(c, 8, 1u << 20, 8);
  auto l = list(elf64({{".nv_fatbin", c}}));
  EXPECT_EQ(code(l), "bad_fatbin");
  EXPECT_EQ(l.error->detail, "container size");
}

TEST(FatbinErrors, EntryHeaderTooSmall) {
  std::string c = fatbin_container({{2, 80}});
  put_le(c, 16 + 4, 8, 4);
  EXPECT_EQ(list(elf64({{".nv_fatbin", c}})).error->detail, "entry header size");
}

TEST(FatbinErrors, ZeroArch) {
  EXPECT_EQ(list(elf64({{".nv_fatbin", fatbin_container({{2, 0}})}})).error->detail, "entry architecture");
}

TEST(FatbinErrors, UnknownContainerVersion) {
  auto l = list(elf64({{".nv_fatbin", fatbin_container({{2, 80}}, 2)}}));
  EXPECT_EQ(code(l), "fatbin_version");
  EXPECT_EQ(
      l.error->text("/l.so").en(),
      "/l.so: the CUDA fat binary in .nv_fatbin at offset 0x40 has version 2, which gpuenv does not know");
}

TEST(FatbinErrors, GarbageAfterValidContainerKeepsWhatWasRead) {
  auto l = list(elf64({{".nv_fatbin", fatbin_container({{2, 80}}) + "garbage!"}}));
  EXPECT_EQ(code(l), "bad_fatbin");
  EXPECT_EQ(targets(l), std::vector<std::string>{"sm_80"});
}

TEST(FatbinErrors, LongZeroRunIsGarbage) {
  auto l = list(elf64({{".nv_fatbin", std::string(70000, '\0') + fatbin_container({{2, 80}})}}));
  EXPECT_EQ(code(l), "bad_fatbin");
  EXPECT_EQ(l.error->detail, "zero padding");
}

TEST(FatbinErrors, LongTrailingZeroRunIsGarbage) {
  auto l = list(elf64({{".nv_fatbin", fatbin_container({{2, 80}}) + std::string(70000, '\0')}}));
  EXPECT_EQ(code(l), "bad_fatbin");
  EXPECT_EQ(l.error->detail, "zero padding");
  EXPECT_EQ(targets(l), std::vector<std::string>{"sm_80"});
}

// Random corruption of a valid file: the reader must stop with a listing or an error, never crash
// or loop (run under ASan/UBSan in CI).
TEST(FatbinFuzz, MutatedFilesNeverCrash) {
  const std::string base = elf64({{".text", std::string(64, 'x')}, {".nv_fatbin", sample_fatbin()}});
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::size_t> pos(0, base.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255), count(1, 8);
  int errors = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string f = base;
    for (int k = count(rng); k > 0; --k) f[pos(rng)] = static_cast<char>(byte(rng));
    auto l = list(f);
    if (l.error) ++errors;
    EXPECT_LE(l.entries.size(), 64u);
  }
  EXPECT_GT(errors, 0);
}

}  // namespace
}  // namespace gpuenv::probes
