#include "i18n/catalog.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "i18n/width.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::i18n {
namespace {

TEST(Catalog, EveryEntryHasBothLanguagesAndTheSamePlaceholders) {
  const auto& cat = Catalog::builtin();
  ASSERT_FALSE(cat.entries().empty());
  for (auto& [id, e] : cat.entries()) {
    EXPECT_FALSE(e.en.empty()) << id << " has no English text";
    EXPECT_FALSE(e.ja.empty()) << id << " has no Japanese text";
    EXPECT_EQ(placeholders(e.en), placeholders(e.ja)) << id << ": placeholders differ between en and ja";
  }
}

// Every literal message id in the sources exists in the catalog (ids built at run time, such as
// "finding." + id + ".title", are checked by the rules' own tests).
TEST(Catalog, EveryIdUsedInTheSourcesExists) {
  const auto& cat = Catalog::builtin();
  std::regex id_re(
      R"re("((?:cli|report|finding|fix|plan|envs|verify|install|fleet|export|inspect|matrix|capture)\.[a-z0-9_.\-]+[a-z0-9_])")re");
  std::set<std::string> missing;
  for (auto& entry : std::filesystem::recursive_directory_iterator(test::source_dir() + "/src")) {
    auto p = entry.path();
    if (p.extension() != ".cpp" && p.extension() != ".hpp") continue;
    if (p.filename().string().find("_test.") != std::string::npos) continue;
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), id_re), end; it != end; ++it) {
      std::string id = (*it)[1];
      if (id.back() == '.' || id.ends_with("_")) continue;
      if (!cat.has(id)) missing.insert(id + " (" + p.filename().string() + ")");
    }
  }
  EXPECT_TRUE(missing.empty()) << [&] {
    std::string s = "ids missing from data/messages:";
    for (auto& m : missing) s += "\n  " + m;
    return s;
  }();
}

TEST(Format, NamedPlaceholdersInAnyOrder) {
  EXPECT_EQ(format("{a} then {b}", {{"b", "2"}, {"a", "1"}}), "1 then 2");
  EXPECT_EQ(format("{b}、{a}", {{"a", "x"}, {"b", "y"}}), "y、x");
  EXPECT_EQ(format("{{literal}} {x}", {{"x", "v"}}), "{literal} v");
  EXPECT_EQ(format("{unknown}", {}), "{unknown}");
  EXPECT_EQ(placeholders("{b} {a} {b} {{no}}"), (std::vector<std::string>{"a", "b"}));
}

TEST(Language, FromFlagThenLocaleVariables) {
  EXPECT_EQ(choose_language("ja", nullptr, nullptr, nullptr), Lang::ja);
  EXPECT_EQ(choose_language("en", "ja_JP.UTF-8", nullptr, nullptr), Lang::en);
  EXPECT_EQ(choose_language("", "ja_JP.UTF-8", "en_US.UTF-8", "en_US.UTF-8"), Lang::ja);
  EXPECT_EQ(choose_language("", "", "ja_JP.UTF-8", "en_US.UTF-8"), Lang::ja);
  EXPECT_EQ(choose_language("", nullptr, nullptr, "ja"), Lang::ja);
  EXPECT_EQ(choose_language("", "C", nullptr, "ja_JP.UTF-8"), Lang::en);  // LC_ALL wins, even as C
  EXPECT_EQ(choose_language("", nullptr, nullptr, nullptr), Lang::en);
}

TEST(Width, JapaneseIsDoubleWidth) {
  EXPECT_EQ(display_width("GPU"), 3u);
  EXPECT_EQ(display_width("グラフィックボード"), 18u);
  EXPECT_EQ(display_width("NVIDIAドライバ"), 6u + 8u);
  EXPECT_EQ(display_width("✓"), 1u);
  EXPECT_EQ(pad_right("状態", 6), "状態  ");
  EXPECT_EQ(display_width(std::string("\xff\xfe", 2)), 2u);  // invalid bytes: one column each
}

TEST(Width, WrapLatinAtSpacesJapaneseAnywhere) {
  auto l = wrap("the quick brown fox jumps", 10);
  EXPECT_EQ(l, (std::vector<std::string>{"the quick", "brown fox", "jumps"}));
  auto j = wrap("ドライバを更新してください。", 10);
  ASSERT_GE(j.size(), 2u);
  for (auto& line : j) EXPECT_LE(display_width(line), 10u) << line;
  EXPECT_NE(j.back().find("。"), std::string::npos);
  EXPECT_NE(j.back(), "。");  // closing punctuation never starts a line alone
  auto path = wrap("see /usr/local/cuda-13.0/targets/x86_64-linux/lib now", 12);
  EXPECT_EQ(path[1], "/usr/local/cuda-13.0/targets/x86_64-linux/lib");
}

}  // namespace
}  // namespace gpuenv::i18n
