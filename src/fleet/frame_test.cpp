#include "fleet/frame.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace gpuenv::fleet {
namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    auto nl = s.find('\n', pos);
    out.push_back(s.substr(pos, nl - pos + 1));
    pos = nl + 1;
  }
  return out;
}

TEST(Frame, Base64MatchesRfc4648Vectors) {
  // RFC 4648 §10 test vectors.
  const std::pair<const char*, const char*> v[] = {{"", ""},
                                                   {"f", "Zg=="},
                                                   {"fo", "Zm8="},
                                                   {"foo", "Zm9v"},
                                                   {"foob", "Zm9vYg=="},
                                                   {"fooba", "Zm9vYmE="},
                                                   {"foobar", "Zm9vYmFy"}};
  for (auto& [plain, enc] : v) {
    EXPECT_EQ(base64_encode(plain), enc);
    bool ok = false;
    EXPECT_EQ(base64_decode(enc, ok), plain);
    EXPECT_TRUE(ok);
  }
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  bool ok = false;
  EXPECT_EQ(base64_decode(base64_encode(bytes), ok), bytes);
}

TEST(Frame, Base64RejectsBadInput) {
  for (const char* bad : {"Zg=", "Z===", "Zm9v!A==", "Zg==Zg==", "=Zg="}) {
    bool ok = true;
    base64_decode(bad, ok);
    EXPECT_FALSE(ok) << bad;
  }
}

TEST(Frame, Fnv1a64KnownValues) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(Frame, EncodesShortSelfDescribingLines) {
  TaskRun run{1, "{\"schema_version\": 1}", "warning: x\n"};
  EXPECT_EQ(
      encode_task_output("n1", run),
      "@gpuenv-fleet1 n1 o 0 eyJzY2hlbWFfdmVyc2lvbiI6IDF9\n"
      "@gpuenv-fleet1 n1 e 0 d2FybmluZzogeAo=\n"
      "@gpuenv-fleet1 n1 end 1 1 1 21 " +
          [] {
            char b[17];
            std::snprintf(b, sizeof b, "%016llx",
                          static_cast<unsigned long long>(fnv1a64("{\"schema_version\": 1}")));
            return std::string(b);
          }() +
          "\n");
  std::string big(5000, 'x');
  for (auto& l :
       lines_of(encode_task_output("gpu-node-with-a-long-name-01", {0, big, std::string(9000, 'e')})))
    EXPECT_LT(l.size(), 600u);  // far below Slurm's 1 KiB I/O message, where lines get mixed
}

TEST(Frame, ReassemblesInterleavedNodes) {
  std::string r1(3000, '1'), r2 = "{\"n\": 2}", r3(800, '3');
  std::vector<std::string> lines;
  for (auto& [n, r] : std::vector<std::pair<std::string, std::string>>{{"n1", r1}, {"n2", r2}, {"n3", r3}})
    for (auto& l : lines_of(encode_task_output(n, {n == "n2" ? 1 : 0, r, "stderr of " + n})))
      lines.push_back(l);
  std::mt19937 rng(7);
  std::shuffle(lines.begin(), lines.end(), rng);
  std::string stream = "srun: job 12 queued and waiting for resources\n";
  for (auto& l : lines) stream += l;
  stream += "some stray output\n";
  auto got = decode_task_stream(stream);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(got["n1"].complete());
  EXPECT_EQ(got["n1"].run.out, r1);
  EXPECT_EQ(got["n1"].run.err, "stderr of n1");
  EXPECT_EQ(got["n2"].run.exit_code, 1);
  EXPECT_EQ(got["n2"].run.out, r2);
  EXPECT_EQ(got["n3"].run.out, r3);
}

TEST(Frame, MissingLineIsAProblem) {
  auto lines = lines_of(encode_task_output("n1", {0, std::string(2000, 'r'), ""}));
  ASSERT_GT(lines.size(), 3u);
  std::string stream;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (i != 2) stream += lines[i];
  auto got = decode_task_stream(stream);
  EXPECT_TRUE(got["n1"].ended);
  EXPECT_FALSE(got["n1"].complete());
  EXPECT_EQ(got["n1"].problem, "1 of 6 report lines missing");
}

TEST(Frame, CutOrMixedLineIsAProblem) {
  auto lines = lines_of(encode_task_output("n1", {0, std::string(2000, 'r'), ""}));
  auto stream_of = [](const std::vector<std::string>& ls) {
    std::string s;
    for (auto& l : ls) s += l;
    return s;
  };
  // A line cut in the middle and continued by other bytes (what Slurm does to long lines).
  auto cut = lines;
  cut[1] = cut[1].substr(0, 101) + "\n";
  EXPECT_EQ(decode_task_stream(stream_of(cut))["n1"].problem, "unreadable or conflicting lines");
  // Well-formed but other content: only the checksum can tell.
  auto mixed = lines;
  mixed[1] = "@gpuenv-fleet1 n1 o 1 " + base64_encode(std::string(kFrameChunk, 'X')) + "\n";
  auto got = decode_task_stream(stream_of(mixed));
  EXPECT_FALSE(got["n1"].complete());
  EXPECT_EQ(got["n1"].problem, "the report does not match its checksum");
  // The same piece twice with different content.
  auto twice = lines;
  twice.insert(twice.begin(), mixed[1]);
  EXPECT_EQ(decode_task_stream(stream_of(twice))["n1"].problem, "unreadable or conflicting lines");
}

TEST(Frame, NoEndLineMeansNotEnded) {
  auto lines = lines_of(encode_task_output("n1", {0, "{}", ""}));
  lines.pop_back();
  std::string stream;
  for (auto& l : lines) stream += l;
  auto got = decode_task_stream(stream);
  ASSERT_EQ(got.count("n1"), 1u);
  EXPECT_FALSE(got["n1"].ended);
  EXPECT_FALSE(got["n1"].complete());
  EXPECT_TRUE(decode_task_stream("").empty());
  EXPECT_TRUE(decode_task_stream("@gpuenv-fleet0 n1 end 0 0 0 0 0\nhello\n").empty());
}

TEST(Frame, CouldNotRunTravelsAsExitMinusOne) {
  auto got = decode_task_stream(encode_task_output("n4", {-1, "", "cannot find the gpuenv executable"}));
  EXPECT_TRUE(got["n4"].complete());
  EXPECT_EQ(got["n4"].run.exit_code, -1);
  EXPECT_EQ(got["n4"].run.err, "cannot find the gpuenv executable");
}

}  // namespace
}  // namespace gpuenv::fleet
