#include "i18n/width.hpp"

#include <cstdint>

namespace gpuenv::i18n {

namespace {

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes yield U+FFFD and advance by one.
char32_t decode(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((c >> 6) != 2) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

bool is_combining(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F) || c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFE0F ||
         (c >= 0x3099 && c <= 0x309A);
}

// East Asian Width W and F ranges (Unicode 15, the blocks that occur in practice).
bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

int cp_width(char32_t c) {
  if (c == 0) return 0;
  if (is_combining(c)) return 0;
  return is_wide(c) ? 2 : 1;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < text.size();) w += static_cast<std::size_t>(cp_width(decode(text, i)));
  return w;
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  std::size_t w = display_width(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  // Tokens: a run of non-space narrow characters is one word; each wide character is its own token
  // (Japanese may break between any two); spaces separate.
  struct Tok {
    std::string s;
    std::size_t w;
    bool space_before;
  };
  std::vector<Tok> toks;
  bool pending_space = false;
  bool last_wide = false;
  bool glue_next = false;  // the previous character was an opening bracket
  // A `code span` (a command to paste) is never broken at its spaces: a command split over two
  // indented lines no longer pastes as one. A span wider than the line stands alone on its own.
  bool in_code = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    char32_t c = decode(text, i);
    const bool was_in_code = in_code;
    if (c == '`') in_code = !in_code;
    if (c == ' ' && in_code && !toks.empty() && !pending_space) {
      toks.back().s += ' ';
      toks.back().w += 1;
      last_wide = false;
      continue;
    }
    if (c == ' ') {
      pending_space = true;
      glue_next = false;
      continue;
    }
    auto cw = static_cast<std::size_t>(cp_width(c));
    std::string_view piece = text.substr(start, i - start);
    bool wide = cw == 2;
    // Closing punctuation (、。）」』，．：) must not start a line: it stays with what precedes it.
    // Opening brackets (（「『) must not end one: what follows stays with them.
    bool closing = c == 0x3001 || c == 0x3002 || c == 0xFF09 || c == 0x300D || c == 0x300F || c == 0xFF0C ||
                   c == 0xFF0E || c == 0xFF1A;
    bool opening = c == 0xFF08 || c == 0x300C || c == 0x300E;
    bool attach =
        !toks.empty() && !pending_space && (was_in_code || closing || glue_next || (!wide && !last_wide));
    if (attach) {
      toks.back().s += piece;
      toks.back().w += cw;
    } else {
      toks.push_back({std::string(piece), cw, pending_space});
    }
    last_wide = wide;
    glue_next = opening;
    pending_space = false;
  }
  std::vector<std::string> lines;
  std::string line;
  std::size_t lw = 0;
  for (auto& t : toks) {
    std::size_t add = t.w + ((t.space_before && lw > 0) ? 1 : 0);
    if (lw > 0 && lw + add > width) {
      lines.push_back(line);
      line.clear();
      lw = 0;
      add = t.w;
    }
    if (t.space_before && lw > 0) line += ' ';
    line += t.s;
    lw += add;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

}  // namespace gpuenv::i18n
