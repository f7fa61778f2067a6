#include "i18n/catalog.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>

namespace gpuenv::embedded {
std::span<const std::pair<std::string_view, std::string_view>> messages();
}

namespace gpuenv::i18n {

namespace {
std::atomic<Lang> g_lang{Lang::en};
}

std::string format(std::string_view pattern, const Args& args) {
  std::string out;
  out.reserve(pattern.size() + 32);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    if (c == '}' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
      out += '}';
      ++i;
      continue;
    }
    if (c == '{') {
      auto close = pattern.find('}', i + 1);
      if (close != std::string_view::npos) {
        auto name = pattern.substr(i + 1, close - i - 1);
        auto it = std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
        if (it != args.end()) {
          out += it->second;
          i = close;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

std::vector<std::string> placeholders(std::string_view pattern) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
      ++i;
      continue;
    }
    if (pattern[i] == '{') {
      auto close = pattern.find('}', i + 1);
      if (close == std::string_view::npos) break;
      names.emplace_back(pattern.substr(i + 1, close - i - 1));
      i = close;
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

namespace {

// A scanner for the catalog's own shape, {"id": {"en": "...", "ja": "..."}, "// note": "..."}: every
// process parses the embedded catalog at start-up, and building nlohmann's document for it costs more
// than the rest of a short command. It accepts only that shape, in strict JSON (escapes decoded, UTF-8
// checked, control characters refused); anything else returns nullopt and the file goes through
// nlohmann, which gives the same result or the error message. catalog_test checks both agree.
class CatalogScanner {
 public:
  explicit CatalogScanner(std::string_view s) : s_(s) {}

  std::optional<std::map<std::string, Entry, std::less<>>> file() {
    std::map<std::string, Entry, std::less<>> out;
    if (!eat('{')) return std::nullopt;
    if (eat('}')) return end() ? std::optional(std::move(out)) : std::nullopt;
    for (;;) {
      std::string id;
      if (!string(id) || !eat(':')) return std::nullopt;
      if (id.starts_with("//")) {  // a note: a text, or an object of texts like an entry
        std::string ignored;
        Entry ignored_entry;
        ws();
        if (i_ < s_.size() && s_[i_] == '"' ? !string(ignored) : !entry(ignored_entry)) return std::nullopt;
      } else {
        Entry e;
        if (!entry(e)) return std::nullopt;
        // A repeated id inside one file: nlohmann keeps the last; leave that case to it.
        if (!out.emplace(std::move(id), std::move(e)).second) return std::nullopt;
      }
      if (eat(',')) continue;
      if (eat('}')) break;
      return std::nullopt;
    }
    return end() ? std::optional(std::move(out)) : std::nullopt;
  }

 private:
  bool entry(Entry& e) {
    if (!eat('{')) return false;
    if (eat('}')) return true;
    for (;;) {
      std::string key, value;
      if (!string(key) || !eat(':') || !string(value)) return false;
      if (key == "en")
        e.en = std::move(value);
      else if (key == "ja")
        e.ja = std::move(value);
      if (eat(',')) continue;
      return eat('}');
    }
  }

  bool end() {
    ws();
    return i_ == s_.size();
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool eat(char c) {
    ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool hex4(std::uint32_t& v) {
    if (s_.size() - i_ < 4) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  }
  static void utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  // One well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
  bool multibyte(std::string& out) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s_[i_ + k]); };
    unsigned char b0 = byte(0);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 3;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 4;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (s_.size() - i_ < n) return false;
    if (byte(1) < lo || byte(1) > hi) return false;
    for (std::size_t k = 2; k < n; ++k)
      if (byte(k) < 0x80 || byte(k) > 0xBF) return false;
    out.append(s_.substr(i_, n));
    i_ += n;
    return true;
  }
  bool string(std::string& out) {
    if (!eat('"')) return false;
    for (;;) {
      // The plain run up to the next quote, backslash, control character or non-ASCII byte.
      std::size_t j = i_;
      while (j < s_.size()) {
        unsigned char c = static_cast<unsigned char>(s_[j]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++j;
      }
      out.append(s_.substr(i_, j - i_));
      i_ = j;
      if (i_ >= s_.size()) return false;
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        if (!multibyte(out)) return false;
        continue;
      }
      // An escape.
      if (++i_ >= s_.size()) return false;
      char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (s_.size() - i_ < 2 || s_[i_] != '\\' || s_[i_ + 1] != 'u') return false;
            i_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          utf8(out, cp);
          break;
        }
        default:
          return false;
      }
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// One file through nlohmann's document: the reference, and the path for anything the scanner refuses.
void parse_with_json(Catalog::Entries& entries, const std::string& name, const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throw std::runtime_error("message catalog " + name + ": " + e.what());
  }
  if (!j.is_object()) throw std::runtime_error("message catalog " + name + ": not a JSON object");
  for (auto& [id, v] : j.items()) {
    if (id.starts_with("//")) continue;  // comments
    if (!v.is_object()) throw std::runtime_error("message catalog " + name + ": " + id + ": not an object");
    if (entries.count(id)) throw std::runtime_error("message catalog " + name + ": duplicate id " + id);
    Entry e;
    if (v.contains("en") && v["en"].is_string()) e.en = v["en"].get<std::string>();
    if (v.contains("ja") && v["ja"].is_string()) e.ja = v["ja"].get<std::string>();
    entries.emplace(id, std::move(e));
  }
}

}  // namespace

namespace detail {
// The scanner alone (nullopt where parse() hands the file to nlohmann), for catalog_test.
std::optional<Catalog::Entries> scan_catalog(std::string_view text) {
  return CatalogScanner(text).file();
}
}  // namespace detail

Catalog Catalog::parse(const std::vector<std::pair<std::string, std::string>>& files) {
  Catalog cat;
  for (auto& [name, text] : files) {
    auto scanned = CatalogScanner(text).file();
    if (!scanned) {
      parse_with_json(cat.entries_, name, text);
      continue;
    }
    for (auto& [id, e] : *scanned)
      if (cat.entries_.count(id))
        throw std::runtime_error("message catalog " + name + ": duplicate id " + id);
    cat.entries_.merge(*scanned);
  }
  return cat;
}

Catalog Catalog::parse_reference(const std::vector<std::pair<std::string, std::string>>& files) {
  Catalog cat;
  for (auto& [name, text] : files) parse_with_json(cat.entries_, name, text);
  return cat;
}

const Catalog& Catalog::builtin() {
  static const Catalog cat = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (auto& [name, text] : gpuenv::embedded::messages()) files.emplace_back(name, text);
    return parse(files);
  }();
  return cat;
}

bool Catalog::has(std::string_view id) const {
  return entries_.find(id) != entries_.end();
}

std::string Catalog::text(Lang lang, std::string_view id, const Args& args) const {
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::string(id);
  const std::string& pat = (lang == Lang::ja && !it->second.ja.empty()) ? it->second.ja : it->second.en;
  return format(pat, args);
}

Lang parse_lang(std::string_view s) {
  return s.starts_with("ja") ? Lang::ja : Lang::en;
}

const char* lang_code(Lang lang) {
  return lang == Lang::ja ? "ja" : "en";
}

Lang choose_language(std::string_view flag, const char* lc_all, const char* lc_messages, const char* lang) {
  if (!flag.empty()) return parse_lang(flag);
  // POSIX precedence: the first non-empty of LC_ALL, LC_MESSAGES, LANG decides.
  for (const char* v : {lc_all, lc_messages, lang}) {
    if (v && *v) return parse_lang(v);
  }
  return Lang::en;
}

void set_language(Lang lang) {
  g_lang = lang;
}
Lang language() {
  return g_lang;
}
std::string tr(std::string_view id, const Args& args) {
  return Catalog::builtin().text(g_lang, id, args);
}
std::string tr_en(std::string_view id, const Args& args) {
  return Catalog::builtin().text(Lang::en, id, args);
}

}  // namespace gpuenv::i18n

namespace gpuenv::i18n {

std::string Text::render(Lang lang) const {
  Args a;
  a.reserve(args.size());
  for (auto& [k, v] : args) a.emplace_back(k, v);
  return Catalog::builtin().text(lang, id, a);
}

}  // namespace gpuenv::i18n
