#pragma once
// Terminal styling: colour only when asked (never with --no-color / NO_COLOR or a non-tty), and
// every marker readable without colour.
#include <string>
#include <string_view>

namespace gpuenv::render {

struct Style {
  bool color = false;
  std::string ok(std::string_view s) const { return wrap("32", s); }
  std::string bad(std::string_view s) const { return wrap("31", s); }
  std::string warn(std::string_view s) const { return wrap("33", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
  std::string bold(std::string_view s) const { return wrap("1", s); }

 private:
  std::string wrap(const char* code, std::string_view s) const {
    if (!color) return std::string(s);
    return std::string("\x1b[") + code + "m" + std::string(s) + "\x1b[0m";
  }
};

}  // namespace gpuenv::render
