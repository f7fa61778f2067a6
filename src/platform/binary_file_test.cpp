#include "platform/binary_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/fs.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::platform {
namespace {

TEST(MemoryBytes, ReadsWithinAndPastTheEnd) {
  MemoryBytes m("abcdef");
  char buf[8] = {};
  EXPECT_EQ(m.size(), 6u);
  EXPECT_EQ(m.read_at(2, buf, 3), 3);
  EXPECT_EQ(std::string(buf, 3), "cde");
  EXPECT_EQ(m.read_at(4, buf, 8), 2);
  EXPECT_EQ(m.read_at(6, buf, 1), 0);
  EXPECT_EQ(m.read_at(~0ull, buf, 1), 0);
}

TEST(BinaryFile, ReadsAtOffsets) {
  test::TempDir tmp;
  std::string p = tmp.write("f.bin", "0123456789");
  auto o = BinaryFile::open(p);
  ASSERT_TRUE(o.file) << o.error;
  EXPECT_EQ(o.file->size(), 10u);
  EXPECT_GT(o.file->mtime_ns(), 0);
  char buf[4];
  EXPECT_EQ(o.file->read_at(7, buf, 4), 3);
  EXPECT_EQ(std::string(buf, 3), "789");
  EXPECT_EQ(o.file->read_at(1ull << 62, buf, 4), 0);
  EXPECT_EQ(o.file->read_at(~0ull - 1, buf, 4), 0);
}

TEST(BinaryFile, RefusesWhatIsNotARegularFile) {
  test::TempDir tmp;
  auto missing = BinaryFile::open(tmp.path() + "/none");
  EXPECT_FALSE(missing.file);
  EXPECT_TRUE(missing.missing);
  EXPECT_EQ(missing.error, "No such file or directory");
  auto dir = BinaryFile::open(tmp.path());
  EXPECT_FALSE(dir.file);
  EXPECT_EQ(dir.error, "not a regular file (directory)");
  std::string fifo = tmp.path() + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto f = BinaryFile::open(fifo);  // must not block waiting for a writer
  EXPECT_FALSE(f.file);
  EXPECT_EQ(f.error, "not a regular file (FIFO)");
}

TEST(BinaryFile, ShrunkFileGivesShortReads) {
  test::TempDir tmp;
  std::string p = tmp.write("f.bin", std::string(100, 'x'));
  auto o = BinaryFile::open(p);
  ASSERT_TRUE(o.file);
  ASSERT_EQ(::truncate(p.c_str(), 10), 0);
  char buf[50];
  EXPECT_EQ(o.file->read_at(0, buf, 50), 10);
  EXPECT_EQ(o.file->read_at(60, buf, 10), 0);
}

TEST(AbsolutePath, JoinsTheCurrentDirectory) {
  EXPECT_EQ(absolute_path("/a/b/../c"), "/a/c");
  char cwd[4096];
  ASSERT_NE(::getcwd(cwd, sizeof cwd), nullptr);
  EXPECT_EQ(absolute_path("x/./lib.so"), normalize(std::string(cwd) + "/x/lib.so"));
}

}  // namespace
}  // namespace gpuenv::platform
