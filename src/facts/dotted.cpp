#include "facts/dotted.hpp"

namespace gpuenv::facts {

std::optional<Dotted> Dotted::parse(std::string_view s) {
  Dotted d;
  if (s.empty() || s.size() > 64) return std::nullopt;
  long cur = 0;
  int digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      if (digits >= 9) return std::nullopt;
      cur = cur * 10 + (c - '0');
      ++digits;
    } else if (c == '.') {
      if (digits == 0) return std::nullopt;
      d.parts.push_back(cur);
      cur = 0;
      digits = 0;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0) return std::nullopt;
  d.parts.push_back(cur);
  return d;
}

std::strong_ordering Dotted::operator<=>(const Dotted& o) const {
  std::size_t n = std::max(parts.size(), o.parts.size());
  for (std::size_t i = 0; i < n; ++i) {
    long a = i < parts.size() ? parts[i] : 0;
    long b = i < o.parts.size() ? o.parts[i] : 0;
    if (a != b) return a <=> b;
  }
  return std::strong_ordering::equal;
}

std::string Dotted::str() const {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) s += '.';
    s += std::to_string(parts[i]);
  }
  return s;
}

int compare_dotted(std::string_view a, std::string_view b) {
  auto x = Dotted::parse(a), y = Dotted::parse(b);
  if (!x && !y) return 0;
  if (!x) return -1;
  if (!y) return 1;
  auto c = *x <=> *y;
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace gpuenv::facts
