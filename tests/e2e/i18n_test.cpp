// Issue 9 end to end: the language comes from the locale (LANG, LC_MESSAGES, LC_ALL) unless --lang
// says otherwise; the doctor report is Japanese for every finding on the chain fixtures (golden
// files *.ja.txt); JSON keeps English and adds *_localized; --help and parse errors are localised;
// tables with Japanese paths stay aligned by display width.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

const char* const kChainScenarios[] = {"chain-proprietary-535", "chain-open-570", "chain-nouveau",
                                       "chain-lib-mismatch",    "chain-wsl2",     "chain-container",
                                       "chain-multi-toolkit",   "chain-pci-ids"};

const std::map<std::string, std::string> kJapanese = {{"LANG", "ja_JP.UTF-8"}};

std::string frozen_kb() {
  return source_dir() + "/tests/fixtures/kb/frozen.json";
}

void compare_golden(const std::string& rel, const std::string& actual) {
  std::string path = source_dir() + "/tests/golden/" + rel;
  if (update_golden()) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    write_file(path, actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " missing: run with GPUENV_UPDATE_GOLDEN=1";
  EXPECT_EQ(read_file(path), actual) << "golden " << path << " differs (GPUENV_UPDATE_GOLDEN=1 rewrites it)";
}

std::vector<std::string> doctor_args(const std::string& scenario, std::vector<std::string> extra = {}) {
  std::vector<std::string> a{"doctor", "--root", fixture_root(scenario), "--kb", frozen_kb(), "--no-cache"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

bool has_japanese(const std::string& s) {
  // Hiragana, katakana and CJK ideographs are 3-byte UTF-8 sequences starting 0xE3..0xE9.
  for (unsigned char c : s)
    if (c >= 0xE3 && c <= 0xE9) return true;
  return false;
}

class ChainJapanese : public ::testing::TestWithParam<const char*> {};

// LANG=ja_JP.UTF-8 alone (no --lang) gives the Japanese report.
TEST_P(ChainJapanese, GoldenFromLangVariable) {
  std::string scenario = GetParam();
  auto r = run_gpuenv(doctor_args(scenario), kJapanese);
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  compare_golden(scenario + ".ja.txt", r.out);
}

// Every finding's title and explanation appear in Japanese in the text report, and the JSON keeps
// the English with the Japanese beside it.
TEST_P(ChainJapanese, EveryFindingIsJapanese) {
  std::string scenario = GetParam();
  auto text = run_gpuenv(doctor_args(scenario), kJapanese);
  auto json = run_gpuenv(doctor_args(scenario, {"--json"}), kJapanese);
  auto en_json = run_gpuenv(doctor_args(scenario, {"--json"}));
  auto j = nlohmann::json::parse(json.out);
  auto en = nlohmann::json::parse(en_json.out);
  ASSERT_EQ(j["findings"].size(), en["findings"].size());
  for (std::size_t i = 0; i < j["findings"].size(); ++i) {
    auto& f = j["findings"][i];
    std::string id = f["id"];
    EXPECT_EQ(f["title"], en["findings"][i]["title"]) << id << ": JSON keeps the English title";
    EXPECT_EQ(f["explanation"], en["findings"][i]["explanation"]) << id;
    EXPECT_FALSE(en["findings"][i].contains("title_localized")) << id;
    ASSERT_TRUE(f["title_localized"].is_string()) << id;
    ASSERT_TRUE(f["explanation_localized"].is_string()) << id;
    std::string title = f["title_localized"], expl = f["explanation_localized"];
    EXPECT_TRUE(has_japanese(title)) << id << ": " << title;
    EXPECT_TRUE(has_japanese(expl)) << id << ": " << expl;
    // Titles and explanations are wrapped in the text: their first characters start a line.
    EXPECT_NE(text.out.find(title.substr(0, std::min<std::size_t>(title.size(), 12))), std::string::npos)
        << id << " title not in the text";
    EXPECT_NE(text.out.find("[" + id + "]"), std::string::npos) << id;
    EXPECT_NE(text.out.find(expl.substr(0, std::min<std::size_t>(expl.size(), 12))), std::string::npos)
        << id << " explanation not in the text";
  }
}

// --lang en wins over LANG=ja_JP.UTF-8: the output is the English golden, byte for byte.
TEST_P(ChainJapanese, LangFlagOverridesLocale) {
  std::string scenario = GetParam();
  auto r = run_gpuenv(doctor_args(scenario, {"--lang", "en"}), kJapanese);
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  EXPECT_EQ(r.out, read_file(source_dir() + "/tests/golden/" + scenario + ".txt"));
  EXPECT_FALSE(has_japanese(r.out));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ChainJapanese, ::testing::ValuesIn(kChainScenarios),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(Locale, PrecedenceOfTheVariables) {
  auto run = [](const std::map<std::string, std::string>& env) {
    return run_gpuenv(doctor_args("chain-nouveau"), env).out;
  };
  std::string en = read_file(source_dir() + "/tests/golden/chain-nouveau.txt");
  std::string ja = read_file(source_dir() + "/tests/golden/chain-nouveau.ja.txt");
  EXPECT_EQ(run({}), en);
  EXPECT_EQ(run({{"LANG", "ja_JP.UTF-8"}}), ja);
  EXPECT_EQ(run({{"LANG", "ja"}}), ja);
  EXPECT_EQ(run({{"LC_MESSAGES", "ja_JP.UTF-8"}, {"LANG", "C"}}), ja);
  EXPECT_EQ(run({{"LC_ALL", "ja_JP.UTF-8"}, {"LANG", "en_US.UTF-8"}}), ja);
  EXPECT_EQ(run({{"LC_ALL", "C"}, {"LANG", "ja_JP.UTF-8"}}), en);
  EXPECT_EQ(run({{"LC_ALL", "POSIX"}, {"LC_MESSAGES", "ja_JP.UTF-8"}}), en);
  EXPECT_EQ(run({{"LC_ALL", ""}, {"LANG", "ja_JP.UTF-8"}}), ja);  // empty: skipped
  EXPECT_EQ(run({{"LC_ALL", "ja_JP.UTF-8"}, {"GPUENV_UNUSED", "--lang en"}}), ja);
}

TEST(Locale, PlanJsonKeepsEnglishAndAddsJapanese) {
  // No driver on the empty root and a Python no torch supports: findings to localise.
  std::vector<std::string> args{"plan",  "--kb",     frozen_kb(),        "--root", fixture_root("empty"),
                                "--gpu", "RTX 4090", "--python-version", "3.20",   "--json"};
  auto en = nlohmann::json::parse(run_gpuenv(args).out);
  auto ja = nlohmann::json::parse(run_gpuenv(args, kJapanese).out);
  ASSERT_FALSE(ja["findings"].empty());
  ASSERT_EQ(ja["findings"].size(), en["findings"].size());
  for (std::size_t i = 0; i < ja["findings"].size(); ++i) {
    EXPECT_EQ(ja["findings"][i]["title"], en["findings"][i]["title"]);
    EXPECT_FALSE(en["findings"][i].contains("title_localized"));
    ASSERT_TRUE(ja["findings"][i]["title_localized"].is_string());
    EXPECT_TRUE(has_japanese(ja["findings"][i]["title_localized"].get<std::string>()));
    EXPECT_TRUE(has_japanese(ja["findings"][i]["explanation_localized"].get<std::string>()));
  }
}

TEST(Help, JapaneseHelpComesFromTheCatalog) {
  auto r = run_gpuenv({"--help"}, kJapanese);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* s : {"使い方: gpuenv [オプション] [コマンド]",
                        "オプション:", "コマンド:", "このヘルプを表示して終了します",
                        "読み取り、すべての環境を診断", "gpuenv コマンド --help"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  for (const char* s : {"Usage", "Options", "OPTIONS", "Subcommands", "Print this help", "Positionals"})
    EXPECT_EQ(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  auto sub = run_gpuenv({"plan", "--help", "--lang", "ja"});
  ASSERT_EQ(sub.exit_code, 0) << sub.err;
  EXPECT_NE(sub.out.find("使い方: gpuenv plan [オプション]"), std::string::npos) << sub.out;
  EXPECT_EQ(sub.out.find("Options"), std::string::npos) << sub.out;
  auto en = run_gpuenv({"--help"});
  EXPECT_NE(en.out.find("Usage: gpuenv [OPTIONS] [COMMAND]"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("Commands:"), std::string::npos) << en.out;
}

TEST(Help, ParseErrorsInTheChosenLanguage) {
  auto r = run_gpuenv({"--definitely-not-an-option"}, kJapanese);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "エラー: 想定していない引数があります: --definitely-not-an-option\n"
            "コマンドとオプションの一覧は `gpuenv --help` で確認できます。\n");
  auto missing = run_gpuenv({"doctor", "--root"}, kJapanese);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("エラー: --root には値が必要です\n"), std::string::npos) << missing.err;
  auto bad = run_gpuenv({"verify", "--timeout", "abc", "--lang", "ja"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--timeout に abc は指定できません"), std::string::npos) << bad.err;
  auto range = run_gpuenv({"fleet", "--timeout", "abc", "--lang", "ja"});
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_NE(range.err.find("エラー: --timeout に abc は指定できません\n"), std::string::npos) << range.err;
  auto en = run_gpuenv({"--definitely-not-an-option"});
  EXPECT_EQ(en.err,
            "error: unexpected arguments: --definitely-not-an-option\n"
            "Run `gpuenv --help` for the commands and their options.\n");
}

// Display columns of UTF-8 text, computed here independently of the tool: CJK and fullwidth forms
// take two columns.
std::size_t columns(const std::string& s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    w += (cp >= 0x3000 && cp <= 0x9FFF) || (cp >= 0xFF00 && cp <= 0xFF60) ? 2 : 1;
    i += len;
  }
  return w;
}

// The display columns where a table cell starts: a non-space after two or more spaces.
std::vector<std::size_t> cell_starts(const std::string& line) {
  std::vector<std::size_t> out;
  std::size_t spaces = 0, col = 0;
  for (std::size_t i = 0; i < line.size();) {
    auto b = static_cast<unsigned char>(line[i]);
    std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    std::string ch = line.substr(i, len);
    if (ch == " ") {
      ++spaces;
    } else {
      if (spaces >= 2 && col > spaces) out.push_back(col);
      spaces = 0;
    }
    col += columns(ch);
    i += len;
  }
  return out;
}

std::map<std::string, std::string> hanako() {
  return {{"HOME", "/home/花子"}, {"PWD", "/home/花子"}, {"PATH", "/usr/bin"}};
}

// `envs` on a machine whose paths are Japanese: golden files in both languages, and every row's
// cells start at the header's display columns.
TEST(Width, EnvsTableWithJapanesePathsStaysAligned) {
  for (const char* lang : {"ja", "en"}) {
    auto r = run_gpuenv({"envs", "--lang", lang, "--root", fixture_root("envs-ja")}, hanako());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    compare_golden(std::string("envs/envs-ja.") + lang + ".txt", r.out);
    std::vector<std::string> lines;
    for (std::size_t p = 0, nl; (nl = r.out.find('\n', p)) != std::string::npos; p = nl + 1)
      lines.push_back(r.out.substr(p, nl - p));
    ASSERT_GE(lines.size(), 3u);
    auto header = cell_starts(lines[1]);
    ASSERT_EQ(header.size(), 4u) << lines[1];  // kind, Python, torch, GPU after the path
    int rows = 0;
    for (std::size_t i = 2; i < lines.size(); ++i) {
      if (!lines[i].starts_with("  /")) continue;  // notes under a row, the summary
      EXPECT_EQ(cell_starts(lines[i]), header) << lang << ": row not aligned:\n"
                                               << lines[1] << "\n"
                                               << lines[i];
      ++rows;
    }
    EXPECT_GE(rows, 4) << r.out;
    EXPECT_NE(r.out.find("/home/花子/プロジェクト/画像分類/.venv"), std::string::npos);
  }
}

// doctor on the same machine: the environment lines of the report in Japanese (kind, Python).
TEST(Width, DoctorWithJapanesePaths) {
  auto r = run_gpuenv(
      {"doctor", "--root", fixture_root("envs-ja"), "--kb", frozen_kb(), "--no-cache"},
      {{"HOME", "/home/花子"}, {"PWD", "/home/花子"}, {"PATH", "/usr/bin"}, {"LANG", "ja_JP.UTF-8"}});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  compare_golden("envs/doctor-envs-ja.ja.txt", r.out);
  EXPECT_NE(r.out.find("/home/花子/研究/実験-cpu（仮想環境、Python 3.11.2）"), std::string::npos) << r.out;
}

// COLUMNS sets the width Japanese explanations wrap at, by display width and never inside a
// character.
TEST(Width, DoctorWrapsJapaneseAtColumns) {
  for (int width : {60, 80}) {
    auto r = run_gpuenv(doctor_args("chain-nouveau"),
                        {{"LANG", "ja_JP.UTF-8"}, {"COLUMNS", std::to_string(width)}});
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    int wrapped = 0;
    for (std::size_t p = 0, nl; (nl = r.out.find('\n', p)) != std::string::npos; p = nl + 1) {
      std::string line = r.out.substr(p, nl - p);
      // Commands and paths are printed whole on lines of their own; the Japanese text must fit.
      if (has_japanese(line) && p > 0) {  // the header (tool, host, OS) is one line by design
        EXPECT_LE(columns(line), static_cast<std::size_t>(width)) << line;
      }
      if (columns(line) > static_cast<std::size_t>(width) - 12 && has_japanese(line)) ++wrapped;
    }
    EXPECT_GE(wrapped, 2) << "no Japanese line came near the width " << width << ":\n" << r.out;
  }
}

}  // namespace
}  // namespace gpuenv::test
