#include "plan/local_pep440.hpp"

#include <algorithm>

namespace gpuenv::plan::local {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Compares release segments, the shorter padded with zeros (2.4 == 2.4.0).
int compare(const std::vector<long>& a, const std::vector<long>& b) {
  std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    long x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

bool prefix_match(const std::vector<long>& version, const std::vector<long>& prefix) {
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if ((i < version.size() ? version[i] : 0) != prefix[i]) return false;
  return true;
}

}  // namespace

std::optional<std::vector<long>> parse_release(std::string_view version) {
  version = trim(version);
  if (auto plus = version.find('+'); plus != std::string_view::npos) version = version.substr(0, plus);
  if (version.starts_with('v')) version.remove_prefix(1);
  std::vector<long> out;
  long cur = 0;
  int digits = 0;
  for (char c : version) {
    if (c >= '0' && c <= '9') {
      if (++digits > 9) return std::nullopt;
      cur = cur * 10 + (c - '0');
    } else if (c == '.' && digits) {
      out.push_back(cur);
      cur = 0;
      digits = 0;
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  out.push_back(cur);
  return out;
}

std::optional<VersionSpec> VersionSpec::parse(std::string_view text) {
  VersionSpec spec;
  text = trim(text);
  if (text.empty()) return spec;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string_view part =
        trim(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    if (part.empty()) return std::nullopt;
    Clause c;
    for (const char* op : {"===", "~=", "==", "!=", "<=", ">=", "<", ">"}) {
      if (part.starts_with(op)) {
        c.op = op;
        part = trim(part.substr(c.op.size()));
        break;
      }
    }
    bool bare = c.op.empty();
    if (part.ends_with(".*")) {
      if (c.op != "==" && c.op != "!=") return std::nullopt;
      c.wildcard = true;
      part.remove_suffix(2);
    }
    c.raw = std::string(part);
    if (c.op != "===") {
      auto r = parse_release(part);
      if (!r || part.find('+') != std::string_view::npos) return std::nullopt;
      c.release = *r;
      if (c.op == "~=" && c.release.size() < 2) return std::nullopt;
    }
    if (bare) {
      c.op = "==";
      c.wildcard = c.release.size() == 2;
    }
    spec.clauses_.push_back(std::move(c));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return spec;
}

bool VersionSpec::matches(std::string_view version) const {
  auto v = parse_release(version);
  if (!v) return false;
  for (auto& c : clauses_) {
    bool ok = true;
    if (c.op == "===") {
      ok = trim(version) == c.raw;
    } else if (c.op == "==") {
      ok = c.wildcard ? prefix_match(*v, c.release) : compare(*v, c.release) == 0;
    } else if (c.op == "!=") {
      ok = c.wildcard ? !prefix_match(*v, c.release) : compare(*v, c.release) != 0;
    } else if (c.op == "<=") {
      ok = compare(*v, c.release) <= 0;
    } else if (c.op == ">=") {
      ok = compare(*v, c.release) >= 0;
    } else if (c.op == "<") {
      ok = compare(*v, c.release) < 0;
    } else if (c.op == ">") {
      ok = compare(*v, c.release) > 0;
    } else if (c.op == "~=") {
      std::vector<long> prefix(c.release.begin(), c.release.end() - 1);
      ok = compare(*v, c.release) >= 0 && prefix_match(*v, prefix);
    }
    if (!ok) return false;
  }
  return true;
}

std::optional<std::vector<long>> VersionSpec::lower_bound() const {
  std::optional<std::vector<long>> low;
  for (auto& c : clauses_) {
    if (c.op == "==" || c.op == ">=" || c.op == ">" || c.op == "~=") {
      if (!low || compare(c.release, *low) > 0) low = c.release;
    } else if (c.op == "===") {
      if (auto r = parse_release(c.raw); r && (!low || compare(*r, *low) > 0)) low = r;
    }
  }
  return low;
}

}  // namespace gpuenv::plan::local
