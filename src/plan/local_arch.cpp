#include "plan/local_arch.hpp"

namespace gpuenv::plan::local {

std::optional<ArchEntry> parse_arch_entry(std::string_view s) {
  ArchEntry e;
  if (s.starts_with("sm_")) {
    s.remove_prefix(3);
  } else if (s.starts_with("compute_")) {
    s.remove_prefix(8);
    e.ptx = true;
  } else {
    return std::nullopt;
  }
  if (!s.empty() && (s.back() == 'a' || s.back() == 'f')) {
    e.suffix = s.back();
    s.remove_suffix(1);
  }
  if (s.size() < 2 || s.size() > 3) return std::nullopt;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  e.major = n / 10;
  e.minor = n % 10;
  return e;
}

Coverage coverage(const std::vector<std::string>& arch_list, int cc_major, int cc_minor) {
  Coverage best;
  int best_cubin = -1, best_ptx = -1;
  for (auto& s : arch_list) {
    auto e = parse_arch_entry(s);
    if (!e) continue;
    int code = e->major * 10 + e->minor;
    if (!e->ptx) {
      bool runs = e->suffix == 'a' ? (e->major == cc_major && e->minor == cc_minor)
                                   : (e->major == cc_major && e->minor <= cc_minor);
      // The closest cubin is the one the driver loads: the highest minor, an exact `a` above all.
      int score = e->minor * 2 + (e->suffix == 'a' ? 1 : 0);
      if (runs && score > best_cubin) {
        best_cubin = score;
        best = {Coverage::Kind::cubin, s};
      }
    } else if (best_cubin < 0 && code <= cc_major * 10 + cc_minor && code > best_ptx) {
      best_ptx = code;
      best = {Coverage::Kind::ptx, s};
    }
  }
  return best;
}

}  // namespace gpuenv::plan::local
