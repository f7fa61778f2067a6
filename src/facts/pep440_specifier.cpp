#include <algorithm>
#include <cctype>

#include "facts/pep440.hpp"

// Version specifiers (PEP 440 "Version specifiers"): the clauses and the comma-separated sets.
namespace gpuenv::facts {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

namespace {

struct OpText {
  std::string_view text;
  Pep440Specifier::Op op;
};
// Longest first: "===" before "==", "~=" before "=".
constexpr OpText kOps[] = {
    {"===", Pep440Specifier::Op::arbitrary}, {"~=", Pep440Specifier::Op::compatible},
    {"==", Pep440Specifier::Op::equal},      {"!=", Pep440Specifier::Op::not_equal},
    {"<=", Pep440Specifier::Op::less_equal}, {">=", Pep440Specifier::Op::greater_equal},
    {"<", Pep440Specifier::Op::less},        {">", Pep440Specifier::Op::greater},
};

std::string_view op_text(Pep440Specifier::Op op) {
  for (auto& o : kOps)
    if (o.op == op) return o.text;
  return "?";
}

// The comparable components of a version for prefix matching ("==2.4.*"): the release numbers, then
// the pre-release as one component ("rc1"), as `packaging`'s _version_split does.
std::vector<std::string> prefix_components(const Pep440Version& v) {
  std::vector<std::string> out;
  if (v.epoch) out.push_back(std::to_string(v.epoch) + "!");
  for (auto r : v.release) out.push_back(std::to_string(r));
  if (v.pre_phase) {
    std::string p = *v.pre_phase == Pep440Version::Phase::a   ? "a"
                    : *v.pre_phase == Pep440Version::Phase::b ? "b"
                                                              : "rc";
    out.push_back(p + std::to_string(v.pre_number));
  }
  if (v.post) out.push_back("post" + std::to_string(*v.post));
  if (v.dev) out.push_back("dev" + std::to_string(*v.dev));
  return out;
}

bool prefix_match(const Pep440Version& prefix, const Pep440Version& candidate) {
  if (prefix.epoch != candidate.epoch) return false;
  auto want = prefix_components(prefix.public_version());
  auto have = prefix_components(candidate.public_version());
  if (prefix.epoch) want.erase(want.begin());
  if (candidate.epoch) have.erase(have.begin());
  // Pad the candidate's release with zeros so "==1.0.0.*" matches "1.0".
  std::size_t want_release = prefix.release.size(), have_release = candidate.release.size();
  if (have_release < want_release)
    have.insert(have.begin() + static_cast<std::ptrdiff_t>(have_release), want_release - have_release, "0");
  if (have.size() < want.size()) return false;
  return std::equal(want.begin(), want.end(), have.begin());
}

}  // namespace

std::optional<Pep440Specifier> Pep440Specifier::parse(std::string_view s) {
  s = trim(s);
  Pep440Specifier spec;
  bool found = false;
  for (auto& o : kOps) {
    if (s.starts_with(o.text)) {
      spec.op = o.op;
      s.remove_prefix(o.text.size());
      found = true;
      break;
    }
  }
  if (!found) return std::nullopt;
  s = trim(s);
  if (s.empty()) return std::nullopt;
  spec.version_text = std::string(s);
  if (spec.op == Op::arbitrary) {
    if (s.find_first_of(" \t,;") != std::string_view::npos) return std::nullopt;
    return spec;
  }
  std::string_view vtext = s;
  if (s.ends_with(".*")) {
    if (spec.op != Op::equal && spec.op != Op::not_equal) return std::nullopt;
    spec.wildcard = true;
    vtext.remove_suffix(2);
  }
  auto v = Pep440Version::parse(vtext);
  if (!v) return std::nullopt;
  spec.version = *v;
  if (spec.wildcard && (v->has_local() || v->is_devrelease())) return std::nullopt;
  if (v->has_local() && spec.op != Op::equal && spec.op != Op::not_equal) return std::nullopt;
  if (spec.op == Op::compatible && v->release.size() < 2) return std::nullopt;
  return spec;
}

bool Pep440Specifier::matches(const Pep440Version& v) const {
  switch (op) {
    case Op::arbitrary: {
      std::string a = v.str(), b = version_text;
      // "===" compares the strings as written, case-insensitively; the normal form is the best we have.
      std::transform(b.begin(), b.end(), b.begin(), lower);
      return a == b;
    }
    case Op::equal:
    case Op::not_equal: {
      bool eq;
      if (wildcard)
        eq = prefix_match(version, v);
      else if (version.has_local())
        eq = v == version;
      else
        eq = v.public_version() == version;
      return op == Op::equal ? eq : !eq;
    }
    case Op::less_equal:
      return v.public_version() <= version;
    case Op::greater_equal:
      return v.public_version() >= version;
    case Op::less: {
      auto pv = v.public_version();
      if (!(pv < version)) return false;
      // "<3.0" excludes 3.0's own pre-releases unless the clause names one.
      if (!version.is_prerelease() && pv.is_prerelease() && pv.base_version() == version.base_version())
        return false;
      return true;
    }
    case Op::greater: {
      auto pv = v.public_version();
      if (!(pv > version)) return false;
      // ">3.0" excludes 3.0's post-releases (unless the clause is one) and 3.0+local.
      if (!version.is_postrelease() && pv.is_postrelease() && pv.base_version() == version.base_version())
        return false;
      if (v.has_local() && v.base_version() == version.base_version()) return false;
      return true;
    }
    case Op::compatible: {
      // "~=2.4.1" is ">=2.4.1, ==2.4.*".
      if (!(v.public_version() >= version)) return false;
      Pep440Version prefix = version.base_version();
      prefix.release.pop_back();
      return prefix_match(prefix, v);
    }
  }
  return false;
}

bool Pep440Specifier::names_prerelease() const {
  // Every operator but "!=" names its version as one the user asks for.
  if (op == Op::not_equal) return false;
  if (op == Op::arbitrary) {
    auto v = Pep440Version::parse(version_text);
    return v && v->is_prerelease();
  }
  return version.is_prerelease();
}

std::string Pep440Specifier::str() const {
  if (op == Op::arbitrary) return std::string(op_text(op)) + version_text;
  return std::string(op_text(op)) + version.str() + (wildcard ? ".*" : "");
}

std::optional<Pep440SpecifierSet> Pep440SpecifierSet::parse(std::string_view s) {
  Pep440SpecifierSet set;
  if (trim(s).empty()) return set;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = s.find(',', start);
    auto part = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto spec = Pep440Specifier::parse(part);
    if (!spec) return std::nullopt;
    set.specs.push_back(std::move(*spec));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return set;
}

bool Pep440SpecifierSet::contains(const Pep440Version& v, std::optional<bool> prereleases) const {
  bool allow_pre = prereleases.value_or(std::any_of(
      specs.begin(), specs.end(), [](const Pep440Specifier& sp) { return sp.names_prerelease(); }));
  if (v.is_prerelease() && !allow_pre) return false;
  return std::all_of(specs.begin(), specs.end(), [&](const Pep440Specifier& sp) { return sp.matches(v); });
}

bool Pep440SpecifierSet::contains(std::string_view version, std::optional<bool> prereleases) const {
  auto v = Pep440Version::parse(version);
  return v && contains(*v, prereleases);
}

std::string Pep440SpecifierSet::str() const {
  std::string out;
  for (auto& sp : specs) {
    if (!out.empty()) out += ',';
    out += sp.str();
  }
  return out;
}

}  // namespace gpuenv::facts
