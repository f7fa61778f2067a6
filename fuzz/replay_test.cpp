// Replays every seed (fuzz/corpus/<target>/) and every input a fuzzer once crashed on
// (fuzz/regressions/<target>/) through the same entry point the fuzzer calls, in the normal GCC build.
// An input that crashes, trips a sanitizer or breaks an invariant (fuzz::check aborts) fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "entries.hpp"

namespace gpuenv::fuzz {
namespace {

namespace fs = std::filesystem;

fs::path source_dir() {
  const char* s = std::getenv("GPUENV_SOURCE_DIR");
  return s ? fs::path(s) : fs::path(GPUENV_FUZZ_SOURCE_DIR);
}

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename() != ".keep") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Replay : public ::testing::TestWithParam<const Target*> {};

TEST_P(Replay, SeedsAndRegressionInputs) {
  const Target& t = *GetParam();
  auto seeds = files_under(source_dir() / "fuzz" / "corpus" / t.name);
  auto regressions = files_under(source_dir() / "fuzz" / "regressions" / t.name);
  // Every target has a seed corpus; an empty one means the corpus went missing.
  ASSERT_FALSE(seeds.empty()) << "no seeds in fuzz/corpus/" << t.name;
  for (const auto& list : {seeds, regressions})
    for (const auto& f : list) {
      SCOPED_TRACE(f.string());
      std::string data = slurp(f);
      t.run(data);
    }
}

std::vector<const Target*> all_targets() {
  std::vector<const Target*> v;
  for (auto& each : targets()) v.push_back(&each);
  return v;
}

std::string target_name(const ::testing::TestParamInfo<const Target*>& p) {
  return p.param->name;
}

INSTANTIATE_TEST_SUITE_P(Fuzz, Replay, ::testing::ValuesIn(all_targets()), target_name);

TEST(FuzzTargets, NamesAreUniqueAndFindable) {
  for (auto& t : targets()) EXPECT_EQ(find_target(t.name), &t);
  EXPECT_EQ(find_target("no-such-target"), nullptr);
  EXPECT_EQ(targets().size(), 12u);
}

}  // namespace
}  // namespace gpuenv::fuzz
