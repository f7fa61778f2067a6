#include "fleet/inputs.hpp"

#include <gtest/gtest.h>

#include "support/testsupport.hpp"

namespace gpuenv::fleet {
namespace {

TEST(Inputs, OnePrettyDocument) {
  auto r = split_stream("{\n  \"schema_version\": 1,\n  \"machine\": {}\n}\n", "n1.json", "n1");
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.docs[0].source, "n1.json");
  EXPECT_EQ(r.docs[0].name_hint, "n1");
  EXPECT_FALSE(r.docs[0].node.has_value());
  EXPECT_EQ(r.docs[0].text, "{\n  \"schema_version\": 1,\n  \"machine\": {}\n}\n");
}

TEST(Inputs, BrokenDocumentStaysOneDocument) {
  // Not JSON Lines (the first line is no document): one broken document, reported as such later.
  auto r = split_stream("{\n  \"schema_version\": 1,\n", "bad.json", "bad");
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].source, "bad.json");
}

TEST(Inputs, JsonLines) {
  auto r = split_stream("{\"a\": 1}\n\n{\"b\": 2}\r\n{\"c\":\n", "stdin", "stdin");
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].source, "stdin:1");
  EXPECT_EQ(r.docs[1].source, "stdin:3");
  EXPECT_EQ(r.docs[1].text, "{\"b\": 2}");
  EXPECT_EQ(r.docs[2].source, "stdin:4");  // broken: the report reader will say why
  EXPECT_TRUE(r.problems.empty());
}

TEST(Inputs, PdshOutputIsReassembledPerNode) {
  // `pdsh -w gpu[01-02] gpuenv doctor --json`: lines of both nodes, interleaved, prefixed.
  auto r = split_stream(
      "gpu01: {\n"
      "gpu02: {\n"
      "gpu01:   \"schema_version\": 1,\n"
      "gpu02:   \"schema_version\": 1,\n"
      "gpu02:   \"machine\": {}\n"
      "gpu01:   \"machine\": {\"host\": {\"name\": \"gpu01.lab\"}}\n"
      "gpu01: }\n"
      "gpu02: }\n"
      "pdsh@login1: gpu03: ssh exited with exit code 255\n",
      "stdin", "stdin");
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].node, "gpu01");
  EXPECT_EQ(r.docs[0].source, "stdin (gpu01)");
  EXPECT_EQ(r.docs[0].text,
            "{\n  \"schema_version\": 1,\n  \"machine\": {\"host\": {\"name\": \"gpu01.lab\"}}\n}\n");
  EXPECT_EQ(r.docs[1].node, "gpu02");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].source, "stdin:9");
  EXPECT_EQ(r.problems[0].reason.en(),
            "neither a JSON document nor \"NODE: text\": pdsh@login1: gpu03: ssh exited with exit code 255");
}

TEST(Inputs, EmptyAndStray) {
  auto e = split_stream(" \n\n", "x.json", "x");
  EXPECT_TRUE(e.docs.empty());
  ASSERT_EQ(e.problems.size(), 1u);
  EXPECT_EQ(e.problems[0].reason.en(), "empty");
  auto s = split_stream("hello world\n", "x.json", "x");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].source, "x.json:1");
}

TEST(Inputs, FileStem) {
  EXPECT_EQ(file_stem("reports/gpu01.json"), "gpu01");
  EXPECT_EQ(file_stem("all.jsonl"), "all");
  EXPECT_EQ(file_stem("/a/b/n1"), "n1");
  EXPECT_EQ(file_stem(".json"), ".json");
}

TEST(Inputs, ReadsFilesAndDirectories) {
  test::TempDir t;
  t.write("r/n1.json", "{\"schema_version\": 1}\n");
  t.write("r/n2.jsonl", "{\"a\": 1}\n{\"b\": 2}\n");
  t.write("r/.n3.json", "{}");  // hidden: a file being written
  t.write("r/notes.txt", "not a report");
  t.mkdir("r/sub");
  t.write("r/sub/n4.json", "{}");  // not recursive
  t.write("single.json", "{\"x\": 1}");
  t.mkdir("empty");
  platform::RootedFileSystem fs("/");
  auto r = read_inputs(
      fs, {t.path() + "/r", t.path() + "/single.json", t.path() + "/empty", t.path() + "/nope.json"},
      {"r/", "single.json", "empty", "nope.json"});
  ASSERT_EQ(r.docs.size(), 4u);
  EXPECT_EQ(r.docs[0].source, "r/n1.json");
  EXPECT_EQ(r.docs[0].name_hint, "n1");
  EXPECT_EQ(r.docs[1].source, "r/n2.jsonl:1");
  EXPECT_EQ(r.docs[2].source, "r/n2.jsonl:2");
  EXPECT_EQ(r.docs[3].source, "single.json");
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].source, "empty");
  EXPECT_EQ(r.problems[0].reason.en(), "no *.json report in this directory");
  EXPECT_EQ(r.problems[1].source, "nope.json");
  EXPECT_EQ(r.problems[1].reason.en(), "cannot read: no such file");
}

}  // namespace
}  // namespace gpuenv::fleet
