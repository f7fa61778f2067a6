#include "plan/gates.hpp"

#include <algorithm>
#include <tuple>

namespace gpuenv::plan::detail {

namespace {

using facts::Dotted;

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

Reason reason(int gate, const char* id, const char* text_id,
              std::vector<std::pair<std::string, std::string>> args) {
  return {gate, id, {text_id, std::move(args)}};
}

/// The driver that meets a CUDA version when Table 3 has no value for the OS (Windows 13.x): the
/// first branch whose own CUDA version is at least it ("580" for 13.0).
std::optional<std::string> branch_for_cuda(const kb::KnowledgeBase& kb, const std::string& cuda) {
  for (auto& b : kb.driver_branches)
    if (facts::compare_dotted(b.cuda_max, cuda) >= 0) return std::to_string(b.branch);
  return std::nullopt;
}

/// "sm_50, sm_60, …" and the newest PTX of an arch list, made once per plan.
const ArchWords& words(const Context& ctx, const kb::VariantArch& arch) {
  for (auto& [a, w] : ctx.arch_words)
    if (a == &arch) return w;
  ArchWords w;
  for (auto& e : arch.arch_list) {
    if (e.starts_with("sm_"))
      w.cubins += (w.cubins.empty() ? "" : ", ") + e;
    else
      w.newest_ptx = e;  // compute_XY entries follow their sm_XY: the last one is the newest
  }
  ctx.arch_words.emplace_back(&arch, std::move(w));
  return ctx.arch_words.back().second;
}

}  // namespace

const kb::Coverage& CoverageCache::get(const kb::VariantArch& arch, const std::string& cc) {
  for (auto& e : entries_)
    if (e.cc == cc && (e.list == &*arch.list || *e.list == *arch.list)) return e.coverage;
  entries_.push_back({&*arch.list, cc, kb::check_coverage(arch.arch_list, cc)});
  return entries_.back().coverage;
}

std::vector<CudaGate> make_cuda_gates(const Request& req, const kb::KnowledgeBase& kb) {
  bool windows_driver = req.os == Os::windows || req.wsl;
  std::vector<CudaGate> gates;
  for (auto& s : kb.torch)
    for (auto& v : s.variants) {
      if (!v.cuda ||
          std::any_of(gates.begin(), gates.end(), [&](const CudaGate& g) { return g.cuda == *v.cuda; }))
        continue;
      CudaGate g;
      g.cuda = *v.cuda;
      if (auto d = Dotted::parse(g.cuda)) g.code = d->major() * 100 + d->minor();
      const kb::CudaRelease* ga = nullptr;
      for (auto& c : kb.cuda_releases)
        if (c.ga && c.cuda == *v.cuda) ga = &c;
      if (ga) {
        const auto& col = windows_driver ? ga->windows_driver : ga->linux_driver;
        if (col) {
          g.direct_text = *col;
        } else if (auto b = branch_for_cuda(kb, *v.cuda)) {
          g.direct_text = *b;
          g.direct_from_branch = true;
        }
      }
      if (!g.direct_text.empty()) g.direct_min = Dotted::parse(g.direct_text);
      if (const kb::CudaFamily* f = kb.cuda_family(*v.cuda)) {
        g.minor_text = windows_driver ? f->windows_driver : f->linux_driver;
        g.minor_min = Dotted::parse(g.minor_text);
      }
      gates.push_back(std::move(g));
    }
  return gates;
}

Context make_context(const Request& req, const kb::KnowledgeBase& kb, const std::vector<CudaGate>& gates,
                     CoverageCache& cache, const std::vector<int>& gpu_indices) {
  Context ctx;
  ctx.cuda_gates = &gates;
  ctx.coverage_cache = &cache;
  ctx.req = &req;
  ctx.kb = &kb;
  ctx.platform = platform_of(req);
  ctx.windows_driver = req.os == Os::windows || req.wsl;
  for (int i : gpu_indices) {
    const PlanGpu& g = req.gpus[static_cast<std::size_t>(i)];
    GpuInfo info;
    info.gpu = &g;
    info.label = g.cc.empty() ? g.name : g.name + " (" + g.cc + ")";
    info.architecture = g.architecture;
    if (auto d = Dotted::parse(g.cc); d && d->parts.size() == 2) {
      info.cc_major = d->major();
      info.cc_minor = d->minor();
      if (info.architecture.empty()) info.architecture = kb.architecture_for_cc(g.cc).value_or("");
    }
    info.support = kb.support_for(info.architecture, g.chip, g.cc);
    if (info.support && info.support->min_branch &&
        (!ctx.min_branch || *info.support->min_branch > *ctx.min_branch))
      ctx.min_branch = info.support->min_branch;
    if (info.support && info.support->last_branch &&
        (!ctx.last_branch || *info.support->last_branch < *ctx.last_branch))
      ctx.last_branch = info.support->last_branch;
    ctx.gpus.push_back(std::move(info));
  }
  return ctx;
}

Cand make_cand(const Context& ctx, const kb::TorchSeries& s, const kb::TorchRelease& r,
               const kb::TorchVariant& v, int release_rank) {
  using K = StaticFail::Kind;
  Cand c;
  c.series = &s;
  c.release = &r;
  c.variant = &v;
  c.release_rank = release_rank;
  const Request& req = *ctx.req;
  // Gate 3: a wheel for this platform and Python.
  if (!v.has_platform(ctx.platform)) c.fails.push_back({K::no_platform});
  if (req.python && std::find(s.python.begin(), s.python.end(), *req.python) == s.python.end())
    c.fails.push_back({K::python});
  if (!v.cuda) return c;
  for (auto& g : *ctx.cuda_gates)
    if (g.cuda == *v.cuda) c.gate1 = &g;
  if (c.gate1) c.cuda_code = c.gate1->code;
  // Gate 2: every GPU covered by a cubin, or by PTX (which then needs `direct`).
  const kb::VariantArch* arch = v.arch_for(ctx.platform);
  if (!arch) return c;  // no wheel here: gate 3 already says so
  if (!arch->list) {
    c.fails.push_back({K::arch_unknown});
    return c;
  }
  for (auto& g : ctx.gpus) {
    if (g.cc_major < 0) {
      c.fails.push_back({K::cc_unknown, &g});
      continue;
    }
    const kb::Coverage& cov = ctx.coverage_cache->get(*arch, g.gpu->cc);
    if (cov.ok && cov.needs_ptx_jit) c.ptx_only.emplace_back(&g, cov.entry);
    if (!cov.ok) c.fails.push_back({K::no_kernel, &g});
  }
  return c;
}

std::vector<Reason> static_reasons(const Context& ctx, const Cand& c) {
  using K = StaticFail::Kind;
  std::vector<Reason> out;
  const kb::TorchVariant& v = *c.variant;
  for (auto& f : c.fails) {
    switch (f.kind) {
      case K::no_platform:
        out.push_back(reason(3, "no-wheel-for-platform", "plan.reason.no_platform",
                             {{"platform", ctx.platform}, {"platforms", join(v.platforms)}}));
        break;
      case K::python:
        out.push_back(reason(3, "python-unsupported-by-torch", "plan.reason.python",
                             {{"python", ctx.req->python.value_or("")},
                              {"torch", c.release->version},
                              {"pythons", join(c.series->python)}}));
        break;
      case K::arch_unknown:
        out.push_back(
            reason(2, "torch-arch-list-unknown", "plan.reason.arch_unknown",
                   {{"torch", c.release->version}, {"variant", v.name}, {"platform", ctx.platform}}));
        break;
      case K::cc_unknown:
        out.push_back(reason(2, "gpu-cc-unknown", "plan.reason.cc_unknown", {{"gpu", f.gpu->gpu->name}}));
        break;
      case K::no_kernel: {
        const ArchWords& w = words(ctx, *v.arch_for(ctx.platform));
        if (w.newest_ptx.empty())
          out.push_back(reason(2, "gpu-arch-not-in-torch-build", "plan.reason.no_kernel_no_ptx",
                               {{"gpu", f.gpu->label}, {"cc", f.gpu->gpu->cc}, {"cubins", w.cubins}}));
        else
          out.push_back(reason(
              2, "gpu-arch-not-in-torch-build", "plan.reason.no_kernel_newer_ptx",
              {{"gpu", f.gpu->label}, {"cc", f.gpu->gpu->cc}, {"cubins", w.cubins}, {"ptx", w.newest_ptx}}));
        break;
      }
    }
  }
  return out;
}

std::vector<Reason> gate0(const Context& ctx, const Dotted& driver) {
  std::vector<Reason> out;
  int branch = driver.major();
  for (auto& g : ctx.gpus) {
    if (!g.support) continue;
    if (g.support->min_branch && branch < *g.support->min_branch)
      out.push_back(reason(0, "driver-too-old-for-gpu", "plan.reason.driver_too_old_for_gpu",
                           {{"gpu", g.label},
                            {"architecture", g.architecture},
                            {"branch", std::to_string(*g.support->min_branch)},
                            {"driver", ctx.req->driver.value_or(driver.str())}}));
    if (g.support->last_branch && branch > *g.support->last_branch)
      out.push_back(reason(0, "gpu-needs-legacy-driver", "plan.reason.gpu_needs_legacy_driver",
                           {{"gpu", g.label},
                            {"architecture", g.architecture},
                            {"branch", std::to_string(*g.support->last_branch)},
                            {"driver", ctx.req->driver.value_or(driver.str())}}));
  }
  return out;
}

Outcome evaluate(const Context& ctx, const Cand& c, const std::optional<Dotted>& driver, bool with_reasons) {
  Outcome o;
  bool ok = c.static_ok();
  if (with_reasons) o.reasons = static_reasons(ctx, c);
  const kb::TorchVariant& v = *c.variant;
  if (!v.cuda) {  // CPU builds need no driver
    o.passed = ok;
    return o;
  }
  if (!driver) {
    if (with_reasons)
      o.reasons.insert(o.reasons.begin(),
                       reason(1, "driver-not-loaded", "plan.reason.no_driver", {{"cuda", *v.cuda}}));
    return o;
  }
  int branch = driver->major();
  bool g0 = !(ctx.min_branch && branch < *ctx.min_branch) && !(ctx.last_branch && branch > *ctx.last_branch);
  if (!g0) {
    ok = false;
    if (with_reasons) {
      auto r0 = gate0(ctx, *driver);
      o.reasons.insert(o.reasons.begin(), r0.begin(), r0.end());
    }
  }
  const CudaGate* g = c.gate1;
  if (g && g->direct_min && *driver >= *g->direct_min)
    o.compat = Compat::direct;
  else if (g && g->minor_min && *driver >= *g->minor_min)
    o.compat = Compat::minor;
  if (!o.compat) {
    ok = false;
    if (with_reasons) {
      std::string d = ctx.req->driver.value_or(driver->str());
      std::string direct = g ? g->direct_text : "?";
      Reason r =
          g && g->minor_min
              ? reason(1, "driver-too-old-for-torch", "plan.reason.driver_too_old",
                       {{"cuda", *v.cuda}, {"direct", direct}, {"minor", g->minor_text}, {"driver", d}})
              : reason(1, "driver-too-old-for-torch", "plan.reason.driver_too_old_nomvc",
                       {{"cuda", *v.cuda}, {"direct", direct}, {"driver", d}});
      auto pos = std::find_if(o.reasons.begin(), o.reasons.end(), [](const Reason& x) { return x.gate > 1; });
      o.reasons.insert(pos, std::move(r));
    }
  } else if (*o.compat == Compat::minor && !c.ptx_only.empty()) {
    ok = false;
    if (with_reasons)
      for (auto& [gpu, ptx] : c.ptx_only)
        o.reasons.push_back(
            reason(2, "gpu-arch-not-in-torch-build", "plan.reason.ptx_needs_direct",
                   {{"gpu", gpu->label}, {"ptx", ptx}, {"cuda", *v.cuda}, {"direct", g->direct_text}}));
  }
  o.passed = ok;
  return o;
}

bool Rank::operator<(const Rank& o) const {
  return std::tie(release, compat, cuda) < std::tie(o.release, o.compat, o.cuda);
}

Rank rank_of(const Cand& c, Compat compat) {
  return {c.release_rank, compat == Compat::direct ? 0 : 1, -c.cuda_code};
}

}  // namespace gpuenv::plan::detail
