#include "facts/json.hpp"
#include "fleet/hostlist.hpp"
#include "fleet/render.hpp"

namespace gpuenv::fleet {

namespace {

using oj = nlohmann::ordered_json;
using i18n::Catalog;

oj opt(const Opt& v) {
  return v ? oj(*v) : oj(nullptr);
}

std::string text(i18n::Lang lang, std::string_view id, const i18n::Args& args = {}) {
  return Catalog::builtin().text(lang, id, args);
}

oj recommendation_json(const std::optional<Recommendation>& rec) {
  if (!rec) return nullptr;
  oj advice = nullptr;
  if (rec->driver_advice)
    advice = {{"minimum", opt(rec->advice_driver)},
              {"torch", opt(rec->advice_torch)},
              {"variant", opt(rec->advice_variant)}};
  return oj{{"torch", opt(rec->torch)},
            {"variant", opt(rec->variant)},
            {"compatibility", opt(rec->compatibility)},
            {"driver_advice", advice}};
}

void add_text(oj& j, const char* key, const i18n::Text& t, i18n::Lang lang) {
  j[key] = t.en();
  if (lang != i18n::Lang::en) j[std::string(key) + "_localized"] = t.render(lang);
}

oj node_json(const NodeRow& r, i18n::Lang lang) {
  oj j{{"name", r.name}, {"source", r.source}, {"state", state_name(r.state)}, {"status", r.status()}};
  if (r.reason)
    add_text(j, "reason", *r.reason, lang);
  else
    j["reason"] = nullptr;
  if (r.verdict) {
    const auto& v = *r.verdict;
    oj q{{"can", v.can},
         {"torch", v.can ? oj(v.torch) : oj(nullptr)},
         {"variant", v.can ? oj(v.variant) : oj(nullptr)},
         {"compatibility", opt(v.compat)},
         {"cuda_visible_devices", opt(v.cuda_visible_devices)}};
    oj reasons = oj::array();
    for (auto& reason : v.reasons) {
      oj rj{{"id", reason.id}};
      add_text(rj, "text", reason.text, lang);
      reasons.push_back(std::move(rj));
    }
    q["reasons"] = std::move(reasons);
    q["driver_hint"] = opt(v.driver_hint);
    j["query"] = std::move(q);
  }
  if (!r.report) {
    j["report"] = nullptr;
    return j;
  }
  const auto& rep = *r.report;
  oj gpus = oj::array();
  for (auto& g : rep.gpus)
    gpus.push_back({{"name", g.name},
                    {"compute_capability", opt(g.compute_capability)},
                    {"architecture", opt(g.architecture)},
                    {"memory_mib", g.memory_mib ? oj(*g.memory_mib) : oj(nullptr)},
                    {"count", g.count}});
  const auto* w = rep.worst();
  j["report"] =
      oj{{"host", opt(rep.host)},
         {"diagnosed_here", rep.diagnosed_here},
         {"tool_version", opt(rep.tool_version)},
         {"kb_version", opt(rep.kb_version)},
         {"os", opt(rep.os)},
         {"arch", opt(rep.arch)},
         {"gpu_count", rep.gpu_count},
         {"gpus", gpus},
         {"driver", opt(rep.driver_version)},
         {"cuda_max", opt(rep.cuda_max)},
         {"recommendation", recommendation_json(rep.recommendation)},
         {"envs", {{"total", rep.envs}, {"broken", rep.envs_broken}}},
         {"findings",
          {{"error", rep.count("error")}, {"warning", rep.count("warning")}, {"info", rep.count("info")}}},
         {"worst_finding", w ? oj{{"id", w->id}, {"severity", w->severity}} : oj(nullptr)}};
  return j;
}

std::string md_escape(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

}  // namespace

oj fleet_json(const Fleet& f, i18n::Lang lang, const std::string& tool_version) {
  oj nodes = oj::array();
  for (auto& r : f.rows) nodes.push_back(node_json(r, lang));
  oj groups = oj::array();
  for (auto& g : f.groups) {
    const char* kind = g.kind == Group::Kind::gpu      ? "gpu"
                       : g.kind == Group::Kind::no_gpu ? "no-gpu"
                                                       : "not-surveyed";
    oj j{{"kind", kind},
         {"state", g.kind == Group::Kind::not_surveyed ? oj(state_name(g.state)) : oj(nullptr)},
         {"driver_branch", opt(g.driver_branch)},
         {"cuda_max", opt(g.cuda_max)},
         {"recommendation", recommendation_json(g.recommendation)},
         {"nodes", g.nodes},
         {"hostlist", compress_hostlist(g.nodes)},
         {"with_problems", g.with_problems},
         {"text", g.sentence(i18n::Lang::en)}};
    if (lang != i18n::Lang::en) j["text_localized"] = g.sentence(lang);
    groups.push_back(std::move(j));
  }
  oj skipped = oj::array();
  for (auto& s : f.skipped) {
    oj j{{"source", s.source}};
    add_text(j, "reason", s.reason, lang);
    skipped.push_back(std::move(j));
  }
  oj query = nullptr;
  if (f.query) {
    std::vector<std::string> can, cannot, unasked;
    for (auto& r : f.rows) (!r.verdict ? unasked : r.verdict->can ? can : cannot).push_back(r.name);
    query = {{"torch", f.query->spec.empty() ? oj(nullptr) : oj(f.query->spec)},
             {"variant", opt(f.query->variant)},
             {"can", can},
             {"cannot", cannot},
             {"not_asked", unasked},
             {"text", query_title(f, i18n::Lang::en)}};
    if (lang != i18n::Lang::en) query["text_localized"] = query_title(f, lang);
  }
  return oj{{"schema_version", facts::kSchemaVersion},
            {"tool", {{"name", "gpuenv"}, {"version", tool_version}}},
            {"status", f.status},
            {"query", query},
            {"summary",
             {{"nodes", f.rows.size()},
              {"ok", f.ok},
              {"problems", f.problems},
              {"no_gpu", f.no_gpu},
              {"not_surveyed", f.not_surveyed},
              {"skipped_inputs", f.skipped.size()}}},
            {"nodes", nodes},
            {"groups", groups},
            {"skipped", skipped}};
}

std::string fleet_markdown(const Fleet& f, i18n::Lang lang) {
  std::string out = "## " +
                    text(lang, "fleet.summary",
                         {{"nodes", nodes_phrase(f.rows.size(), lang)},
                          {"ok", std::to_string(f.ok)},
                          {"problems", std::to_string(f.problems)},
                          {"nogpu", std::to_string(f.no_gpu)},
                          {"unsurveyed", std::to_string(f.not_surveyed)}}) +
                    "\n";
  if (!f.rows.empty()) {
    out += "\n| " + text(lang, "fleet.col.node") + " | " + text(lang, "fleet.col.state") + " | " +
           text(lang, "fleet.col.gpus") + " | " + text(lang, "fleet.col.driver") + " | " +
           text(lang, "fleet.col.cuda") + " | " + text(lang, "fleet.col.torch") + " | " +
           text(lang, "fleet.col.envs") + " | " + text(lang, "fleet.col.worst") + " |\n";
    out += "|---|---|---|---|---|---|---|---|\n";
    for (auto& r : f.rows) {
      auto c = row_cells(r, lang);
      std::string worst = c.worst;
      if (worst != "—") {
        auto more = worst.find(" (+");  // "torch-cpu-build (+1)": only the id is code
        worst = "`" + worst.substr(0, more) + "`" + (more == std::string::npos ? "" : worst.substr(more));
      }
      out += "| " + md_escape(c.node) + " | " + md_escape(c.state) + " | " + md_escape(c.gpus) + " | " +
             md_escape(c.driver) + " | " + md_escape(c.cuda) + " | " + md_escape(c.torch) + " | " +
             md_escape(c.envs) + " | " + md_escape(worst) + " |\n";
    }
  }
  if (!f.groups.empty()) {
    out += "\n### " + text(lang, "fleet.section.groups") + "\n\n";
    for (auto& g : f.groups) {
      out += "- " + g.sentence(lang) + ": `" + compress_hostlist(g.nodes) + "`";
      if (!g.with_problems.empty())
        out += " (" +
               text(lang, "fleet.group.problems",
                    {{"n", std::to_string(g.with_problems.size())},
                     {"nodes", compress_hostlist(g.with_problems)}}) +
               ")";
      out += "\n";
    }
  }
  if (f.query) {
    out += "\n### " + text(lang, "fleet.section.query") + "\n\n" + query_title(f, lang) + "\n\n";
    for (auto& g : query_groups(f))
      out += "- " + text(lang, g.verdict.can ? "fleet.query.can" : "fleet.query.cannot") + " `" +
             compress_hostlist(g.nodes) + "`: " + query_detail(g.verdict, lang) + "\n";
  }
  bool header = false;
  for (auto& r : f.rows) {
    if (r.state == NodeState::surveyed) continue;
    if (!header) out += "\n### " + text(lang, "fleet.section.not_surveyed") + "\n\n";
    header = true;
    out += "- **" + r.name + "** " + text(lang, std::string("fleet.state.") + state_name(r.state));
    if (r.reason) out += ": " + r.reason->render(lang);
    out += "\n";
  }
  if (!f.skipped.empty()) {
    out += "\n### " + text(lang, "fleet.section.skipped") + "\n\n";
    for (auto& s : f.skipped) out += "- `" + s.source + "`: " + s.reason.render(lang) + "\n";
  }
  out += "\n" +
         text(lang, "fleet.status_line", {{"status", "**" + text(lang, "fleet.status." + f.status) + "**"}}) +
         "\n";
  return out;
}

}  // namespace gpuenv::fleet
