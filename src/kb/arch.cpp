#include "kb/arch.hpp"

#include <charconv>

namespace gpuenv::kb {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string cc_text(int major, int minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Whether target `t` runs on `cc`, and as what. Returns nullopt when it does not.
std::optional<CoverageHow> runs_on(const ArchTarget& t, const ComputeCapability& cc) {
  const bool same_major = t.major == cc.major;
  const bool exact = same_major && t.minor == cc.minor;
  const bool family = same_major && t.minor <= cc.minor;
  if (t.kind == ArchTarget::Kind::cubin) {
    if (t.variant == 'a') return exact ? std::optional(CoverageHow::arch_specific_cubin) : std::nullopt;
    if (t.variant == 'f') return family ? std::optional(CoverageHow::family_cubin) : std::nullopt;
    return family ? std::optional(CoverageHow::cubin) : std::nullopt;
  }
  if (t.variant == 'a') return exact ? std::optional(CoverageHow::ptx_jit) : std::nullopt;
  if (t.variant == 'f') return family ? std::optional(CoverageHow::ptx_jit) : std::nullopt;
  const bool older = t.major < cc.major || (t.major == cc.major && t.minor <= cc.minor);
  return older ? std::optional(CoverageHow::ptx_jit) : std::nullopt;
}

int variant_rank(char v) {
  return v == '\0' ? 0 : v == 'a' ? 1 : 2;
}

// True when `a` is a better match than `b` (both run).
bool better(const ArchTarget& a, const ArchTarget& b) {
  if (a.kind != b.kind) return a.kind == ArchTarget::Kind::cubin;
  if (a.major != b.major) return a.major > b.major;
  if (a.minor != b.minor) return a.minor > b.minor;
  return variant_rank(a.variant) < variant_rank(b.variant);
}

}  // namespace

std::optional<ArchTarget> parse_arch_target(std::string_view s) {
  ArchTarget t;
  std::string_view rest;
  if (s.starts_with("sm_")) {
    t.kind = ArchTarget::Kind::cubin;
    rest = s.substr(3);
  } else if (s.starts_with("compute_")) {
    t.kind = ArchTarget::Kind::ptx;
    rest = s.substr(8);
  } else {
    return std::nullopt;
  }
  if (!rest.empty() && (rest.back() == 'a' || rest.back() == 'f')) {
    t.variant = rest.back();
    rest.remove_suffix(1);
  }
  if (rest.size() < 2 || rest.size() > 4 || !all_digits(rest) || rest.front() == '0') return std::nullopt;
  int n = to_int(rest);
  t.major = n / 10;
  t.minor = n % 10;
  t.text = std::string(s);
  return t;
}

std::optional<ComputeCapability> parse_compute_capability(std::string_view cc) {
  auto dot = cc.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto major = cc.substr(0, dot);
  auto minor = cc.substr(dot + 1);
  if (!all_digits(major) || major.size() > 3 || minor.size() != 1 || !all_digits(minor)) return std::nullopt;
  ComputeCapability out{to_int(major), to_int(minor)};
  if (out.major == 0) return std::nullopt;
  return out;
}

const char* how_name(CoverageHow how) {
  switch (how) {
    case CoverageHow::cubin:
      return "cubin";
    case CoverageHow::arch_specific_cubin:
      return "arch_specific_cubin";
    case CoverageHow::family_cubin:
      return "family_cubin";
    case CoverageHow::ptx_jit:
      return "ptx_jit";
    case CoverageHow::none:
      return "none";
  }
  return "none";
}

Coverage check_coverage(const std::vector<std::string>& arch_list, std::string_view cc_str) {
  Coverage out;
  out.reason_args.emplace_back("cc", std::string(cc_str));
  auto cc = parse_compute_capability(cc_str);
  if (!cc) {
    out.reason_id = "arch.reason.bad_cc";
    return out;
  }
  std::vector<ArchTarget> targets;
  std::string listed;
  for (auto& s : arch_list) {
    auto t = parse_arch_target(s);
    if (!t) continue;
    listed += (listed.empty() ? "" : ", ") + t->text;
    targets.push_back(std::move(*t));
  }
  if (targets.empty()) {
    out.reason_id = "arch.reason.empty";
    return out;
  }
  const ArchTarget* best = nullptr;
  CoverageHow best_how = CoverageHow::none;
  for (auto& t : targets) {
    auto how = runs_on(t, *cc);
    if (!how) continue;
    if (!best || better(t, *best)) {
      best = &t;
      best_how = *how;
    }
  }
  if (!best) {
    bool specific_same_major = false;
    for (auto& t : targets)
      if (t.variant == 'a' && t.major == cc->major) specific_same_major = true;
    out.reason_id = specific_same_major ? "arch.reason.none_arch_specific" : "arch.reason.none";
    out.reason_args.emplace_back("archs", listed);
    return out;
  }
  out.ok = true;
  out.how = best_how;
  out.entry = best->text;
  out.needs_ptx_jit = best_how == CoverageHow::ptx_jit;
  out.reason_args.emplace_back("entry", best->text);
  out.reason_args.emplace_back("entry_cc", cc_text(best->major, best->minor));
  switch (best_how) {
    case CoverageHow::cubin:
      out.reason_id = best->minor == cc->minor ? "arch.reason.cubin_exact" : "arch.reason.cubin";
      break;
    case CoverageHow::arch_specific_cubin:
      out.reason_id = "arch.reason.arch_specific_cubin";
      break;
    case CoverageHow::family_cubin:
      out.reason_id = "arch.reason.family_cubin";
      break;
    default:
      out.reason_id = "arch.reason.ptx_jit";
      break;
  }
  return out;
}

}  // namespace gpuenv::kb
