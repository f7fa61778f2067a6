// The plan as text: what to install and how, the driver that unlocks better builds, why the other
// candidates were not chosen, and what is wrong when nothing fits. Every word comes from the
// catalog (data/messages/plan.json); commands are printed whole, never wrapped.
#include <algorithm>

#include "i18n/width.hpp"
#include "plan/output.hpp"

namespace gpuenv::plan {

namespace {

using i18n::tr;

struct Out {
  std::string s;
  std::size_t width;
  /// `text` wrapped at the width, first line after `first`, the rest indented by `indent` spaces.
  void para(const std::string& first, const std::string& text, std::size_t indent) {
    std::size_t margin = std::max(indent, i18n::display_width(first));
    std::size_t w = width > margin + 20 ? width - margin : 20;
    auto lines = i18n::wrap(text, w);
    for (std::size_t i = 0; i < lines.size(); ++i)
      s += (i == 0 ? first : std::string(indent, ' ')) + lines[i] + "\n";
  }
  void line(const std::string& text) { s += text + "\n"; }
};

std::string header(const Plan& p) {
  const Request& q = p.request;
  std::string gpus;
  for (auto& g : q.gpus)
    gpus += (gpus.empty() ? "" : ", ") + g.name + (g.cc.empty() ? "" : " (" + g.cc + ")");
  if (gpus.empty()) gpus = tr("plan.text.no_gpu");
  std::string driver = q.driver ? tr("plan.text.driver", {{"driver", *q.driver}}) : tr("plan.text.no_driver");
  std::string python = q.python ? "Python " + *q.python : tr("plan.text.any_python");
  std::string os = p.platform + (q.wsl ? " (WSL2)" : "");
  return tr("plan.text.header", {{"gpus", gpus}, {"driver", driver}, {"os", os}, {"python", python}});
}

void recommendation(Out& o, const Plan& p, const TextOptions& opt) {
  const Recommendation& r = *p.recommendation;
  std::string what =
      r.cuda ? tr("plan.text.recommended_cuda", {{"torch", r.torch},
                                                 {"variant", r.variant},
                                                 {"cuda", *r.cuda},
                                                 {"compat", compat_name(r.compat.value_or(Compat::direct))}})
             : tr("plan.text.recommended_cpu", {{"torch", r.torch}});
  std::string pair =
      r.torchaudio ? tr("plan.text.pair", {{"torchvision", r.torchvision}, {"torchaudio", *r.torchaudio}})
                   : tr("plan.text.pair_no_audio", {{"torchvision", r.torchvision}});
  o.para("", what + ", " + pair, 2);
  for (auto& w : r.warnings) o.para(tr("plan.text.warning"), w.localized(), 2);
  o.line("");
  auto cmd = [&](const char* name, const std::string& c) {
    if (!opt.installer || *opt.installer == name) o.line("  " + i18n::pad_right(name, 6) + c);
  };
  cmd("pip", r.commands.pip);
  cmd("uv", r.commands.uv);
  if (!opt.installer || *opt.installer == "conda") {
    if (r.commands.conda_note)
      o.para("  " + i18n::pad_right("conda", 6), r.commands.conda_note->localized(), 8);
    o.line(std::string(r.commands.conda_note ? "        " : "  conda ") + r.commands.conda);
  }
  if (p.cuda_visible_devices)
    o.line("  " + tr("plan.text.select_gpus") +
           " CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=" + *p.cuda_visible_devices);
  for (auto& n : r.notes) o.para(tr("plan.text.note"), n.localized(), 2);
}

void advice(Out& o, const DriverAdvice& a) {
  o.line("");
  const DriverStep& m = a.minimum;
  if (a.legacy_branch)
    o.para("",
           tr("plan.text.advice_legacy", {{"branch", m.driver}, {"torch", m.torch}, {"variant", m.variant}}),
           2);
  else
    o.para("",
           tr(m.branch_only ? "plan.text.advice_branch" : "plan.text.advice",
              {{"driver", m.driver}, {"torch", m.torch}, {"variant", m.variant}}),
           2);
  if (a.steps.size() > 1 || !a.legacy_branch)
    for (auto& s : a.steps)
      o.line("  " + i18n::pad_right("≥ " + s.driver, 14) +
             tr("plan.text.step",
                {{"torch", s.torch}, {"variant", s.variant}, {"compat", compat_name(s.compat)}}));
  if (!a.install_os.empty()) o.para("  ", a.install_text.localized(), 2);
  for (auto& c : a.install_commands) o.line("    " + c);
}

void alternatives(Out& o, const Plan& p) {
  bool any = false;
  std::size_t hidden = 0;
  for (auto& c : p.alternatives) {
    if (c.chosen || c.reasons.empty()) continue;
    // Without a recommendation every candidate failed: the newest release's tell why; the rest
    // are in --json.
    if (!p.recommendation && c.torch != p.alternatives.front().torch) {
      ++hidden;
      continue;
    }
    if (!any) o.line("\n" + tr("plan.text.not_chosen"));
    any = true;
    std::string texts;
    for (auto& r : c.reasons) texts += (texts.empty() ? "" : "; ") + r.text.localized();
    o.para("  torch " + c.torch + " + " + c.variant + ": ", texts, 4);
  }
  if (hidden) o.line("  " + tr("plan.text.more_candidates", {{"n", std::to_string(hidden)}}));
}

void findings(Out& o, const Plan& p) {
  for (auto& f : p.findings) {
    o.line("");
    const char* prefix = f.severity == rules::Severity::error     ? "plan.text.error"
                         : f.severity == rules::Severity::warning ? "plan.text.warning"
                                                                  : "plan.text.info";
    o.para(tr(prefix), f.title.localized(), 2);
    o.para("  ", f.explanation.localized(), 2);
    for (auto& fix : f.fixes) {
      o.para("  " + tr("plan.text.hint"), fix.text.localized(), 4);
      for (auto& c : fix.commands) o.line("    " + c);
    }
  }
}

}  // namespace

std::string plan_text(const Plan& p, const TextOptions& opt) {
  Out o{"", opt.width};
  o.para("", header(p), 2);
  o.line("");
  if (p.recommendation)
    recommendation(o, p, opt);
  else
    o.line(tr("plan.text.nothing"));
  if (p.driver_advice) advice(o, *p.driver_advice);
  alternatives(o, p);
  findings(o, p);
  return o.s;
}

}  // namespace gpuenv::plan
