// Reading the GPU architectures of a 1 GiB library (issue 6): the targets are < 200 ms on a first run
// (no gpuenv cache; the page cache as it is) and < 1 ms from the cache. The file is generated at
// bench time in /tmp as a sparse ELF whose .nv_fatbin section spans ~1 GiB: 8192 containers of 4
// entries (sm_80, sm_90, sm_100 cubins and compute_100 PTX), about 32 KiB of payload each, which is
// more entries than libcublasLt.so.13 (2782 containers, 5737 entries in 541 MB). Only the headers are
// written; the payloads are holes.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "platform/cache_store.hpp"
#include "probes/binary_arch.hpp"

namespace {

constexpr std::uint64_t kContainers = 8192;
constexpr std::uint64_t kEntriesPerContainer = 4;
constexpr std::uint64_t kPayload = (1ull << 30) / (kContainers * kEntriesPerContainer) - 64;
constexpr std::uint64_t kSectionOffset = 4096;

void put(std::string& s, std::size_t at, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}

void pwrite_all(int fd, const std::string& data, std::uint64_t at) {
  if (::pwrite(fd, data.data(), data.size(), static_cast<off_t>(at)) != static_cast<ssize_t>(data.size()))
    throw std::runtime_error("pwrite failed");
}

// Writes the sparse 1 GiB library and returns its path; removed when the program ends.
struct BigLibrary {
  std::string path;
  std::string cache_dir;
  BigLibrary() {
    const char* tmp = std::getenv("TMPDIR");
    path = std::string(tmp && *tmp ? tmp : "/tmp") + "/gpuenv-fatbin-bench-" + std::to_string(::getpid()) +
           ".so";
    cache_dir = path + ".cache";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + path);
    const std::uint64_t entry_span = 64 + kPayload;
    const std::uint64_t container_span = 16 + kEntriesPerContainer * entry_span;
    const std::uint32_t archs[] = {80, 90, 100, 100};
    for (std::uint64_t c = 0; c < kContainers; ++c) {
      std::uint64_t at = kSectionOffset + c * container_span;
      std::string h(16 + 64, '\0');
      put(h, 0, 0xBA55ED50u, 4);
      put(h, 4, 1, 2);
      put(h, 6, 16, 2);
      put(h, 8, kEntriesPerContainer * entry_span, 8);
      pwrite_all(fd, h.substr(0, 16), at);
      for (std::uint64_t e = 0; e < kEntriesPerContainer; ++e) {
        std::string eh(64, '\0');
        bool ptx = e == 3;
        put(eh, 0, ptx ? 1 : 2, 2);
        put(eh, 2, 0x0101, 2);
        put(eh, 4, 64, 4);
        put(eh, 8, kPayload, 8);
        put(eh, 28, archs[e], 4);
        put(eh, 40, 0x8011, 4);
        pwrite_all(fd, eh, at + 16 + e * entry_span);
      }
    }
    const std::uint64_t section_size = kContainers * container_span;
    // Section names and the section table after the section.
    std::string names = std::string("\0.nv_fatbin\0.shstrtab\0", 23);
    std::uint64_t names_at = kSectionOffset + section_size;
    std::uint64_t shoff = (names_at + names.size() + 7) / 8 * 8;
    pwrite_all(fd, names, names_at);
    std::string table(3 * 64, '\0');
    put(table, 64 + 0, 1, 4);  // .nv_fatbin
    put(table, 64 + 4, 1, 4);
    put(table, 64 + 24, kSectionOffset, 8);
    put(table, 64 + 32, section_size, 8);
    put(table, 128 + 0, 12, 4);  // .shstrtab
    put(table, 128 + 4, 3, 4);
    put(table, 128 + 24, names_at, 8);
    put(table, 128 + 32, names.size(), 8);
    pwrite_all(fd, table, shoff);
    std::string eh(64, '\0');
    eh[0] = 0x7f, eh[1] = 'E', eh[2] = 'L', eh[3] = 'F', eh[4] = 2, eh[5] = 1, eh[6] = 1;
    put(eh, 0x10, 3, 2);
    put(eh, 0x12, 62, 2);
    put(eh, 0x28, shoff, 8);
    put(eh, 0x3a, 64, 2);
    put(eh, 0x3c, 3, 2);
    put(eh, 0x3e, 2, 2);
    pwrite_all(fd, eh, 0);
    ::close(fd);
  }
  ~BigLibrary() {
    ::unlink(path.c_str());
    std::remove((cache_dir + "/" + gpuenv::probes::fatbin_cache_name(path)).c_str());
    std::remove((cache_dir + "/fatbin").c_str());
    std::remove(cache_dir.c_str());
  }
};

const BigLibrary& big() {
  static BigLibrary lib;
  return lib;
}

void check(const gpuenv::probes::BinaryArchs& a, benchmark::State& state) {
  if (a.error || a.entries != kContainers * kEntriesPerContainer || a.arch_list().size() != 4)
    state.SkipWithError("the generated library was not read as written");
}

// First run: no gpuenv cache; the page cache as it is (the headers were just written).
void BM_FatbinList1GiB(benchmark::State& state) {
  const auto& lib = big();
  gpuenv::platform::CacheStore no_cache("");
  for (auto _ : state) {
    auto a = gpuenv::probes::read_binary_archs(lib.path, no_cache);
    check(a, state);
    benchmark::DoNotOptimize(a);
  }
  state.counters["entries"] = static_cast<double>(kContainers * kEntriesPerContainer);
}
BENCHMARK(BM_FatbinList1GiB)->Unit(benchmark::kMillisecond)->Iterations(5);

// Repeated runs: the summary comes from $XDG_CACHE_HOME/gpuenv (stat + one small file).
void BM_FatbinCachedLookup(benchmark::State& state) {
  const auto& lib = big();
  gpuenv::platform::CacheStore cache(lib.cache_dir);
  (void)gpuenv::probes::read_binary_archs(lib.path, cache);  // fills the cache
  for (auto _ : state) {
    auto a = gpuenv::probes::read_binary_archs(lib.path, cache);
    if (!a.from_cache) state.SkipWithError("not served from the cache");
    check(a, state);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_FatbinCachedLookup)->Unit(benchmark::kMicrosecond);

}  // namespace
