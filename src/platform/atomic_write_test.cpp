#include "platform/atomic_write.hpp"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "support/testsupport.hpp"

namespace gpuenv::platform {
namespace {

using test::read_file;
using test::TempDir;

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (auto* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    ::closedir(d);
  }
  return out;
}

TEST(AtomicWrite, WritesAndReplaces) {
  TempDir t;
  std::string p = t.path() + "/features";
  ASSERT_EQ(write_file_atomic(p, "a=1\n"), std::nullopt);
  EXPECT_EQ(read_file(p), "a=1\n");
  ASSERT_EQ(write_file_atomic(p, "b=2\n"), std::nullopt);
  EXPECT_EQ(read_file(p), "b=2\n");
  EXPECT_EQ(names_in(t.path()), std::vector<std::string>{"features"});  // no temporary left behind
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(AtomicWrite, MissingDirectoryFailsNamingIt) {
  TempDir t;
  auto e = write_file_atomic(t.path() + "/no/such/dir/f", "x");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, t.path() + "/no/such/dir: No such file or directory");
}

TEST(AtomicWrite, MakeParentsCreatesTheDirectories) {
  TempDir t;
  std::string p = t.path() + "/etc/kubernetes/node-feature-discovery/features.d/gpuenv";
  ASSERT_EQ(write_file_atomic(p, "x=1\n", {0644, true}), std::nullopt);
  EXPECT_EQ(read_file(p), "x=1\n");
}

TEST(AtomicWrite, ParentThatIsAFileFails) {
  TempDir t;
  t.write("file", "");
  auto e = write_file_atomic(t.path() + "/file/f", "x", {0644, true});
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, t.path() + "/file: not a directory");
}

TEST(AtomicWrite, DirectoryTargetFailsAndLeavesNoTemporary) {
  TempDir t;
  t.mkdir("target");
  auto e = write_file_atomic(t.path() + "/target", "x");
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(e->find(t.path() + "/target: "), std::string::npos) << *e;
  EXPECT_EQ(names_in(t.path()), std::vector<std::string>{"target"});
}

// NFD reads every file of features.d that does not start with a dot, whenever it likes: while the
// file is rewritten, a reader must see the old content or the new one, and never a visible
// temporary file.
TEST(AtomicWrite, ConcurrentReaderNeverSeesAPartialFile) {
  TempDir t;
  std::string p = t.path() + "/gpuenv";
  const std::string a(40000, 'a'), b(60000, 'b');
  ASSERT_EQ(write_file_atomic(p, a), std::nullopt);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, bad{0}, stray{0};
  std::thread reader([&] {
    while (!done) {
      std::string got = read_file(p);
      if (got != a && got != b) ++bad;
      for (auto& n : names_in(t.path()))
        if (n != "gpuenv" && n[0] != '.') ++stray;
      ++reads;
    }
  });
  for (int i = 0; i < 200; ++i) ASSERT_EQ(write_file_atomic(p, i % 2 ? a : b), std::nullopt);
  while (reads < 50) std::this_thread::yield();  // the reader did overlap the writes
  done = true;
  reader.join();
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(stray, 0);
  EXPECT_EQ(names_in(t.path()), std::vector<std::string>{"gpuenv"});
}

}  // namespace
}  // namespace gpuenv::platform
