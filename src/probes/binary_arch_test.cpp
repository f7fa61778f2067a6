#include "probes/binary_arch.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "support/fatbin_builder.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::probes {
namespace {

using test::elf64;
using test::fatbin_container;

BinaryArchs summary_of(const std::string& bytes) {
  platform::MemoryBytes m(bytes);
  return summarize(list_fatbin(m));
}

TEST(BinaryArchs, SummarisesAndOrdersTargets) {
  auto a = summary_of(elf64(
      {{".nv_fatbin",
        fatbin_container(
            {{2, 90, 0x8011}, {2, 100, 0x1200011, 96}, {1, 120, 0x8011, 80}, {2, 75}, {2, 90, 0x100011}}) +
            fatbin_container({{2, 75, 0x8011}, {2, 90, 0x8011}, {8, 90}})}}));
  ASSERT_FALSE(a.error);
  EXPECT_EQ(a.entries, 8u);
  EXPECT_EQ(a.containers, 2u);
  std::vector<FatbinTarget> want = {
      {"sm_75", "cubin", ".nv_fatbin", 2, 1},     {"sm_90", "cubin", ".nv_fatbin", 2, 2},
      {"sm_90a", "cubin", ".nv_fatbin", 1, 0},    {"sm_100f", "cubin", ".nv_fatbin", 1, 0},
      {"compute_120", "ptx", ".nv_fatbin", 1, 1}, {"lto_90", "lto", ".nv_fatbin", 1, 0}};
  EXPECT_EQ(a.targets, want);
  EXPECT_EQ(a.arch_list(), (std::vector<std::string>{"sm_75", "sm_90", "sm_90a", "sm_100f", "compute_120"}));
}

TEST(BinaryArchs, ModulesGroupContainersByTargets) {
  auto a = summary_of(
      elf64({{".nv_fatbin", fatbin_container({{2, 80}, {2, 90}}) + fatbin_container({{2, 90}, {2, 80}}) +
                                fatbin_container({{2, 90, 0x100011}}) +  // Hopper-only kernels
                                fatbin_container({{2, 80}, {8, 90}}) + fatbin_container({})}}));
  ASSERT_FALSE(a.error);
  EXPECT_EQ(a.modules, (std::vector<ModuleGroup>{{{"sm_80", "sm_90"}, 2}, {{"sm_80"}, 1}}));
  auto rel =
      summary_of(elf64({{".nv_fatbin", fatbin_container({{2, 80}})},
                        {"__nv_relfatbin", fatbin_container({{2, 75}}) + fatbin_container({{2, 75}})}}));
  EXPECT_EQ(rel.modules, (std::vector<ModuleGroup>{{{"sm_80"}, 1}}));
}

TEST(BinaryArchs, ArchListPrefersTheLoadedSection) {
  auto both = summary_of(elf64({{".nv_fatbin", fatbin_container({{2, 80}})},
                                {"__nv_relfatbin", fatbin_container({{2, 80}, {1, 90, 0x11, 80}})}}));
  EXPECT_EQ(both.arch_list(), std::vector<std::string>{"sm_80"});
  auto rel_only = summary_of(elf64({{"__nv_relfatbin", fatbin_container({{2, 80}, {1, 90, 0x11, 80}})}}));
  EXPECT_EQ(rel_only.arch_list(), (std::vector<std::string>{"sm_80", "compute_90"}));
  EXPECT_TRUE(summary_of(elf64({{".text", "x"}})).arch_list().empty());
}

TEST(FatbinCache, RecordRoundTrip) {
  auto a = summary_of(elf64({{".nv_fatbin", fatbin_container({{2, 80}, {1, 80, 0x8011, 80}})}}));
  std::string rec = fatbin_cache_record(a, "/x/lib.so", 1234, 99);
  auto back = parse_fatbin_cache_record(rec, "/x/lib.so", 1234, 99);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->from_cache);
  EXPECT_EQ(back->targets, a.targets);
  EXPECT_EQ(back->sections, a.sections);
  EXPECT_EQ(back->arch_list(), a.arch_list());
  EXPECT_EQ(back->modules, a.modules);
  EXPECT_EQ(back->modules, (std::vector<ModuleGroup>{{{"sm_80", "compute_80"}, 1}}));
  EXPECT_FALSE(parse_fatbin_cache_record(rec, "/x/other.so", 1234, 99));
  EXPECT_FALSE(parse_fatbin_cache_record(rec, "/x/lib.so", 1235, 99));
  EXPECT_FALSE(parse_fatbin_cache_record(rec, "/x/lib.so", 1234, 98));
  EXPECT_FALSE(parse_fatbin_cache_record("{not json", "/x/lib.so", 1234, 99));
  EXPECT_FALSE(parse_fatbin_cache_record("[1,2]", "/x/lib.so", 1234, 99));
  EXPECT_FALSE(parse_fatbin_cache_record(R"({"version":1,"path":"/x/lib.so","size":1234,"mtime_ns":99})",
                                         "/x/lib.so", 1234, 99));
}

