#pragma once
// Dotted numeric versions as NVIDIA uses them ("535.104.05", "12.2", "9.19.0"): compared
// component by component as numbers. PEP 440 versions (Python packages) live in pep440.hpp.
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::facts {

struct Dotted {
  std::vector<long> parts;
  /// Parses "535.104.05" (leading zeros allowed); nullopt unless the whole string is digits and dots.
  static std::optional<Dotted> parse(std::string_view s);
  int major() const { return parts.empty() ? 0 : static_cast<int>(parts[0]); }
  int minor() const { return parts.size() < 2 ? 0 : static_cast<int>(parts[1]); }
  /// Missing components compare as 0: 12.2 == 12.2.0.
  std::strong_ordering operator<=>(const Dotted& o) const;
  bool operator==(const Dotted& o) const { return (*this <=> o) == 0; }
  std::string str() const;
};

/// Compares two dotted strings; unparseable strings sort first. Convenience for rules.
int compare_dotted(std::string_view a, std::string_view b);

}  // namespace gpuenv::facts
