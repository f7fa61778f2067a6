#include "i18n/catalog.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <span>
#include <sstream>

#include "i18n/width.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::embedded {
std::span<const std::pair<std::string_view, std::string_view>> messages();
}

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

// Ids used in the sources and the knowledge base: source_scan_test.cpp.

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

// The precedence of issue 9, case by case: --lang, then the first non-empty of LC_ALL, LC_MESSAGES,
// LANG; the values Japanese users have (ja_JP.UTF-8, ja_JP.eucJP, ja_JP, ja) select Japanese, C and
// POSIX and every other value English.
TEST(Language, Precedence) {
  for (const char* v : {"ja_JP.UTF-8", "ja_JP.utf8", "ja_JP.eucJP", "ja_JP", "ja"})
    EXPECT_EQ(choose_language("", nullptr, nullptr, v), Lang::ja) << v;
  for (const char* v : {"C", "POSIX", "C.UTF-8", "en_US.UTF-8", "de_DE.UTF-8", "jv_ID"})
    EXPECT_EQ(choose_language("", nullptr, nullptr, v), Lang::en) << v;
  // --lang beats everything, in both directions.
  EXPECT_EQ(choose_language("en", "ja_JP.UTF-8", "ja_JP.UTF-8", "ja_JP.UTF-8"), Lang::en);
  EXPECT_EQ(choose_language("ja", "C", "POSIX", "en_US.UTF-8"), Lang::ja);
  // LC_ALL beats LC_MESSAGES beats LANG.
  EXPECT_EQ(choose_language("", "ja_JP.UTF-8", "C", "C"), Lang::ja);
  EXPECT_EQ(choose_language("", "POSIX", "ja_JP.UTF-8", "ja_JP.UTF-8"), Lang::en);
  EXPECT_EQ(choose_language("", nullptr, "C", "ja_JP.UTF-8"), Lang::en);
  EXPECT_EQ(choose_language("", nullptr, "ja_JP.UTF-8", "C"), Lang::ja);
  // An empty variable is skipped as POSIX says, not taken as "C".
  EXPECT_EQ(choose_language("", "", "", "ja_JP.UTF-8"), Lang::ja);
  EXPECT_EQ(choose_language("", "", nullptr, "ja"), Lang::ja);
  EXPECT_EQ(choose_language("", "", "", ""), Lang::en);
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

TEST(Width, WrapKeepsACodeSpanWholeSoItPastesAsOneCommand) {
  auto l = wrap("If you work there, `gpuenv install --env DIR` installs it.", 30);
  EXPECT_EQ(l,
            (std::vector<std::string>{"If you work there,", "`gpuenv install --env DIR`", "installs it."}));
  auto j = wrap("作業する場合は、`gpuenv install --env DIR` でその環境にインストールできます。", 30);
  bool whole = false;
  for (auto& line : j) whole = whole || line.find("`gpuenv install --env DIR`") != std::string::npos;
  EXPECT_TRUE(whole) << ::testing::PrintToString(j);
  // Wider than the line: alone on its own line, still whole.
  auto wide = wrap(
      "run `python -m pip install torch==2.5.1 --index-url https://download.pytorch.org/whl/cu124` now", 40);
  EXPECT_EQ(
      wide,
      (std::vector<std::string>{
          "run", "`python -m pip install torch==2.5.1 --index-url https://download.pytorch.org/whl/cu124`",
          "now"}));
  // Outside code spans spaces still break.
  EXPECT_EQ(wrap("a `b` c d e", 5), (std::vector<std::string>{"a `b`", "c d e"}));
}

// Valid UTF-8: every byte sequence decodes (no character split between two lines).
bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += len;
  }
  return true;
}

// Long Japanese explanations wrap at every odd and even width without splitting a character, with no
// line wider than the width, no line starting with closing punctuation or ending with an opening
// bracket, and nothing lost.
TEST(Width, WrapJapaneseNeverSplitsACharacter) {
  const std::string text =
      "NVIDIAドライバ 535.104.05 が対応する CUDA は 12.2 までですが、この環境の torch 2.5.1+cu124 は "
      "CUDA 12.4 用にビルドされています（マイナーバージョン互換でも足りません）。ドライバを更新するか、"
      "「cu121」版の torch を仮想環境にインストールしてください。";
  auto squash = [](const std::string& s) {
    std::string o;
    for (char c : s)
      if (c != ' ') o += c;
    return o;
  };
  for (std::size_t width = 11; width <= 80; ++width) {
    auto lines = wrap(text, width);
    std::string joined;
    for (auto& l : lines) {
      EXPECT_TRUE(valid_utf8(l)) << width << ": " << l;
      // The longest unbreakable word, "2.5.1+cu124", is 11 columns: every line fits.
      EXPECT_LE(display_width(l), width) << l;
      EXPECT_FALSE(l.starts_with("。") || l.starts_with("、") || l.starts_with("）") || l.starts_with("」"))
          << width << ": " << l;
      EXPECT_FALSE(l.ends_with("（") || l.ends_with("「")) << width << ": " << l;
      joined += l;
    }
    EXPECT_EQ(squash(joined), squash(text)) << width;
  }
}

}  // namespace
}  // namespace gpuenv::i18n

