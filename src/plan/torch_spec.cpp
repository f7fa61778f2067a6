#include "plan/torch_spec.hpp"

namespace gpuenv::plan {

std::optional<facts::Pep440SpecifierSet> parse_torch_spec(std::string_view text) {
  auto bare = facts::Pep440Version::parse(text);
  if (bare && !bare->has_local() && text.find_first_of("=<>!~") == std::string_view::npos) {
    std::string s = "==" + bare->str() + (bare->release.size() == 2 ? ".*" : "");
    return facts::Pep440SpecifierSet::parse(s);
  }
  return facts::Pep440SpecifierSet::parse(text);
}

std::optional<std::string> spec_lower_bound(const facts::Pep440SpecifierSet& set) {
  using Op = facts::Pep440Specifier::Op;
  std::optional<facts::Pep440Version> low;
  for (auto& s : set.specs) {
    std::optional<facts::Pep440Version> v;
    if (s.op == Op::equal || s.op == Op::greater_equal || s.op == Op::greater || s.op == Op::compatible)
      v = s.version;
    else if (s.op == Op::arbitrary)
      v = facts::Pep440Version::parse(s.version_text);
    if (v && (!low || *v > *low)) low = v->base_version();
  }
  if (!low) return std::nullopt;
  return low->str();
}

}  // namespace gpuenv::plan
