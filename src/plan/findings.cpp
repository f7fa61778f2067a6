#include "plan/findings.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "facts/dotted.hpp"
#include "plan/torch_spec.hpp"

namespace gpuenv::plan {

namespace {

using facts::compare_dotted;
using rules::Finding;
using rules::Severity;

Finding finding(const std::string& id, Severity sev, i18n::Text title, i18n::Text explanation) {
  Finding f;
  f.id = id;
  f.severity = sev;
  f.title = std::move(title);
  f.explanation = std::move(explanation);
  return f;
}

std::string torch_label(const Request& req) {
  return req.torch_spec.empty() ? std::string("torch") : "torch " + req.torch_spec;
}

/// Days from 1970-01-01 of "YYYY-MM-DD"; nullopt when it is not such a date.
std::optional<long> days_of(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  try {
    std::chrono::year_month_day ymd{std::chrono::year{std::stoi(date.substr(0, 4))},
                                    std::chrono::month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
                                    std::chrono::day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days{ymd}.time_since_epoch().count();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string newest_python(const kb::KnowledgeBase& kb) {
  const std::string* best = nullptr;
  for (auto& s : kb.torch)
    for (auto& py : s.python)
      if (!best || kb::version_less(*best, py)) best = &py;
  return best ? *best : std::string();
}

void outdated(Plan& p, const char* text_id, std::vector<std::pair<std::string, std::string>> args,
              std::string evidence) {
  Finding f = finding("kb-outdated", Severity::info, {"plan.finding.kb_outdated.title", {}},
                      {text_id, std::move(args)});
  f.evidence.push_back(std::move(evidence));
  f.fixes.push_back({{"plan.finding.kb_outdated.fix", {}}, {}});
  p.findings.push_back(std::move(f));
}

}  // namespace

void add_outdated_findings(Plan& p, const kb::KnowledgeBase& kb, const facts::Pep440SpecifierSet& spec) {
  const Request& req = p.request;
  if (req.driver) {
    auto d = facts::Dotted::parse(*req.driver);
    if (d && kb.newest_branch() && d->major() > kb.newest_branch() + 4)
      outdated(p, "plan.finding.kb_outdated.driver",
               {{"driver", *req.driver}, {"branch", std::to_string(kb.newest_branch())}},
               "driver " + *req.driver);
  }
  std::string newest = kb.newest_torch();
  for (auto& t : req.installed_torch)
    if (!newest.empty() && compare_dotted(t.substr(0, t.find('+')), newest) > 0)
      outdated(p, "plan.finding.kb_outdated.torch", {{"version", t}, {"newest", newest}}, "torch " + t);
  std::string cuda = kb.newest_cuda();
  for (auto& t : req.installed_toolkits) {
    auto v = facts::Dotted::parse(t);
    if (v && v->parts.size() >= 2 && !cuda.empty() &&
        compare_dotted(std::to_string(v->major()) + "." + std::to_string(v->minor()), cuda) > 0)
      outdated(p, "plan.finding.kb_outdated.cuda", {{"version", t}, {"newest", cuda}}, "CUDA toolkit " + t);
  }
  std::string py = newest_python(kb);
  if (req.python && !py.empty() && compare_dotted(*req.python, py) > 0)
    outdated(p, "plan.finding.kb_outdated.python", {{"python", *req.python}, {"newest", py}},
             "Python " + *req.python);
  if (auto low = spec_lower_bound(spec); low && !newest.empty()) {
    if (compare_dotted(*low, newest) > 0)
      outdated(p, "plan.finding.kb_outdated.spec", {{"spec", req.torch_spec}, {"newest", newest}},
               "--torch " + req.torch_spec);
  }
  auto today = days_of(req.today), checked = days_of(kb.meta.date);
  if (today && checked && *today - *checked > 183)
    outdated(p, "plan.finding.kb_outdated.age", {{"date", kb.meta.date}, {"today", req.today}},
             "knowledge base " + kb.meta.version + " (" + kb.meta.date + ")");
}

void add_no_release_finding(Plan& p, const kb::KnowledgeBase& kb) {
  std::string oldest =
      kb.torch.empty() || kb.torch.front().releases.empty() ? "" : kb.torch.front().releases.front().version;
  p.findings.push_back(finding("torch-version-unknown", Severity::error,
                               {"plan.finding.torch_version_unknown.title", {{"spec", p.request.torch_spec}}},
                               {"plan.finding.torch_version_unknown.explanation",
                                {{"oldest", oldest}, {"newest", kb.newest_torch()}}}));
}

void add_no_variant_finding(Plan& p, const kb::KnowledgeBase&, const std::vector<ReleaseRef>& rels) {
  std::set<std::string> names;
  for (auto& r : rels)
    for (auto& v : r.series->variants)
      if (v.cuda) names.insert(v.name);
  std::string list;
  for (auto& n : names) list += (list.empty() ? "" : ", ") + n;
  p.findings.push_back(finding("cuda-variant-unavailable", Severity::error,
                               {"plan.finding.cuda_variant_unavailable.title",
                                {{"torch", torch_label(p.request)}, {"cuda", p.request.cuda.value_or("")}}},
                               {"plan.finding.cuda_variant_unavailable.explanation",
                                {{"torch", torch_label(p.request)}, {"variants", list}}}));
}

void add_failure_findings(Plan& p, const kb::KnowledgeBase& kb) {
  const Request& req = p.request;
  if (p.alternatives.empty()) return;
  // The ids every candidate fails on, in gate order; else the newest release's first reasons.
  std::vector<const Reason*> chosen;
  std::set<std::string> seen;
  const auto& alts = p.alternatives;
  for (auto& r : alts.front().reasons) {
    bool everywhere = std::all_of(alts.begin(), alts.end(), [&](const Candidate& c) {
      return std::any_of(c.reasons.begin(), c.reasons.end(), [&](const Reason& x) { return x.id == r.id; });
    });
    if (everywhere && seen.insert(r.id).second) chosen.push_back(&r);
  }
  if (chosen.empty())
    for (auto& c : alts)
      if (c.torch == alts.front().torch && !c.reasons.empty() && seen.insert(c.reasons.front().id).second)
        chosen.push_back(&c.reasons.front());
  for (const Reason* r : chosen) {
    std::string key = r->id;
    std::replace(key.begin(), key.end(), '-', '_');
    Finding f = finding(r->id, Severity::error,
                        {"plan.finding." + key + ".title",
                         {{"torch", torch_label(req)},
                          {"python", req.python.value_or("")},
                          {"driver", req.driver.value_or("")},
                          {"platform", p.platform}}},
                        r->text);
    if (req.driver) f.evidence.push_back("driver " + *req.driver);
    for (auto& g : req.gpus) f.evidence.push_back("GPU " + g.name + (g.cc.empty() ? "" : " (" + g.cc + ")"));
    if (req.python) f.evidence.push_back("Python " + *req.python);
    rules::Fix fix{{"plan.finding." + key + ".fix", {{"python", req.python.value_or("")}}}, {}};
    if (r->id == "python-unsupported-by-torch" && req.python) {
      // The newest release (whatever the spec) with wheels for this Python, if any.
      for (auto s = kb.torch.rbegin(); s != kb.torch.rend(); ++s)
        if (std::find(s->python.begin(), s->python.end(), *req.python) != s->python.end()) {
          fix.text = {"plan.finding.python_unsupported_by_torch.fix_newer",
                      {{"python", *req.python}, {"torch", s->releases.back().version}}};
          break;
        }
    }
    bool by_driver = p.driver_advice && (r->gate <= 1 || r->text.id == "plan.reason.ptx_needs_direct");
    if (by_driver) fix.text = p.driver_advice->install_text;
    if (by_driver) fix.commands = p.driver_advice->install_commands;
    f.fixes.push_back(std::move(fix));
    p.findings.push_back(std::move(f));
  }
}

void add_subset_note(Plan& p, Recommendation& r) {
  std::string served, excluded;
  for (std::size_t i = 0; i < p.request.gpus.size(); ++i) {
    bool in = std::find(p.served.begin(), p.served.end(), static_cast<int>(i)) != p.served.end();
    auto& g = p.request.gpus[i];
    std::string& list = in ? served : excluded;
    list += (list.empty() ? "" : ", ") + std::to_string(g.index) + ": " + g.name;
  }
  r.notes.push_back(
      {"plan.note.subset",
       {{"served", served}, {"excluded", excluded}, {"devices", p.cuda_visible_devices.value_or("")}}});
}

}  // namespace gpuenv::plan
