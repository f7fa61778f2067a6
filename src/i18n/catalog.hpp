#pragma once
// The one message catalog (issue 9): every user-facing string, English and Japanese, keyed by a
// stable id, with named placeholders ("{version}") so word order can differ between languages.
// Entries live in data/messages/*.json, embedded at build time.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gpuenv::i18n {

enum class Lang { en, ja };

/// Named arguments for a message: {{"version", "535.104.05"}, {"path", "/usr/local/cuda"}}.
using Args = std::vector<std::pair<std::string_view, std::string>>;

struct Entry {
  std::string en, ja;
};

class Catalog {
 public:
  /// The embedded catalog (parsed once).
  static const Catalog& builtin();
  /// Parses catalog files (JSON objects id → {"en": ..., "ja": ...}). Throws std::runtime_error naming
  /// the file on malformed input or a duplicate id.
  static Catalog parse(const std::vector<std::pair<std::string, std::string>>& files);
  /// The same through nlohmann's JSON document only (parse() scans the catalog's shape directly and
  /// falls back to this per file): the reference the tests compare parse() with.
  static Catalog parse_reference(const std::vector<std::pair<std::string, std::string>>& files);
  using Entries = std::map<std::string, Entry, std::less<>>;

  bool has(std::string_view id) const;
  /// The text for `id` in `lang` with placeholders filled. An unknown id returns the id itself
  /// (a test guarantees every id used exists); an unknown placeholder is left as "{name}".
  std::string text(Lang lang, std::string_view id, const Args& args = {}) const;
  const Entries& entries() const { return entries_; }

 private:
  Entries entries_;
};

/// Fills "{name}" placeholders; "{{" and "}}" are literal braces.
std::string format(std::string_view pattern, const Args& args);
/// The placeholder names a pattern uses, sorted and unique.
std::vector<std::string> placeholders(std::string_view pattern);

/// The language from `--lang` (when non-empty), else LC_ALL → LC_MESSAGES → LANG, else English.
/// Values like "ja_JP.UTF-8", "ja", "ja_JP" select Japanese; "C"/"POSIX"/anything else English.
Lang choose_language(std::string_view flag, const char* lc_all, const char* lc_messages, const char* lang);
Lang parse_lang(std::string_view s);  ///< "ja..." → ja, else en
const char* lang_code(Lang lang);

/// The process-wide language and the shortcut most code uses: tr("doctor.title", {...}).
void set_language(Lang lang);
Lang language();
std::string tr(std::string_view id, const Args& args = {});
/// English, whatever the language (JSON keeps English titles: design.md §5).
std::string tr_en(std::string_view id, const Args& args = {});

}  // namespace gpuenv::i18n

namespace gpuenv::i18n {

/// A message to be rendered later, in whichever language the output needs (JSON keeps English,
/// text uses the chosen language): an id and its named arguments, owned.
struct Text {
  std::string id;
  std::vector<std::pair<std::string, std::string>> args;
  std::string render(Lang lang) const;
  std::string en() const { return render(Lang::en); }
  std::string localized() const { return render(language()); }
};

}  // namespace gpuenv::i18n
