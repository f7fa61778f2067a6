// Issue 9: the Japanese messages keep the rules of docs/glossary.ja.md that a machine can check —
// the forbidden variants listed there, です/ます endings, the characters allowed, and the spacing
// between Japanese and ASCII.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "i18n/catalog.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::i18n {
namespace {

std::string glossary() {
  std::ifstream in(test::source_dir() + "/docs/glossary.ja.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The left column of the table between <!-- forbidden:begin --> and <!-- forbidden:end -->.
std::vector<std::string> forbidden_variants(const std::string& md) {
  std::vector<std::string> out;
  auto begin = md.find("<!-- forbidden:begin -->");
  auto end = md.find("<!-- forbidden:end -->");
  if (begin == std::string::npos || end == std::string::npos) return out;
  std::istringstream lines(md.substr(begin, end - begin));
  std::string line;
  int row = 0;
  while (std::getline(lines, line)) {
    if (!line.starts_with("| ")) continue;
    if (++row <= 2) continue;  // the header and the --- line
    auto bar = line.find(" |", 2);
    if (bar != std::string::npos) out.push_back(line.substr(2, bar - 2));
  }
  return out;
}

// Decodes UTF-8 into code points (the catalog is valid UTF-8: the JSON parser checked it).
std::u32string decode(const std::string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

/// Kana and kanji (not punctuation, not the middle dot ・ used between list items).
bool japanese_letter(char32_t c) {
  return (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}
bool ascii_word(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '`';
}

/// What is wrong with one Japanese message under the glossary's mechanical rules (empty: nothing).
std::vector<std::string> problems(const std::string& ja, const std::vector<std::string>& forbidden) {
  std::vector<std::string> out;
  // Variants the glossary forbids.
  for (auto& w : forbidden)
    if (ja.find(w) != std::string::npos) out.push_back("「" + w + "」 (docs/glossary.ja.md forbids it)");
  // ユーザー, never ユーザ (the table cannot say it: the one is inside the other).
  const std::string user = "ユーザ", bar = "ー";
  for (auto pos = ja.find(user); pos != std::string::npos; pos = ja.find(user, pos + 1))
    if (ja.compare(pos + user.size(), bar.size(), bar) != 0) out.push_back("「ユーザ」 (write ユーザー)");
  // です/ます調: no sentence ends in a plain form.
  const std::vector<std::string> plain = {"である", "だ",   "する", "できる", "いる",
                                          "ある",   "なる", "ない", "った",   "れる"};
  for (auto pos = ja.find("。"); pos != std::string::npos; pos = ja.find("。", pos + 1)) {
    std::string before = ja.substr(0, pos);
    for (auto& p : plain)
      if (before.ends_with(p)) out.push_back("…" + p + "。 (not です/ます調)");
    if (before.ends_with("した") && !before.ends_with("ました") && !before.ends_with("でした"))
      out.push_back("…した。 (not です/ます調)");
  }
  // Characters and spacing.
  auto t = decode(ja);
  const std::u32string nvidia = U"NVIDIAドライバ";
  for (std::size_t i = 0; i < t.size(); ++i) {
    char32_t c = t[i];
    if ((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A))
      out.push_back("full-width letter or digit");
    if (c >= 0xFF61 && c <= 0xFF9F) out.push_back("half-width katakana");
    if (c == 0x3000) out.push_back("full-width space");
    if (c == 0xFF1A) out.push_back("full-width colon (write \": \")");
    if (i + 1 == t.size()) continue;
    char32_t n = t[i + 1];
    if ((japanese_letter(c) && ascii_word(n)) || (ascii_word(c) && japanese_letter(n))) {
      bool compound = false;  // the one compound written without a space
      for (std::size_t k = i >= 5 ? i - 5 : 0; k <= i && !compound; ++k)
        compound = t.compare(k, nvidia.size(), nvidia) == 0;
      if (!compound) out.push_back("no space between Japanese and ASCII");
    }
    if (japanese_letter(c) && n == '(') out.push_back("ASCII ( after Japanese (write （）");
    if (c == ')' && japanese_letter(n)) out.push_back("ASCII ) before Japanese (write （）");
  }
  return out;
}

TEST(Glossary, TheForbiddenTableIsRead) {
  auto words = forbidden_variants(glossary());
  ASSERT_GE(words.size(), 10u) << "docs/glossary.ja.md lost its forbidden:begin/end table";
  EXPECT_EQ(words.front(), "ドライバー");
  EXPECT_NE(std::find(words.begin(), words.end(), "フォルダ"), words.end());
}

TEST(Glossary, EveryJapaneseMessageFollowsIt) {
  auto words = forbidden_variants(glossary());
  std::string report;
  for (auto& [id, e] : Catalog::builtin().entries())
    for (auto& p : problems(e.ja, words)) report += "\n  " + id + ": " + p + "\n    " + e.ja;
  EXPECT_TRUE(report.empty()) << "Japanese messages against docs/glossary.ja.md:" << report;
}

// The rules catch what they should: a check that could not fail would prove nothing.
TEST(Glossary, RulesCatchBadExamples) {
  auto words = forbidden_variants(glossary());
  EXPECT_TRUE(problems("NVIDIAドライバを CUDA 12.4 に合わせて更新してください。", words).empty());
  EXPECT_TRUE(problems("pip・uv・conda のコマンドを表示します（{path}）。", words).empty());
  EXPECT_TRUE(problems("インストールしました。ユーザーのキャッシュです。", words).empty());
  for (const char* bad : {"ドライバーを更新してください。", "ユーザのディレクトリです。",
                          "ドライバを更新する。", "これは CPU 版である。", "更新が必要だ。",
                          "読み込みました。起動しない。", "ＣＵＤＡ をインストールしてください。",
                          "ｶｰﾈﾙです。", "CUDAが見つかりません。", "cuDNN 9がありません。", "GPU(0)です。",
                          "状態：不明です。", "全角　空白です。", "ドライバを読み込みした。"})
    EXPECT_FALSE(problems(bad, words).empty()) << bad;
}

}  // namespace
}  // namespace gpuenv::i18n
