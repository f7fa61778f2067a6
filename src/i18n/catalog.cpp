#include "i18n/catalog.hpp"

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>
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

Catalog Catalog::parse(const std::vector<std::pair<std::string, std::string>>& files) {
  Catalog cat;
  for (auto& [name, text] : files) {
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
      if (cat.entries_.count(id))
        throw std::runtime_error("message catalog " + name + ": duplicate id " + id);
      Entry e;
      if (v.contains("en") && v["en"].is_string()) e.en = v["en"].get<std::string>();
      if (v.contains("ja") && v["ja"].is_string()) e.ja = v["ja"].get<std::string>();
      cat.entries_.emplace(id, std::move(e));
    }
  }
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