TEST(FatbinCache, ErrorsAreCachedToo) {
  BinaryArchs a = summary_of(elf64({{".nv_fatbin", "garbage!"}}));
  ASSERT_TRUE(a.error);
  auto back = parse_fatbin_cache_record(fatbin_cache_record(a, "/l.so", 1, 2), "/l.so", 1, 2);
  ASSERT_TRUE(back && back->error);
  EXPECT_EQ(back->error->code, BinaryErrorCode::bad_fatbin);
  EXPECT_EQ(back->error->text("/l.so").en(), a.error->text("/l.so").en());
}

void set_mtime(const std::string& path, long sec) {
  struct timeval tv[2] = {{sec, 0}, {sec, 0}};
  ASSERT_EQ(::utimes(path.c_str(), tv), 0);
}

TEST(FatbinCache, SecondReadComesFromTheCacheUntilTheFileChanges) {
  test::TempDir tmp;
  std::string lib = tmp.write("lib/libk.so", elf64({{".nv_fatbin", fatbin_container({{2, 80}})}}));
  set_mtime(lib, 1700000000);
  platform::CacheStore cache(tmp.path() + "/cache/gpuenv");

  auto first = read_binary_archs(lib, cache);
  EXPECT_FALSE(first.from_cache);
  EXPECT_EQ(first.arch_list(), std::vector<std::string>{"sm_80"});
  auto second = read_binary_archs(lib, cache);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.arch_list(), std::vector<std::string>{"sm_80"});
  struct stat st {};
  ASSERT_EQ(::stat((tmp.path() + "/cache/gpuenv/" + fatbin_cache_name(lib)).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // A rebuilt library (other content, other mtime) is read again.
  test::write_file(lib, elf64({{".nv_fatbin", fatbin_container({{2, 90}})}}));
  set_mtime(lib, 1700000100);
  auto third = read_binary_archs(lib, cache);
  EXPECT_FALSE(third.from_cache);
  EXPECT_EQ(third.arch_list(), std::vector<std::string>{"sm_90"});
}

TEST(FatbinCache, CorruptCacheFileIsIgnoredAndReplaced) {
  test::TempDir tmp;
  std::string lib = tmp.write("libk.so", elf64({{".nv_fatbin", fatbin_container({{2, 86}})}}));
  platform::CacheStore cache(tmp.path() + "/c");
  ASSERT_EQ(cache.put(fatbin_cache_name(lib), "{\"version\": 1, \"path\": 12"), "");
  auto a = read_binary_archs(lib, cache);
  EXPECT_FALSE(a.from_cache);
  EXPECT_EQ(a.arch_list(), std::vector<std::string>{"sm_86"});
  EXPECT_TRUE(read_binary_archs(lib, cache).from_cache);
}

TEST(FatbinCache, DisabledCacheWritesNothing) {
  test::TempDir tmp;
  std::string lib = tmp.write("libk.so", elf64({{".nv_fatbin", fatbin_container({{2, 86}})}}));
  platform::CacheStore off("");
  EXPECT_FALSE(read_binary_archs(lib, off).from_cache);
  EXPECT_FALSE(read_binary_archs(lib, off).from_cache);
}

TEST(ReadBinaryArchs, MissingAndDirectoryAreIoErrorsNamingTheFile) {
  test::TempDir tmp;
  platform::CacheStore off("");
  auto missing = read_binary_archs(tmp.path() + "/nope.so", off);
  ASSERT_TRUE(missing.error);
  EXPECT_EQ(missing.error->text("/x/nope.so").en(),
            "/x/nope.so: cannot read the file: No such file or directory");
  auto dir = read_binary_archs(tmp.path(), off);
  ASSERT_TRUE(dir.error);
  EXPECT_EQ(dir.error->detail, "not a regular file (directory)");
}

}  // namespace
}  // namespace gpuenv::probes
