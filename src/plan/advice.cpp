#include "plan/advice.hpp"

#include <algorithm>

namespace gpuenv::plan::detail {

namespace {

using facts::Dotted;

struct Threshold {
  Dotted version;
  std::string text;
};

DriverStep step_for(const Cand& c, Compat compat, const Threshold& t) {
  return {t.text, t.version.parts.size() == 1, c.release->version, c.variant->name, compat};
}

/// Every driver version at which some candidate's outcome changes: the Table 3 and family minimums
/// of the candidates and the minimum branch gate 0 asks for.
std::vector<Threshold> thresholds(const Context& ctx, const std::vector<Cand>& cands) {
  std::vector<Threshold> out;
  for (auto& c : cands) {
    if (!c.static_ok() || !c.gate1) continue;
    if (c.gate1->direct_min) out.push_back({*c.gate1->direct_min, c.gate1->direct_text});
    if (c.gate1->minor_min && c.ptx_only.empty()) out.push_back({*c.gate1->minor_min, c.gate1->minor_text});
  }
  if (ctx.min_branch) out.push_back({Dotted{{*ctx.min_branch}}, std::to_string(*ctx.min_branch)});
  std::sort(out.begin(), out.end(),
            [](const Threshold& a, const Threshold& b) { return a.version < b.version; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Threshold& a, const Threshold& b) { return a.version == b.version; }),
            out.end());
  return out;
}

bool all_turing_or_newer(const Context& ctx) {
  return std::all_of(ctx.gpus.begin(), ctx.gpus.end(),
                     [](const GpuInfo& g) { return g.cc_major > 7 || (g.cc_major == 7 && g.cc_minor >= 5); });
}

/// The driver_install row for the request's OS.
const kb::DriverInstall* install_row(const Context& ctx) {
  const Request& req = *ctx.req;
  auto by_os = [&](std::string_view os) -> const kb::DriverInstall* {
    for (auto& r : ctx.kb->driver_install)
      if (r.os == os) return &r;
    return nullptr;
  };
  if (req.os == Os::windows) return by_os("windows");
  if (req.wsl) return by_os("wsl2");
  std::string major = req.os_version.substr(0, req.os_version.find('.'));
  for (auto& r : ctx.kb->driver_install) {
    if (std::find(r.ids.begin(), r.ids.end(), req.os_id) == r.ids.end()) continue;
    if (!r.versions.empty() && std::find(r.versions.begin(), r.versions.end(), major) == r.versions.end())
      continue;
    if (r.flavor == "open" && !all_turing_or_newer(ctx)) continue;
    return &r;
  }
  return by_os("linux");
}

void add_install(const Context& ctx, DriverAdvice& a, int branch) {
  const kb::DriverInstall* row = install_row(ctx);
  if (!row) return;
  std::string b = std::to_string(branch);
  a.install_os = row->os;
  std::string driver = a.minimum.branch_only ? a.minimum.driver + ".x" : a.minimum.driver;
  a.install_text = {row->message, {{"branch", b}, {"driver", driver}}};
  for (auto cmd : row->commands) {
    if (auto p = cmd.find("{branch}"); p != std::string::npos) cmd.replace(p, 8, b);
    a.install_commands.push_back(std::move(cmd));
  }
}

}  // namespace

std::optional<std::size_t> best_at(const Context& ctx, const std::vector<Cand>& cands,
                                   const std::optional<Dotted>& driver) {
  std::optional<std::size_t> best;
  Rank best_rank;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    if (best && cands[i].release_rank > best_rank.release) break;  // candidates come newest first
    Outcome o = evaluate(ctx, cands[i], driver, false);
    if (!o.passed) continue;
    Rank r = rank_of(cands[i], o.compat.value_or(Compat::direct));
    if (!best || r < best_rank) {
      best = i;
      best_rank = r;
    }
  }
  return best;
}

std::optional<DriverAdvice> driver_advice(const Context& ctx, const std::vector<Cand>& cands,
                                          std::optional<std::size_t> current_choice) {
  if (ctx.gpus.empty()) return std::nullopt;
  const Request& req = *ctx.req;
  std::optional<Dotted> current = req.driver ? Dotted::parse(*req.driver) : std::nullopt;
  auto all = thresholds(ctx, cands);
  DriverAdvice a;
  a.current = req.driver;
  auto compat_at = [&](std::size_t i, const Dotted& d) {
    return evaluate(ctx, cands[i], d, false).compat.value_or(Compat::direct);
  };
  if (current && ctx.last_branch && current->major() > *ctx.last_branch) {
    // Too new for the GPU: the newest threshold the last supporting branch reaches.
    const Threshold* top = nullptr;
    for (auto& t : all)
      if (t.version.major() <= *ctx.last_branch) top = &t;
    if (!top) return std::nullopt;
    auto best = best_at(ctx, cands, top->version);
    if (!best) return std::nullopt;
    Threshold branch{Dotted{{*ctx.last_branch}}, std::to_string(*ctx.last_branch)};
    a.legacy_branch = ctx.last_branch;
    a.minimum = step_for(cands[*best], compat_at(*best, top->version), branch);
    a.steps.push_back(a.minimum);
    add_install(ctx, a, *ctx.last_branch);
    a.install_text = {"plan.install.legacy", {{"branch", std::to_string(*ctx.last_branch)}}};
    return a;
  }
  std::optional<Rank> prev;
  if (current_choice && current) prev = rank_of(cands[*current_choice], compat_at(*current_choice, *current));
  for (auto& t : all) {
    if (current && !(*current < t.version)) continue;
    if (ctx.last_branch && t.version.major() > *ctx.last_branch) continue;
    auto best = best_at(ctx, cands, t.version);
    if (!best) continue;
    Compat compat = compat_at(*best, t.version);
    Rank r = rank_of(cands[*best], compat);
    if (prev && !(r < *prev)) continue;
    prev = r;
    a.steps.push_back(step_for(cands[*best], compat, t));
  }
  if (a.steps.empty()) return std::nullopt;
  a.minimum = a.steps.front();
  if (current_choice) {
    const Cand& cur = cands[*current_choice];
    for (auto& s : a.steps)
      if (s.torch != cur.release->version || s.variant != cur.variant->name) {
        a.minimum = s;
        break;
      }
  }
  auto min_version = Dotted::parse(a.minimum.driver);
  add_install(ctx, a, min_version ? min_version->major() : 0);
  return a;
}

}  // namespace gpuenv::plan::detail
