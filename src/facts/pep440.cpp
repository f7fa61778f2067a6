#include "facts/pep440.hpp"

#include <algorithm>
#include <cctype>

namespace gpuenv::facts {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z');
}
bool is_sep(char c) {
  return c == '.' || c == '-' || c == '_';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A cursor over the lower-cased input.
struct Scan {
  std::string s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek(std::size_t k = 0) const { return i + k < s.size() ? s[i + k] : '\0'; }
  /// Reads a decimal number; false when there is none or it overflows 64 bits.
  bool overflow = false;
  bool number(std::uint64_t& out) {
    if (!is_digit(peek())) return false;
    std::uint64_t v = 0;
    while (is_digit(peek())) {
      std::uint64_t d = static_cast<std::uint64_t>(s[i] - '0');
      if (v > (UINT64_MAX - d) / 10) overflow = true;
      v = v * 10 + d;
      ++i;
    }
    out = v;
    return true;
  }
  /// Consumes `word` when the input continues with it and it is not followed by another letter.
  bool word(std::string_view w) {
    if (s.compare(i, w.size(), w) != 0) return false;
    char after = peek(w.size());
    if (after >= 'a' && after <= 'z') return false;
    i += w.size();
    return true;
  }
};

// Pre-release spellings, longest first so "rc" wins over "r" and "preview" over "pre".
struct PhaseWord {
  std::string_view word;
  Pep440Version::Phase phase;
};
constexpr PhaseWord kPhases[] = {
    {"preview", Pep440Version::Phase::rc}, {"alpha", Pep440Version::Phase::a},
    {"beta", Pep440Version::Phase::b},     {"pre", Pep440Version::Phase::rc},
    {"rc", Pep440Version::Phase::rc},      {"a", Pep440Version::Phase::a},
    {"b", Pep440Version::Phase::b},        {"c", Pep440Version::Phase::rc},
};

// An optional "[-_.]?WORD[-_.]?N?" suffix; restores the cursor when it does not apply.
template <class Words, class OnMatch>
bool suffix(Scan& sc, const Words& words, OnMatch on_match) {
  std::size_t start = sc.i;
  if (is_sep(sc.peek())) ++sc.i;
  for (auto& w : words) {
    if (!sc.word(w.word)) continue;
    std::size_t after_word = sc.i;
    if (is_sep(sc.peek())) ++sc.i;
    std::uint64_t n = 0;
    // A separator with no number after it belongs to what follows ("1.0a.dev1"), unless nothing does.
    if (!sc.number(n) && !sc.done()) sc.i = after_word;
    on_match(w, n);
    return true;
  }
  sc.i = start;
  return false;
}

int phase_rank(Pep440Version::Phase p) {
  return p == Pep440Version::Phase::a ? 0 : p == Pep440Version::Phase::b ? 1 : 2;
}

}  // namespace

std::optional<Pep440Version> Pep440Version::parse(std::string_view text) {
  text = trim(text);
  Scan sc;
  sc.s.reserve(text.size());
  for (char c : text) sc.s.push_back(lower(c));
  Pep440Version v;
  if (sc.peek() == 'v') ++sc.i;
  // Epoch and release: "N!N.N.N"
  std::uint64_t n = 0;
  if (!sc.number(n)) return std::nullopt;
  if (sc.peek() == '!') {
    v.epoch = n;
    ++sc.i;
    if (!sc.number(n)) return std::nullopt;
  }
  v.release.push_back(n);
  while (sc.peek() == '.' && is_digit(sc.peek(1))) {
    ++sc.i;
    if (!sc.number(n)) return std::nullopt;
    v.release.push_back(n);
  }
  // Pre-release.
  suffix(sc, kPhases, [&](const PhaseWord& w, std::uint64_t num) {
    v.pre_phase = w.phase;
    v.pre_number = num;
  });
  // Post-release: ".post1", "-r2", "rev3", or the implicit "-1".
  {
    struct W {
      std::string_view word;
    };
    static constexpr W kPost[] = {{"post"}, {"rev"}, {"r"}};
    bool got = suffix(sc, kPost, [&](const W&, std::uint64_t num) { v.post = num; });
    if (!got && sc.peek() == '-' && is_digit(sc.peek(1))) {
      ++sc.i;
      if (!sc.number(n)) return std::nullopt;
      v.post = n;
    }
  }
  // Development release.
  {
    struct W {
      std::string_view word;
    };
    static constexpr W kDev[] = {{"dev"}};
    suffix(sc, kDev, [&](const W&, std::uint64_t num) { v.dev = num; });
  }
  // Local label: "+seg[.-_seg]*", segments alphanumeric.
  if (sc.peek() == '+') {
    ++sc.i;
    for (;;) {
      std::string seg;
      while (is_alnum(sc.peek())) seg.push_back(sc.s[sc.i++]);
      if (seg.empty()) return std::nullopt;
      v.local.push_back(std::move(seg));
      if (is_sep(sc.peek())) {
        ++sc.i;
        continue;
      }
      break;
    }
  }
  if (!sc.done() || sc.overflow) return std::nullopt;
  return v;
}

