#include "render/terminal.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

namespace gpuenv::render {
namespace {

/// The colour codes of render::Style, the only escape sequences kept.
constexpr std::array<std::string_view, 6> kOwnCodes = {"\x1b[0m",  "\x1b[1m",  "\x1b[2m",
                                                       "\x1b[31m", "\x1b[32m", "\x1b[33m"};

std::size_t own_code_at(std::string_view s, std::size_t i) {
  for (auto c : kOwnCodes)
    if (s.substr(i, c.size()) == c) return c.size();
  return 0;
}

bool escaped_code_point(char32_t c) {
  return c < 0x20 ? (c != '\n' && c != '\t')
                  : c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
                        (c >= 0x2066 && c <= 0x2069);
}

/// Decodes one UTF-8 sequence at s[i]: its length, or 0 when the byte does not start a valid,
/// shortest-form sequence of a scalar value.
std::size_t decode(std::string_view s, std::size_t i, char32_t& out) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    out = b;
    return 1;
  }
  std::size_t n;
  char32_t c, min;
  if ((b & 0xe0) == 0xc0) {
    n = 2, c = b & 0x1f, min = 0x80;
  } else if ((b & 0xf0) == 0xe0) {
    n = 3, c = b & 0x0f, min = 0x800;
  } else if ((b & 0xf8) == 0xf0) {
    n = 4, c = b & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    auto cb = static_cast<unsigned char>(s[i + k]);
    if ((cb & 0xc0) != 0x80) return 0;
    c = (c << 6) | (cb & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
  out = c;
  return n;
}

/// Walks `s`, calling keep(from, len) for runs to copy and escape(code point) / bad() for the rest.
/// Returns false as soon as a callback does.
template <class Keep, class Escape, class Bad>
bool walk(std::string_view s, Keep keep, Escape escape, Bad bad) {
  std::size_t run = 0, i = 0;
  auto flush = [&] { return i == run || keep(run, i - run); };
  while (i < s.size()) {
    if (s[i] == '\x1b') {
      if (auto n = own_code_at(s, i)) {
        i += n;
        continue;
      }
    }
    char32_t c = 0;
    std::size_t n = decode(s, i, c);
    if (n != 0 && !escaped_code_point(c)) {
      i += n;
      continue;
    }
    if (!flush()) return false;
    if (!(n == 0 ? bad() : escape(c))) return false;
    i += n == 0 ? 1 : n;
    run = i;
  }
  return flush();
}

}  // namespace

std::string terminal_safe(std::string_view s) {
  if (is_terminal_safe(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 16);
  walk(
      s,
      [&](std::size_t from, std::size_t len) {
        out.append(s.substr(from, len));
        return true;
      },
      [&](char32_t c) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out += buf;
        return true;
      },
      [&] {
        out += "\xef\xbf\xbd";  // U+FFFD
        return true;
      });
  return out;
}

bool is_terminal_safe(std::string_view s) {
  return walk(
      s, [](std::size_t, std::size_t) { return true; }, [](char32_t) { return false; }, [] { return false; });
}

}  // namespace gpuenv::render
