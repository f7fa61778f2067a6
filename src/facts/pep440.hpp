#pragma once
// Python package versions and version specifiers as PEP 440 defines them ("2.5.1+cu124", "1.13.0a0",
// ">=2.3,<2.6", "==2.4.*"). NVIDIA's dotted versions live in dotted.hpp.
// Source: https://peps.python.org/pep-0440/ (checked 2026-11-30), whose rules the `packaging` library
// implements; comparison and specifier semantics below follow the PEP's text.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::facts {

/// A parsed PEP 440 version. Parsing accepts every spelling the PEP normalises ("v1.0", "1.0-alpha.1",
/// "1.0.post-2", "1.0-1", upper case, surrounding spaces); `str()` gives the normal form.
struct Pep440Version {
  enum class Phase { a, b, rc };
  std::uint64_t epoch = 0;
  std::vector<std::uint64_t> release;  ///< never empty after a successful parse
  std::optional<Phase> pre_phase;
  std::uint64_t pre_number = 0;  ///< meaningful when pre_phase is set
  std::optional<std::uint64_t> post;
  std::optional<std::uint64_t> dev;
  /// The local label's segments, lower case ("cu124"; "gitunknown"; {"ubuntu", "1"}). Empty: none.
  std::vector<std::string> local;

  /// Parses a version; nullopt when `s` is not a valid PEP 440 version (or a number overflows).
  static std::optional<Pep440Version> parse(std::string_view s);

  bool is_prerelease() const { return pre_phase.has_value() || dev.has_value(); }
  bool is_postrelease() const { return post.has_value(); }
  bool is_devrelease() const { return dev.has_value(); }
  bool has_local() const { return !local.empty(); }
  /// The local label joined with '.', "" when none ("cu124", "rocm6.2").
  std::string local_label() const;
  /// The same version without its local label.
  Pep440Version public_version() const;
  /// Epoch and release only ("1!2.0rc1.post2+x" → "1!2.0").
  Pep440Version base_version() const;
  /// The release truncated or zero-padded to `n` components, as a dotted string ("2.5.1", 2 → "2.5").
  std::string release_prefix(std::size_t n) const;

  /// The normal form: "1!2.0rc1.post2.dev3+ubuntu.1".
  std::string str() const;

  /// Total order of PEP 440 (".dev" before pre-releases before the release before ".post"; a local
  /// label sorts after the same public version; trailing zeros of the release are insignificant).
  std::strong_ordering operator<=>(const Pep440Version& o) const;
  bool operator==(const Pep440Version& o) const { return (*this <=> o) == 0; }
};

/// One clause of a specifier set: "~=2.4", "==2.4.*", "!=2.5.0", "<2.6", "===foobar".
struct Pep440Specifier {
  enum class Op { compatible, equal, not_equal, less_equal, greater_equal, less, greater, arbitrary };
  Op op = Op::equal;
  std::string version_text;  ///< as written, trimmed ("2.4.*" keeps its wildcard)
  Pep440Version version;     ///< parsed (without the ".*"); unused for `arbitrary`
  bool wildcard = false;     ///< "==X.*" / "!=X.*"

  /// Parses one clause. nullopt for an unknown operator, an invalid version, a wildcard or local label
  /// where the PEP forbids it, or "~=" with a single release component.
  static std::optional<Pep440Specifier> parse(std::string_view s);
  /// Whether `v` satisfies this clause, ignoring the pre-release policy (SpecifierSet applies it).
  bool matches(const Pep440Version& v) const;
  /// Whether this clause names a pre-release explicitly (which lets pre-releases match the set).
  bool names_prerelease() const;
  std::string str() const;
};

/// A comma-separated set of clauses: ">=2.3,<2.6". The empty set matches every final release.
struct Pep440SpecifierSet {
  std::vector<Pep440Specifier> specs;

  /// Parses "" (empty set), ">=2.3, <2.6", "==2.4.*". nullopt when any clause is invalid.
  static std::optional<Pep440SpecifierSet> parse(std::string_view s);
  /// Whether `v` satisfies every clause. Pre-releases match only when `prereleases` is true, or, when it
  /// is not given, when some clause names a pre-release (PEP 440 "Handling of pre-releases").
  bool contains(const Pep440Version& v, std::optional<bool> prereleases = std::nullopt) const;
  /// Convenience: parses `version` first; an invalid version is never contained.
  bool contains(std::string_view version, std::optional<bool> prereleases = std::nullopt) const;
  std::string str() const;  ///< clauses joined with ","
};

/// PEP 503 name normalisation: lower case, runs of "-", "_", "." become one "-" ("Nvidia_CUDNN.cu12"
/// → "nvidia-cudnn-cu12").
std::string normalize_package_name(std::string_view name);

}  // namespace gpuenv::facts