namespace gpuenv::i18n::detail {
std::optional<Catalog::Entries> scan_catalog(std::string_view text);
}

namespace gpuenv::i18n {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

// parse() scans the catalog's shape itself and hands anything else to nlohmann (parse_reference):
// both must give the same entries, or the same failure.
void expect_same(const Files& files) {
  auto fast = Catalog::parse(files);
  auto ref = Catalog::parse_reference(files);
  ASSERT_EQ(fast.entries().size(), ref.entries().size());
  for (auto& [id, e] : ref.entries()) {
    auto it = fast.entries().find(id);
    ASSERT_NE(it, fast.entries().end()) << id;
    EXPECT_EQ(it->second.en, e.en) << id;
    EXPECT_EQ(it->second.ja, e.ja) << id;
  }
}

TEST(CatalogParse, TheEmbeddedCatalogReadsAsNlohmannReadsIt) {
  Files files;
  for (auto& [name, text] : embedded::messages()) files.emplace_back(name, text);
  ASSERT_GT(files.size(), 5u);
  for (auto& [name, text] : files) EXPECT_TRUE(detail::scan_catalog(text)) << name << " needs the slow path";
  expect_same(files);
  EXPECT_GT(Catalog::parse(files).entries().size(), 500u);
}

TEST(CatalogParse, EscapesUnicodeAndCommentsDecodeAsJson) {
  Files f{{"a.json",
           "{\"// note\": \"ignored\",\r\n\t\"x.one\" : { \"en\" : \"a \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\", "
           "\"ja\": \"\\u30b0\\u30E9\u30d5\\ud83d\\ude00 \xe6\x97\xa5\" },"
           "\"x.two\": {\"ja\": \"only ja\", \"other\": \"kept out\"}, \"x.three\": {}}"}};
  expect_same(f);
  ASSERT_TRUE(detail::scan_catalog(f[0].second));
  auto cat = Catalog::parse(f);
  EXPECT_EQ(cat.entries().at("x.one").en, "a \"q\" \\ / \b\f\n\r\t");
  EXPECT_EQ(cat.entries().at("x.one").ja, "\u30b0\u30e9\u30d5\U0001F600 \u65e5");
  EXPECT_EQ(cat.entries().at("x.two").en, "");
  EXPECT_EQ(cat.entries().at("x.two").ja, "only ja");
  EXPECT_TRUE(cat.has("x.three"));
  EXPECT_FALSE(cat.has("// note"));
}

TEST(CatalogParse, ShapesTheScannerRefusesGoThroughNlohmann) {
  // A number where a text was expected, a repeated id (the last wins), a note that is an array.
  for (const char* text :
       {R"({"x": {"en": 1}})", R"({"x": {"en": "a"}, "x": {"en": "b"}})", R"({"// c": [1]})"})
    EXPECT_FALSE(detail::scan_catalog(text)) << text;
  expect_same({{"a.json", R"({"x.n": {"en": 1, "ja": "j"}, "x.d": {"en": "first"}, "x.d": {"en": "last"},
                  "// c": {"any": [1, 2]}, "// d": {"en": "a note"}})"}});
  EXPECT_EQ(Catalog::parse({{"a.json", R"({"x.d": {"en": "first"}, "x.d": {"en": "last"}})"}})
                .entries()
                .at("x.d")
                .en,
            "last");
}

TEST(CatalogParse, MalformedFilesFailNamingTheFile) {
  for (std::string text :
       {"{\"x\": {\"en\": \"a\"}", "{\"x\": {\"en\": \"a\"}} trailing", "[1]", "{\"x\": \"not an object\"}",
        "{\"x\": {\"en\": \"\\udc00\"}}", "{\"x\": {\"en\": \"\xc3\x28\"}}",
        "{\"x\": {\"en\": \"\xed\xa0\x80\"}}", "{\"x\": {\"en\": \"a\nb\"}}", "{\"x\": {\"en\": \"a\"},}"}) {
    try {
      (void)Catalog::parse({{"bad.json", text}});
      ADD_FAILURE() << "accepted: " << text;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
    }
  }
}

TEST(CatalogParse, AnIdInTwoFilesIsAnError) {
  EXPECT_THROW(
      (void)Catalog::parse({{"a.json", R"({"x": {"en": "a"}})"}, {"b.json", R"({"x": {"en": "b"}})"}}),
      std::runtime_error);
}

}  // namespace
}  // namespace gpuenv::i18n
