#include "probes/os.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "platform/env.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::probes {
namespace {

// libc.so.6 is read in 64 KiB pieces for its banner: the version is found wherever it lies, also across
// a piece boundary, and the file still counts as read (`-v`, `capture`).
struct GlibcCase {
  std::size_t marker_at;
  std::size_t size;
};

class GlibcBanner : public ::testing::TestWithParam<GlibcCase> {};

TEST_P(GlibcBanner, FoundWhereverItLies) {
  const auto [at, size] = GetParam();
  std::string bytes(size, '\x01');
  const std::string banner = "GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\n";
  const std::size_t start = at - std::string("GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable ").size();
  bytes.replace(start, banner.size(), banner);
  test::TempDir root;
  root.write("lib/x86_64-linux-gnu/libc.so.6", bytes);
  platform::RootedFileSystem fs(root.path());
  platform::MapEnvironment env;
  ProbeContext ctx{fs, env, kb::KnowledgeBase::builtin(), std::nullopt, {}, {}, {}, {}};
  auto os = probe_os(ctx);
  ASSERT_TRUE(os.glibc) << "marker at " << at;
  EXPECT_EQ(*os.glibc, "2.36");
  EXPECT_NE(std::find(os.sources.begin(), os.sources.end(), "/lib/x86_64-linux-gnu/libc.so.6"),
            os.sources.end());
  auto acc = fs.accesses();
  EXPECT_TRUE(std::any_of(acc.begin(), acc.end(), [](auto& a) {
    return a.kind == platform::Access::Kind::read && a.path == "/lib/x86_64-linux-gnu/libc.so.6";
  }));
}

INSTANTIATE_TEST_SUITE_P(Offsets, GlibcBanner,
                         ::testing::Values(GlibcCase{100, 4096},               // a small file, one piece
                                           GlibcCase{65536 - 8, 200000},       // the marker across a boundary
                                           GlibcCase{65536 - 17, 200000},      // the version across it
                                           GlibcCase{65536 - 40, 65536 + 10},  // ... and the file ends there
                                           GlibcCase{1700000, 2000000}));      // deep in a 2 MB file

TEST(GlibcBanner, AbsentOrPastTheLimitIsUnknown) {
  test::TempDir root;
  root.write("lib/x86_64-linux-gnu/libc.so.6", std::string(300000, '\x01'));
  platform::RootedFileSystem fs(root.path());
  platform::MapEnvironment env;
  ProbeContext ctx{fs, env, kb::KnowledgeBase::builtin(), std::nullopt, {}, {}, {}, {}};
  EXPECT_FALSE(probe_os(ctx).glibc);
}

}  // namespace
}  // namespace gpuenv::probes
