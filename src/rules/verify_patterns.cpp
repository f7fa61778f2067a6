#include "rules/verify_patterns.hpp"

#include <cctype>
#include <charconv>

namespace gpuenv::rules {

std::optional<std::string> decode_found_version(std::string_view text) {
  constexpr std::string_view key = "found version ";
  auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  auto digits = text.substr(at + key.size());
  int n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end == digits.data() || n < 1000) return std::nullopt;
  return std::to_string(n / 1000) + "." + std::to_string(n % 1000 / 10);
}

std::optional<std::string> missing_library(std::string_view text) {
  constexpr std::string_view key = ": cannot open shared object file";
  auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  auto before = text.substr(0, at);
  auto start = before.find_last_of(" \t\n'\"/");
  auto name = before.substr(start == std::string_view::npos ? 0 : start + 1);
  if (name.empty() || !name.starts_with("lib")) return std::nullopt;
  return std::string(name);
}

std::optional<std::string> undefined_symbol(std::string_view text) {
  constexpr std::string_view key = "undefined symbol: ";
  auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  auto rest = text.substr(at + key.size());
  auto end = rest.find_first_of(", \t\n'\"");
  auto sym = rest.substr(0, end);
  if (sym.empty()) return std::nullopt;
  return std::string(sym);
}

std::optional<std::string> capability_from_warning(std::string_view text) {
  constexpr std::string_view key = "CUDA capability sm_";
  auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  auto rest = text.substr(at + key.size() - 3);  // "sm_120 ..."
  std::size_t n = 3;
  while (n < rest.size() && std::isalnum(static_cast<unsigned char>(rest[n]))) ++n;
  if (n == 3) return std::nullopt;
  return std::string(rest.substr(0, n));
}

bool cuda_visible_devices_hides(std::string_view value, std::optional<int> gpu_count) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  value = trim(value);
  if (value.empty()) return true;
  auto first = trim(value.substr(0, value.find(',')));
  if (first.empty()) return true;
  if (first.starts_with("GPU-") || first.starts_with("MIG-")) return false;
  int index = 0;
  auto [end, ec] = std::from_chars(first.data(), first.data() + first.size(), index);
  if (ec != std::errc() || end != first.data() + first.size()) return true;  // not an index: CUDA stops
  if (index < 0) return true;
  return gpu_count && index >= *gpu_count;
}

}  // namespace gpuenv::rules
