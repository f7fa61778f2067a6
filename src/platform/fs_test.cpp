#include "platform/fs.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/testsupport.hpp"

namespace gpuenv::platform {
namespace {

using test::TempDir;

TEST(Normalize, Lexical) {
  EXPECT_EQ(normalize("/a//b/./c/"), "/a/b/c");
  EXPECT_EQ(normalize("/../../etc"), "/etc");
  EXPECT_EQ(normalize("/a/b/../../.."), "/");
  EXPECT_EQ(join("/usr/local", "cuda"), "/usr/local/cuda");
  EXPECT_EQ(join("/usr/local", "/opt"), "/opt");
  EXPECT_EQ(dirname("/usr/local/cuda"), "/usr/local");
  EXPECT_EQ(dirname("/usr"), "/");
  EXPECT_EQ(basename("/usr/local/cuda/"), "cuda");
}

TEST(RootedFileSystem, AbsoluteSymlinkIsReRootedInside) {
  TempDir outside;
  outside.write("secret", "OUTSIDE MARKER");
  TempDir root;
  root.write("usr/local/cuda-12.1/version.txt", "CUDA Version 12.1.0\n");
  root.symlink("/usr/local/cuda-12.1", "usr/local/cuda");
  // An absolute link naming a file that exists outside the root must resolve inside it.
  root.symlink(outside.path() + "/secret", "etc/escape");
  RootedFileSystem fs(root.path());
  auto r = fs.read("/usr/local/cuda/version.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.data, "CUDA Version 12.1.0\n");
  EXPECT_EQ(fs.real_path("/usr/local/cuda"), "/usr/local/cuda-12.1");
  auto esc = fs.read("/etc/escape");
  EXPECT_FALSE(esc.ok());
  EXPECT_EQ(esc.data.find("OUTSIDE"), std::string::npos);
  // Planted inside at the re-rooted location, the same link reads the inside copy.
  root.write(outside.path().substr(1) + "/secret", "inside copy");
  EXPECT_EQ(fs.read("/etc/escape").data, "inside copy");
}

TEST(RootedFileSystem, DotDotCannotLeaveRoot) {
  TempDir outside;
  outside.write("marker", "OUTSIDE");
  TempDir root;
  root.write("a/file", "inside");
  root.symlink("../../../../../../../../" + outside.path().substr(1) + "/marker", "a/up");
  RootedFileSystem fs(root.path());
  auto r = fs.read("/a/up");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(fs.read("/../../a/file").data, "inside");
  EXPECT_EQ(fs.real_path("/a/../../.."), "/");
}

TEST(RootedFileSystem, LoopsAreDetected) {
  TempDir root;
  root.symlink("/loop2", "loop1");
  root.symlink("/loop1", "loop2");
  root.symlink("self", "self");
  RootedFileSystem fs(root.path());
  auto r = fs.read("/loop1");
  EXPECT_EQ(r.status, ReadResult::Status::failed);
  EXPECT_FALSE(fs.real_path("/self"));
  EXPECT_EQ(fs.stat("/loop1").kind, FileKind::missing);
}

TEST(RootedFileSystem, FifoIsNotReadAndDoesNotBlock) {
  TempDir root;
  root.mkdir("proc/driver/nvidia");
  std::string fifo = root.path() + "/proc/driver/nvidia/version";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  RootedFileSystem fs(root.path());
  auto r = fs.read("/proc/driver/nvidia/version");
  EXPECT_EQ(r.status, ReadResult::Status::failed);
  EXPECT_NE(r.error.find("FIFO"), std::string::npos) << r.error;
}

TEST(RootedFileSystem, ReadsAreCapped) {
  TempDir root;
  root.write("big", std::string(100000, 'x'));
  RootedFileSystem fs(root.path());
  auto r = fs.read("/big", 1000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.data.size(), 1000u);
  EXPECT_TRUE(r.truncated);
  auto whole = fs.read("/big");
  EXPECT_EQ(whole.data.size(), 100000u);
  EXPECT_FALSE(whole.truncated);
}

TEST(RootedFileSystem, SparseHugeFileReadsOnlyTheCap) {
  TempDir root;
  std::string p = root.write("version", "535.104.05\n");
  ASSERT_EQ(::truncate(p.c_str(), 2LL << 30), 0);  // 2 GiB, sparse
  RootedFileSystem fs(root.path());
  auto r = fs.read("/version", 4096);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.data.size(), 4096u);
  EXPECT_TRUE(r.truncated);
}

TEST(RootedFileSystem, MissingIsAbsentNotFailed) {
  TempDir root;
  RootedFileSystem fs(root.path());
  EXPECT_EQ(fs.read("/etc/os-release").status, ReadResult::Status::absent);
  EXPECT_TRUE(fs.list("/nope").entries.empty());
  EXPECT_TRUE(fs.list("/nope").error.empty());
}

TEST(RootedFileSystem, ListIsSortedAndCapped) {
  TempDir root;
  for (const char* n : {"c", "a", "b"}) root.write(std::string("d/") + n, "");
  RootedFileSystem fs(root.path());
  auto l = fs.list("/d");
  ASSERT_EQ(l.entries.size(), 3u);
  EXPECT_EQ(l.entries[0].name, "a");
  EXPECT_EQ(l.entries[2].name, "c");
  auto capped = fs.list("/d", 2);
  EXPECT_EQ(capped.entries.size(), 2u);
  EXPECT_TRUE(capped.truncated);
}

TEST(RootedFileSystem, RecordsAccesses) {
  TempDir root;
  root.write("etc/hostname", "labpc\n");
  RootedFileSystem fs(root.path());
  fs.read("/etc/hostname");
  fs.list("/etc");
  auto acc = fs.accesses();
  ASSERT_EQ(acc.size(), 2u);
  EXPECT_EQ(acc[0].path, "/etc/hostname");
  EXPECT_EQ(acc[0].kind, Access::Kind::read);
  EXPECT_EQ(acc[1].kind, Access::Kind::list);
}

TEST(RootedFileSystem, UnreadableFileIsFailedWithReason) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: permission bits do not stop reads";
  TempDir root;
  std::string p = root.write("secret", "x");
  ::chmod(p.c_str(), 0);
  RootedFileSystem fs(root.path());
  auto r = fs.read("/secret");
  EXPECT_EQ(r.status, ReadResult::Status::failed);
}

}  // namespace
}  // namespace gpuenv::platform
