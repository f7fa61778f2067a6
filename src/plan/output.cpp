#include "plan/output.hpp"

#include "facts/json.hpp"
#include "i18n/width.hpp"

namespace gpuenv::plan {

using oj = nlohmann::ordered_json;

namespace {

oj or_null(const std::optional<std::string>& v) {
  return v ? oj(*v) : oj(nullptr);
}

oj texts(const std::vector<i18n::Text>& v, i18n::Lang lang) {
  oj a = oj::array();
  for (auto& t : v) a.push_back(t.render(lang));
  return a;
}

oj step_json(const DriverStep& s) {
  return {{"driver", s.driver},
          {"branch_only", s.branch_only},
          {"torch", s.torch},
          {"variant", s.variant},
          {"compatibility", compat_name(s.compat)}};
}

oj advice_json(const DriverAdvice& a) {
  oj steps = oj::array();
  for (auto& s : a.steps) steps.push_back(step_json(s));
  return {
      {"current", or_null(a.current)},
      {"minimum", a.minimum.driver},
      {"branch_only", a.minimum.branch_only},
      {"unlocks",
       {{"torch", a.minimum.torch},
        {"variant", a.minimum.variant},
        {"compatibility", compat_name(a.minimum.compat)}}},
      {"legacy_branch", a.legacy_branch ? oj(*a.legacy_branch) : oj(nullptr)},
      {"steps", std::move(steps)},
      {"install", {{"os", a.install_os}, {"text", a.install_text.en()}, {"commands", a.install_commands}}}};
}

}  // namespace

oj recommendation_json(const Plan& p, i18n::Lang lang) {
  if (!p.recommendation) return nullptr;
  const Recommendation& r = *p.recommendation;
  oj j{{"torch", r.torch},
       {"variant", r.variant},
       {"torchvision", r.torchvision},
       {"torchaudio", or_null(r.torchaudio)},
       {"python", r.python},
       {"compatibility", r.compat ? oj(compat_name(*r.compat)) : oj(nullptr)},
       {"commands", {{"pip", r.commands.pip}, {"uv", r.commands.uv}, {"conda", r.commands.conda}}},
       {"driver_advice", p.driver_advice ? advice_json(*p.driver_advice) : oj(nullptr)},
       {"cuda", or_null(r.cuda)},
       {"cuda_toolkit", or_null(r.toolkit)},
       {"cudnn", or_null(r.cudnn)},
       {"index_url", r.index_url},
       {"conda_native", r.commands.conda_native},
       {"conda_note", r.commands.conda_note ? oj(r.commands.conda_note->en()) : oj(nullptr)},
       {"cuda_visible_devices", or_null(p.cuda_visible_devices)},
       {"warnings", texts(r.warnings, i18n::Lang::en)},
       {"notes", texts(r.notes, i18n::Lang::en)}};
  if (lang != i18n::Lang::en) {
    j["warnings_localized"] = texts(r.warnings, lang);
    j["notes_localized"] = texts(r.notes, lang);
  }
  return j;
}

oj plan_json(const Plan& p, const kb::KbMeta& kb, i18n::Lang lang) {
  const Request& q = p.request;
  oj gpus = oj::array();
  for (auto& g : q.gpus)
    gpus.push_back({{"index", g.index},
                    {"name", g.name},
                    {"compute_capability", g.cc.empty() ? oj(nullptr) : oj(g.cc)},
                    {"architecture", g.architecture.empty() ? oj(nullptr) : oj(g.architecture)}});
  oj alts = oj::array();
  for (auto& c : p.alternatives) {
    oj reasons = oj::array();
    for (auto& r : c.reasons) {
      oj x{{"gate", r.gate}, {"id", r.id}, {"text", r.text.en()}};
      if (lang != i18n::Lang::en) x["text_localized"] = r.text.render(lang);
      reasons.push_back(std::move(x));
    }
    alts.push_back({{"torch", c.torch},
                    {"variant", c.variant},
                    {"cuda", or_null(c.cuda)},
                    {"status", c.chosen   ? "chosen"
                               : c.passed ? "passed"
                                          : "rejected"},
                    {"compatibility", c.compat ? oj(compat_name(*c.compat)) : oj(nullptr)},
                    {"reasons", std::move(reasons)}});
  }
  oj served = oj::array();
  for (int i : p.served) served.push_back(q.gpus[static_cast<std::size_t>(i)].index);
  return {{"schema_version", facts::kSchemaVersion},
          {"kb", {{"version", kb.version}, {"date", kb.date}}},
          {"machine",
           {{"gpus", std::move(gpus)},
            {"driver", or_null(q.driver)},
            {"os", q.os == Os::windows ? "windows" : "linux"},
            {"wsl", q.wsl},
            {"os_id", q.os_id.empty() ? oj(nullptr) : oj(q.os_id)},
            {"arch", q.arch},
            {"platform", p.platform},
            {"python", or_null(q.python)}}},
          {"request",
           {{"torch", q.torch_spec.empty() ? oj(nullptr) : oj(q.torch_spec)}, {"cuda", or_null(q.cuda)}}},
          {"recommendation", recommendation_json(p, lang)},
          {"driver_advice", p.driver_advice ? advice_json(*p.driver_advice) : oj(nullptr)},
          {"served_gpus", std::move(served)},
          {"alternatives", std::move(alts)}};
}

oj recommend_for_report(const facts::Machine& m, const kb::KnowledgeBase& kb, const std::string& today) {
  Request req = request_from_machine(m, kb);
  req.today = today;
  return recommendation_json(make_plan(req, kb));
}

}  // namespace gpuenv::plan
