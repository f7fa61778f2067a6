#include "fleet/hostlist.hpp"

#include <algorithm>
#include <set>

namespace gpuenv::fleet {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

struct Split {
  std::string prefix;
  std::string digits;  ///< trailing digits, possibly empty
};

Split split_name(std::string_view name) {
  std::size_t i = name.size();
  while (i > 0 && is_digit(name[i - 1])) --i;
  return {std::string(name.substr(0, i)), std::string(name.substr(i))};
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && is_digit(a[i2])) ++i2;
      while (j2 < b.size() && is_digit(b[j2])) ++j2;
      std::string_view na = a.substr(i, i2 - i), nb = b.substr(j, j2 - j);
      // Compare as numbers without overflow: strip leading zeros, then length, then digits.
      std::string_view sa = na.substr(std::min(na.find_first_not_of('0'), na.size()));
      std::string_view sb = nb.substr(std::min(nb.find_first_not_of('0'), nb.size()));
      if (sa.size() != sb.size()) return sa.size() < sb.size();
      if (sa != sb) return sa < sb;
      if (na.size() != nb.size()) return na.size() < nb.size();  // "1" before "01": a total order
      i = i2;
      j = j2;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

std::string compress_hostlist(std::vector<std::string> names) {
  std::sort(names.begin(), names.end(), [](auto& a, auto& b) { return natural_less(a, b); });
  names.erase(std::unique(names.begin(), names.end()), names.end());
  // Group by (prefix, padded width): "gpu01" and "gpu2" are different series.
  struct Series {
    std::string prefix;
    std::size_t width;  ///< digits of a zero-padded series; 0 for plain numbers
    std::vector<std::pair<unsigned long long, std::string>> numbers;
  };
  // A prefix with a zero-padded number ("gpu01") pads all its numbers of that width ("gpu10").
  std::set<std::pair<std::string, std::size_t>> padded;
  for (auto& n : names) {
    Split s = split_name(n);
    if (s.digits.size() > 1 && s.digits[0] == '0') padded.emplace(s.prefix, s.digits.size());
  }
  std::vector<Series> series;
  for (auto& n : names) {
    Split s = split_name(n);
    if (s.digits.empty() || s.digits.size() > 18) {
      series.push_back({n, 0, {}});
      continue;
    }
    std::size_t width = padded.count({s.prefix, s.digits.size()}) ? s.digits.size() : 0;
    auto it = std::find_if(series.begin(), series.end(), [&](const Series& x) {
      return !x.numbers.empty() && x.prefix == s.prefix && x.width == width;
    });
    if (it == series.end()) {
      series.push_back({s.prefix, width, {}});
      it = series.end() - 1;
    }
    it->numbers.emplace_back(std::stoull(s.digits), s.digits);
  }
  for (auto& s : series) std::sort(s.numbers.begin(), s.numbers.end());
  std::string out;
  for (auto& s : series) {
    if (!out.empty()) out += ",";
    if (s.numbers.empty()) {
      out += s.prefix;
      continue;
    }
    if (s.numbers.size() == 1) {
      out += s.prefix + s.numbers[0].second;
      continue;
    }
    std::string ranges;
    for (std::size_t i = 0; i < s.numbers.size();) {
      std::size_t j = i;
      while (j + 1 < s.numbers.size() && s.numbers[j + 1].first == s.numbers[j].first + 1) ++j;
      if (!ranges.empty()) ranges += ",";
      ranges += s.numbers[i].second;
      if (j > i) ranges += "-" + s.numbers[j].second;
      i = j + 1;
    }
    out += s.prefix + "[" + ranges + "]";
  }
  return out;
}

}  // namespace gpuenv::fleet