std::string Pep440Version::local_label() const {
  std::string out;
  for (auto& seg : local) {
    if (!out.empty()) out += '.';
    out += seg;
  }
  return out;
}

Pep440Version Pep440Version::public_version() const {
  Pep440Version v = *this;
  v.local.clear();
  return v;
}

Pep440Version Pep440Version::base_version() const {
  Pep440Version v;
  v.epoch = epoch;
  v.release = release;
  return v;
}

std::string Pep440Version::release_prefix(std::size_t n) const {
  std::string out;
  for (std::size_t k = 0; k < n; ++k) {
    if (k) out += '.';
    out += std::to_string(k < release.size() ? release[k] : 0);
  }
  return out;
}

std::string Pep440Version::str() const {
  std::string out;
  if (epoch) out += std::to_string(epoch) + "!";
  out += release_prefix(release.size());
  if (pre_phase) {
    out += *pre_phase == Phase::a ? "a" : *pre_phase == Phase::b ? "b" : "rc";
    out += std::to_string(pre_number);
  }
  if (post) out += ".post" + std::to_string(*post);
  if (dev) out += ".dev" + std::to_string(*dev);
  if (!local.empty()) out += "+" + local_label();
  return out;
}

std::strong_ordering Pep440Version::operator<=>(const Pep440Version& o) const {
  if (auto c = epoch <=> o.epoch; c != 0) return c;
  // Release, trailing zeros insignificant.
  std::size_t n = std::max(release.size(), o.release.size());
  for (std::size_t k = 0; k < n; ++k) {
    std::uint64_t a = k < release.size() ? release[k] : 0;
    std::uint64_t b = k < o.release.size() ? o.release[k] : 0;
    if (auto c = a <=> b; c != 0) return c;
  }
  // Pre-release key: a bare ".devN" sorts before any pre-release of the same release; no pre-release
  // sorts after all of them.
  auto pre_key = [](const Pep440Version& v) -> std::pair<int, std::uint64_t> {
    if (!v.pre_phase && !v.post && v.dev) return {-1, 0};
    if (!v.pre_phase) return {3, 0};
    return {phase_rank(*v.pre_phase), v.pre_number};
  };
  if (auto c = pre_key(*this) <=> pre_key(o); c != 0) return c;
  // Post: none sorts first.
  auto post_key = [](const Pep440Version& v) -> std::pair<int, std::uint64_t> {
    return v.post ? std::pair<int, std::uint64_t>{1, *v.post} : std::pair<int, std::uint64_t>{0, 0};
  };
  if (auto c = post_key(*this) <=> post_key(o); c != 0) return c;
  // Dev: none sorts last.
  auto dev_key = [](const Pep440Version& v) -> std::pair<int, std::uint64_t> {
    return v.dev ? std::pair<int, std::uint64_t>{0, *v.dev} : std::pair<int, std::uint64_t>{1, 0};
  };
  if (auto c = dev_key(*this) <=> dev_key(o); c != 0) return c;
  // Local: none sorts first; segments compare numerically when both are numbers, a number sorts after
  // a word, and a shorter label that is a prefix of the other sorts first.
  std::size_t m = std::min(local.size(), o.local.size());
  for (std::size_t k = 0; k < m; ++k) {
    const std::string& a = local[k];
    const std::string& b = o.local[k];
    bool an = std::all_of(a.begin(), a.end(), is_digit);
    bool bn = std::all_of(b.begin(), b.end(), is_digit);
    if (an && bn) {
      // Compare as numbers without overflow: strip leading zeros, then by length, then by text.
      auto strip = [](const std::string& s) {
        std::size_t z = s.find_first_not_of('0');
        return z == std::string::npos ? std::string_view() : std::string_view(s).substr(z);
      };
      auto sa = strip(a), sb = strip(b);
      if (auto c = sa.size() <=> sb.size(); c != 0) return c;
      // compare() rather than <=> on strings: libc++ 14 (the fuzz build) has no string <=>.
      if (auto c = sa.compare(sb) <=> 0; c != 0) return c;
    } else if (an != bn) {
      return an ? std::strong_ordering::greater : std::strong_ordering::less;
    } else if (auto c = a.compare(b) <=> 0; c != 0) {
      return c;
    }
  }
  return local.size() <=> o.local.size();
}

std::string normalize_package_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool pending_sep = false;
  for (char c : name) {
    if (is_sep(c)) {
      pending_sep = true;
      continue;
    }
    if (pending_sep && !out.empty()) out += '-';
    pending_sep = false;
    out += lower(c);
  }
  return out;
}

}  // namespace gpuenv::facts
