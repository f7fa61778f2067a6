// The choice (issue 4): newest torch that meets the spec; among its variants `direct` before
// `minor`, then the newest CUDA; GPUs no build serves together are planned for in groups.
#include "plan/plan.hpp"

#include <algorithm>
#include <map>

#include "plan/advice.hpp"
#include "plan/commands.hpp"
#include "plan/findings.hpp"
#include "plan/gates.hpp"
#include "plan/torch_spec.hpp"

namespace gpuenv::plan {

using detail::Cand;
using detail::Context;
using facts::Dotted;

const char* compat_name(Compat c) {
  return c == Compat::direct ? "direct" : "minor";
}

bool valid_torch_spec(std::string_view spec) {
  return parse_torch_spec(spec).has_value();
}

namespace {

using Release = ReleaseRef;

/// The newest release of each series that the spec allows, newest series first.
std::vector<Release> matching_releases(const kb::KnowledgeBase& kb, const facts::Pep440SpecifierSet& spec) {
  std::vector<Release> out;
  for (auto s = kb.torch.rbegin(); s != kb.torch.rend(); ++s)
    for (auto r = s->releases.rbegin(); r != s->releases.rend(); ++r)
      if (spec.contains(r->version)) {
        out.push_back({&*s, &*r});
        break;
      }
  return out;
}

bool wanted(const Request& req, const kb::TorchVariant& v) {
  if (req.cuda) return v.cuda == req.cuda;
  return req.gpus.empty() ? !v.cuda : v.cuda.has_value();
}

/// One attempt: the candidates for a set of GPUs and the best of them at the request's driver.
struct Attempt {
  Context ctx;
  std::vector<Cand> cands;
  std::optional<std::size_t> chosen;
};

Attempt attempt(const Request& req, const kb::KnowledgeBase& kb, const std::vector<detail::CudaGate>& gates,
                detail::CoverageCache& cache, const std::vector<Release>& rels,
                const std::vector<int>& gpus) {
  Attempt a{detail::make_context(req, kb, gates, cache, gpus), {}, std::nullopt};
  int rank = 0;
  for (auto& rel : rels) {
    bool any = false;
    for (auto& v : rel.series->variants)
      if (wanted(req, v)) {
        a.cands.push_back(detail::make_cand(a.ctx, *rel.series, *rel.release, v, rank));
        any = true;
      }
    rank += any ? 1 : 0;
  }
  std::optional<Dotted> driver = req.driver ? Dotted::parse(*req.driver) : std::nullopt;
  a.chosen = detail::best_at(a.ctx, a.cands, driver);
  return a;
}

/// GPU subsets to try: all GPUs, then groups of alike GPUs by how many they hold.
std::vector<std::vector<int>> subsets(const Request& req) {
  std::vector<int> all;
  std::map<std::string, std::vector<int>> groups;
  for (std::size_t i = 0; i < req.gpus.size(); ++i) {
    all.push_back(static_cast<int>(i));
    groups[req.gpus[i].cc + "|" + req.gpus[i].architecture + "|" + req.gpus[i].chip].push_back(
        static_cast<int>(i));
  }
  std::vector<std::vector<int>> out{all};
  std::vector<std::vector<int>> g;
  for (auto& [k, v] : groups) g.push_back(v);
  if (g.size() < 2 || g.size() > 6) return out;
  for (unsigned mask = 1; mask + 1 < (1u << g.size()); ++mask) {
    std::vector<int> s;
    for (std::size_t k = 0; k < g.size(); ++k)
      if (mask & (1u << k)) s.insert(s.end(), g[k].begin(), g[k].end());
    std::sort(s.begin(), s.end());
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin() + 1, out.end(), [](auto& x, auto& y) { return x.size() > y.size(); });
  return out;
}

Recommendation recommend(const kb::KnowledgeBase& kb, const Request& req, const std::string& platform,
                         const Cand& c, std::optional<Compat> compat) {
  Recommendation r;
  const kb::TorchVariant& v = *c.variant;
  r.torch = c.release->version;
  r.variant = v.name;
  r.torchvision = c.release->torchvision;
  r.torchaudio = c.release->torchaudio;
  r.cuda = v.cuda;
  r.toolkit = v.toolkit;
  r.cudnn = v.cudnn;
  r.python = req.python.value_or(c.series->python.back());
  r.compat = v.cuda ? compat : std::nullopt;
  r.index_url = c.series->index_url(v.name);
  r.commands = make_commands(kb, *c.series, *c.release, v, platform);
  if (r.compat == Compat::minor)
    r.warnings.push_back({"plan.warning.minor",
                          {{"cuda", *v.cuda},
                           {"direct", c.gate1->direct_text},
                           {"minor", c.gate1->minor_text},
                           {"driver", req.driver.value_or("")}}});
  for (auto& [gpu, ptx] : c.ptx_only)
    r.warnings.push_back({"plan.warning.ptx_jit", {{"gpu", gpu->label}, {"ptx", ptx}}});
  if (c.gate1 && c.gate1->direct_from_branch)
    r.notes.push_back({"plan.note.windows_branch", {{"cuda", *v.cuda}, {"branch", c.gate1->direct_text}}});
  if (!r.torchaudio) r.notes.push_back({"plan.note.no_torchaudio", {{"torch", r.torch}}});
  if (!req.python) {
    std::string pythons;
    for (auto& p : c.series->python) pythons += (pythons.empty() ? "" : ", ") + p;
    r.notes.push_back({"plan.note.python_unknown", {{"python", r.python}, {"pythons", pythons}}});
  }
  return r;
}

std::string devices_of(const Request& req, const std::vector<int>& served) {
  std::string s;
  for (int i : served) {
    const PlanGpu& g = req.gpus[static_cast<std::size_t>(i)];
    s += (s.empty() ? "" : ",") + (g.uuid ? *g.uuid : std::to_string(g.index));
  }
  return s;
}

}  // namespace

Plan make_plan(const Request& req, const kb::KnowledgeBase& kb) {
  Plan p;
  p.request = req;
  p.platform = platform_of(req);
  auto spec = parse_torch_spec(req.torch_spec).value_or(facts::Pep440SpecifierSet{});
  add_outdated_findings(p, kb, spec);
  auto rels = matching_releases(kb, spec);
  if (rels.empty()) {
    add_no_release_finding(p, kb);
    return p;
  }
  auto gates = detail::make_cuda_gates(req, kb);
  detail::CoverageCache cache;
  std::optional<Attempt> used;
  std::vector<int> used_set;
  for (auto& s : subsets(req)) {
    Attempt a = attempt(req, kb, gates, cache, rels, s);
    bool first = !used;
    if (first || a.chosen) {  // the full set is kept for its reasons when no subset works
      used = std::move(a);
      used_set = s;
    }
    if (used->chosen) break;
  }
  Attempt& a = *used;
  if (a.cands.empty()) {
    add_no_variant_finding(p, kb, rels);
    return p;
  }
  std::optional<Dotted> driver = req.driver ? Dotted::parse(*req.driver) : std::nullopt;
  // Words only for what is reported: the candidates up to the chosen release (all when none).
  int last_rank = a.chosen ? a.cands[*a.chosen].release_rank : a.cands.back().release_rank;
  std::vector<detail::Outcome> outcomes;
  for (std::size_t i = 0; i < a.cands.size() && a.cands[i].release_rank <= last_rank; ++i)
    outcomes.push_back(detail::evaluate(a.ctx, a.cands[i], driver, true));
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    Candidate c;
    c.torch = a.cands[i].release->version;
    c.variant = a.cands[i].variant->name;
    c.cuda = a.cands[i].variant->cuda;
    c.compat = outcomes[i].compat;
    c.passed = outcomes[i].passed;
    c.chosen = a.chosen == i;
    c.reasons = std::move(outcomes[i].reasons);
    p.alternatives.push_back(std::move(c));
  }
  p.driver_advice = detail::driver_advice(a.ctx, a.cands, a.chosen);
  if (a.chosen) {
    const Cand& c = a.cands[*a.chosen];
    p.recommendation = recommend(kb, req, p.platform, c, outcomes[*a.chosen].compat);
    p.served = used_set;
    if (p.served.size() < req.gpus.size()) {
      p.cuda_visible_devices = devices_of(req, p.served);
      add_subset_note(p, *p.recommendation);
    }
  } else if (!driver && p.driver_advice && !req.gpus.empty()) {
    // No driver at all: plan for the best build a driver would allow, and say which driver.
    const DriverStep& best = p.driver_advice->steps.back();
    for (auto& c : a.cands)
      if (c.release->version == best.torch && c.variant->name == best.variant) {
        p.recommendation = recommend(kb, req, p.platform, c, best.compat);
        p.recommendation->warnings.push_back({"plan.warning.no_driver", {{"driver", best.driver}}});
        p.served = used_set;
        break;
      }
  }
  if (!p.recommendation) add_failure_findings(p, kb);
  return p;
}

}  // namespace gpuenv::plan
