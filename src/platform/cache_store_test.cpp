#include "platform/cache_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "platform/fs.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::platform {
namespace {

TEST(CacheStore, PutThenGet) {
  test::TempDir tmp;
  CacheStore c(tmp.path() + "/cache/gpuenv");
  EXPECT_FALSE(c.get("fatbin/a.json"));
  ASSERT_EQ(c.put("fatbin/a.json", "{\"x\":1}"), "");
  EXPECT_EQ(c.get("fatbin/a.json"), "{\"x\":1}");
  ASSERT_EQ(c.put("fatbin/a.json", "second"), "");
  EXPECT_EQ(c.get("fatbin/a.json"), "second");
  struct stat st {};
  ASSERT_EQ(::stat((tmp.path() + "/cache/gpuenv/fatbin").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((tmp.path() + "/cache/gpuenv/fatbin/a.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(CacheStore, NoTemporaryFilesLeftBehind) {
  test::TempDir tmp;
  CacheStore c(tmp.path());
  for (int i = 0; i < 5; ++i) ASSERT_EQ(c.put("x.json", std::string(1000, 'a' + i)), "");
  ListResult l = RootedFileSystem(tmp.path()).list("/");
  ASSERT_EQ(l.entries.size(), 1u);
  EXPECT_EQ(l.entries[0].name, "x.json");
}

TEST(CacheStore, GetRespectsTheCap) {
  test::TempDir tmp;
  CacheStore c(tmp.path());
  ASSERT_EQ(c.put("big", std::string(5000, 'x')), "");
  EXPECT_FALSE(c.get("big", 4999));
  EXPECT_TRUE(c.get("big", 5000));
}

TEST(CacheStore, DisabledDoesNothing) {
  CacheStore c("");
  EXPECT_FALSE(c.enabled());
  EXPECT_EQ(c.put("a", "b"), "");
  EXPECT_FALSE(c.get("a"));
}

TEST(CacheStore, UnwritableDirectoryIsAnErrorNotACrash) {
  test::TempDir tmp;
  std::string file = tmp.write("plainfile", "x");
  CacheStore c(file);  // a file where the directory should be
  std::string err = c.put("fatbin/a.json", "x");
  EXPECT_NE(err.find(file), std::string::npos) << err;
}

TEST(CacheStore, RejectsNamesLeavingTheDirectory) {
  EXPECT_TRUE(valid_cache_name("fatbin/0123.json"));
  for (const char* n : {"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a/"})
    EXPECT_FALSE(valid_cache_name(n)) << n;
  test::TempDir tmp;
  EXPECT_NE(CacheStore(tmp.path()).put("../escape", "x"), "");
}

}  // namespace
}  // namespace gpuenv::platform
