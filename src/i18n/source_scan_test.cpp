// Issue 9: the sources and the catalog agree. Every message id the code names exists, every catalog
// entry is used, and the code that prints to users holds no English sentence of its own (it must go
// through data/messages). The scan reads the C++ sources as text with a small lexer (string literals,
// comments, raw strings, character literals), so a literal in a comment does not count.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "i18n/catalog.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::i18n {
namespace {

namespace fs = std::filesystem;

struct Literal {
  std::string file;  ///< relative to the source root
  int line;
  std::string text;  ///< as written between the quotes (escapes not decoded)
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The ordinary string literals of a C++ source (raw strings are skipped: they hold scripts and
/// patterns, not messages). Adjacent literals stay separate.
std::vector<Literal> literals(const std::string& file, const std::string& src) {
  std::vector<Literal> out;
  int line = 1;
  for (std::size_t i = 0; i < src.size(); ++i) {
    char c = src[i];
    if (c == '\n') {
      ++line;
    } else if (c == '/' && i + 1 < src.size() && src[i + 1] == '/') {
      while (i < src.size() && src[i] != '\n') ++i;
      --i;
    } else if (c == '/' && i + 1 < src.size() && src[i + 1] == '*') {
      auto end = src.find("*/", i + 2);
      if (end == std::string::npos) break;
      line += static_cast<int>(
          std::count(src.begin() + static_cast<long>(i), src.begin() + static_cast<long>(end), '\n'));
      i = end + 1;
    } else if (c == 'R' && i + 1 < src.size() && src[i + 1] == '"' &&
               (i == 0 || !(std::isalnum(static_cast<unsigned char>(src[i - 1])) || src[i - 1] == '_'))) {
      auto open = src.find('(', i + 2);
      if (open == std::string::npos) break;
      std::string close = ")" + src.substr(i + 2, open - i - 2) + "\"";
      auto end = src.find(close, open);
      if (end == std::string::npos) break;
      line += static_cast<int>(
          std::count(src.begin() + static_cast<long>(i), src.begin() + static_cast<long>(end), '\n'));
      i = end + close.size() - 1;
    } else if (c == '\'') {
      // A character literal ('"', '\''), or a digit separator (1'000) — either way skip to its end.
      if (i > 0 && std::isxdigit(static_cast<unsigned char>(src[i - 1])) && i + 1 < src.size() &&
          std::isxdigit(static_cast<unsigned char>(src[i + 1])))
        continue;
      ++i;
      while (i < src.size() && src[i] != '\'' && src[i] != '\n') i += src[i] == '\\' ? 2 : 1;
    } else if (c == '"') {
      std::string text;
      ++i;
      while (i < src.size() && src[i] != '"' && src[i] != '\n') {
        if (src[i] == '\\' && i + 1 < src.size()) text += src[i++];
        text += src[i++];
      }
      out.push_back({file, line, text});
    }
  }
  return out;
}

/// The non-test C++ sources under src/<dir> (all of src/ when dir is empty).
std::vector<Literal> source_literals(const std::string& dir = "") {
  std::vector<Literal> all;
  fs::path root = test::source_dir();
  std::vector<fs::path> files;
  for (auto& e : fs::recursive_directory_iterator(root / "src" / dir)) {
    auto p = e.path();
    if (p.extension() != ".cpp" && p.extension() != ".hpp") continue;
    if (p.filename().string().find("_test.") != std::string::npos) continue;
    files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  for (auto& p : files) {
    auto lits = literals(fs::relative(p, root).string(), slurp(p));
    all.insert(all.end(), lits.begin(), lits.end());
  }
  return all;
}

/// "report.md.status" → true when the first segment is one the catalog uses and the rest is an id
/// (or, ending in a dot, the prefix of ids built at run time: "finding.").
bool looks_like_id(const std::string& s, const std::set<std::string>& prefixes) {
  auto dot = s.find('.');
  if (dot == std::string::npos || dot == 0 || !prefixes.count(s.substr(0, dot))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

std::set<std::string> id_prefixes() {
  std::set<std::string> p;
  for (auto& [id, e] : Catalog::builtin().entries()) p.insert(id.substr(0, id.find('.')));
  return p;
}

/// Message ids named by the knowledge base ("message": "plan.install.ubuntu").
void kb_message_ids(const nlohmann::json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if (k == "message" && v.is_string()) out.insert(v.get<std::string>());
      kb_message_ids(v, out);
    }
  } else if (j.is_array()) {
    for (auto& v : j) kb_message_ids(v, out);
  }
}

std::set<std::string> kb_ids() {
  std::set<std::string> ids;
  for (auto& e : fs::directory_iterator(fs::path(test::source_dir()) / "data" / "kb"))
    if (e.path().extension() == ".json") kb_message_ids(nlohmann::json::parse(slurp(e.path())), ids);
  return ids;
}

std::string listing(const std::string& head, const std::vector<std::string>& lines) {
  std::string s = head;
  for (auto& l : lines) s += "\n  " + l;
  return s;
}

TEST(SourceScan, LexerFindsLiteralsNotComments) {
  auto lits = literals("x.cpp",
                       "// \"in a comment\"\n"
                       "f(\"one\", '\"', \"two \\\" quoted\"); /* \"block\" */\n"
                       "auto r = R\"re(\"raw\")re\"; int n = 1'000; g(\"three\");\n");
  std::vector<std::string> texts;
  for (auto& l : lits) texts.push_back(l.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"one", "two \\\" quoted", "three"}));
  ASSERT_EQ(lits.size(), 3u);
  EXPECT_EQ(lits[0].line, 2);
  EXPECT_EQ(lits[2].line, 3);
}

// Every literal message id in the sources and the knowledge base exists in the catalog.
TEST(Catalog, EveryIdUsedInTheSourcesExists) {
  const auto& cat = Catalog::builtin();
  auto prefixes = id_prefixes();
  std::vector<std::string> missing;
  for (auto& l : source_literals())
    if (looks_like_id(l.text, prefixes) && l.text.back() != '.' && !cat.has(l.text))
      missing.push_back(l.text + " (" + l.file + ":" + std::to_string(l.line) + ")");
  for (auto& id : kb_ids())
    if (!cat.has(id)) missing.push_back(id + " (data/kb)");
  EXPECT_TRUE(missing.empty()) << listing("ids missing from data/messages:", missing);
}

// Every catalog entry is used: named whole in the sources or the knowledge base, or built at run time
// from a literal prefix ("finding." + id + ".title", "envs.kind." + kind).
TEST(Catalog, EveryIdIsUsed) {
  auto prefixes = id_prefixes();
  std::set<std::string> whole = kb_ids();
  std::vector<std::string> dynamic;
  for (auto& l : source_literals()) {
    if (!looks_like_id(l.text, prefixes)) continue;
    if (l.text.back() == '.')
      dynamic.push_back(l.text);
    else
      whole.insert(l.text);
  }
  std::vector<std::string> unused;
  for (auto& [id, e] : Catalog::builtin().entries()) {
    if (whole.count(id)) continue;
    if (std::any_of(dynamic.begin(), dynamic.end(), [&](auto& p) { return id.starts_with(p); })) continue;
    unused.push_back(id);
  }
  EXPECT_TRUE(unused.empty()) << listing("catalog entries no source uses (remove them or use them):", unused);
}

// The code that prints to users (render, cli, the fleet and plan renderers) writes no English
// sentence itself. A literal fails when it holds two words ("not found", "Could not") or a
// capitalised word ("Driver"); the allow-list holds proper nouns and the few literals that are not
// messages, each with its reason.
bool english_like(const std::string& s) {
  auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  for (std::size_t i = 0; i < s.size(); ++i) {
    // A capitalised word of three letters or more at a word start: "Driver", "Status".
    bool word_start = i == 0 || !(is_alpha(s[i - 1]) || s[i - 1] == '_' || s[i - 1] == '.' ||
                                  s[i - 1] == '-' || (s[i - 1] >= '0' && s[i - 1] <= '9'));
    if (word_start && s[i] >= 'A' && s[i] <= 'Z' && i + 2 < s.size() && is_lower(s[i + 1]) &&
        is_lower(s[i + 2]))
      return true;
    // Two words: letters, then spaces or punctuation, then two lowercase letters.
    if (i + 1 < s.size() && is_alpha(s[i]) && is_alpha(s[i + 1]) && (i + 2 < s.size())) {
      std::size_t j = i + 2;
      while (j < s.size() && is_alpha(s[j])) ++j;
      std::size_t k = j;
      while (k < s.size() && (s[k] == ' ' || s[k] == ',' || s[k] == ';' || s[k] == ':')) ++k;
      if (k > j && k + 1 < s.size() && is_lower(s[k]) && is_lower(s[k + 1])) return true;
      i = j - 1;
    }
  }
  return false;
}

TEST(SourceScan, EnglishLikeDetector) {
  EXPECT_TRUE(english_like("Driver"));
  EXPECT_TRUE(english_like("cannot open"));
  EXPECT_TRUE(english_like("timed out after "));
  EXPECT_TRUE(english_like("label: bad"));
  EXPECT_FALSE(english_like("report.md.status"));
  EXPECT_FALSE(english_like("schema_version"));
  EXPECT_FALSE(english_like(" (CC "));
  EXPECT_FALSE(english_like("%.1f GiB"));
  EXPECT_FALSE(english_like("nfd|slurm|ansible"));
}

TEST(SourceScan, NoEnglishSentencesInUserFacingCode) {
  // Literal → why it may stay.
  const std::set<std::string> allowed = {
      // Proper nouns and table cells that read the same in every language.
      "Python", "Python ", ", Python ", "Linux", "Windows", "Linux x86_64", "Windows x86_64",
      // Python code run by an interpreter (install asks it for its version), not text for people.
      "import sys; print('%d.%d' % sys.version_info[:2])",
      // torch.version.cuda printed as Python prints it.
      "None",
      // Slurm and NFD syntax written into files for machines.
      "NodeName=", "# NodeName=", " Features=", "Features=",
      // The NFD feature file's comment header: a file format for administrators, written the same
      // whatever the locale of the job that writes it (tests compare it byte for byte).
      "): node labels for Kubernetes Node Feature Discovery.\\n",
      "Written by `gpuenv export nfd` and replaced on each run; do not edit.",
      // CLI11's own English (keys of its formatter and the error texts help.cpp recognises in order
      // to translate them); none of these is printed.
      "Usage", "Positionals", "Needs", "Excludes", "Env", "ExtrasError", "RequiredError", "ArgumentMismatch",
      "ConversionError", "ValidationError", "not expected: ", " is required",
      "Could not convert: ", "The value ", " is not an allowed value for ", " is not an allowed", "Value ",
      " not in range"};
  std::vector<std::string> bad;
  std::vector<Literal> lits;
  for (const char* dir : {"render", "cli"}) {
    auto l = source_literals(dir);
    lits.insert(lits.end(), l.begin(), l.end());
  }
  for (auto& l : source_literals("fleet"))
    if (l.file.find("render") != std::string::npos) lits.push_back(l);
  for (auto& l : source_literals("plan"))
    if (l.file.find("output") != std::string::npos) lits.push_back(l);
  ASSERT_GT(lits.size(), 500u);  // the scan read the files
  for (auto& l : lits)
    if (english_like(l.text) && !allowed.count(l.text))
      bad.push_back(l.file + ":" + std::to_string(l.line) + ": \"" + l.text + "\"");
  EXPECT_TRUE(bad.empty()) << listing(
      "English text written in code that prints to users; put it in data/messages/*.json and use tr():", bad);
}

}  // namespace
}  // namespace gpuenv::i18n
