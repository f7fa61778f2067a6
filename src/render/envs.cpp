#include "render/envs.hpp"

#include <algorithm>

#include "facts/json.hpp"
#include "i18n/width.hpp"
#include "render/style.hpp"
#include "render/warnings.hpp"
#include "rules/readiness.hpp"

namespace gpuenv::render {

using i18n::tr;
using oj = nlohmann::ordered_json;

namespace {

std::string kind_text(const std::string& kind) {
  std::string id = "envs.kind." + kind;
  return i18n::Catalog::builtin().has(id) ? tr(id) : kind;
}

// "2.5.1+cu124", "2.6.0 [cu124]", "1.13.0a0 [cpu]": the variant only when the version does not say it.
std::string torch_cell(const rules::EnvReadiness& r) {
  if (!r.torch) return "-";
  std::string v = r.torch->version.value_or("?");
  if (r.torch->variant && v.find("+" + *r.torch->variant) == std::string::npos)
    v += " [" + *r.torch->variant + "]";
  if (r.shadowing) v += " *";
  return v;
}

std::string marker(rules::Readiness s, const Style& st) {
  switch (s) {
    case rules::Readiness::ready:
      return st.ok("✓");
    case rules::Readiness::minor_compat:
      return st.warn("!");
    case rules::Readiness::not_ready:
      return st.bad("✗");
    case rules::Readiness::unknown:
      return "?";
    case rules::Readiness::no_torch:
      return "-";
  }
  return "?";
}

std::vector<std::string> notes(const facts::PythonEnv& e, const rules::EnvReadiness& r) {
  std::vector<std::string> out;
  if (e.active) {
    std::string how;
    for (auto& f : e.found_by)
      if (f.starts_with("$")) how += (how.empty() ? "" : ", ") + f;
    out.push_back(tr("envs.note.active", {{"how", how}}));
  }
  if (e.kind == "conda" && e.name) out.push_back(tr("envs.note.conda_name", {{"name", *e.name}}));
  if (e.base_missing && e.base_interpreter)
    out.push_back(tr("envs.note.base_missing", {{"base", *e.base_interpreter}}));
  if (r.shadowing)
    out.push_back(tr("envs.note.shadowed", {{"version", r.torch->version.value_or("?")},
                                            {"path", r.shadowing->path},
                                            {"via", r.shadowing->via}}));
  for (auto& v : e.also_visible) {
    if (v.name != "torch" || &v == r.shadowing) continue;
    out.push_back(tr("envs.note.other_copy",
                     {{"version", v.package.version.value_or("?")}, {"path", v.path}, {"via", v.via}}));
  }
  // The probe's warnings about the environment itself; a gone base interpreter is said above already.
  for (auto& w : e.warnings) {
    bool said = e.base_missing && e.base_interpreter &&
                (w.id == "warning.env.base_missing" ||
                 (w.id.empty() && w.message.find(*e.base_interpreter) != std::string::npos));
    if (!said) out.push_back(tr("warning.report.env", {{"message", warning_message(w, i18n::language())}}));
  }
  if (!e.kernels.empty()) {
    std::string ks;
    for (auto& k : e.kernels) ks += (ks.empty() ? "" : ", ") + k;
    out.push_back(tr("envs.note.kernels", {{"kernels", ks}}));
  }
  return out;
}

}  // namespace

std::string envs_text(const facts::Machine& m, const TextOptions& opt) {
  Style st{opt.color};
  std::string s = st.bold(tr("envs.title", {{"n", std::to_string(m.python_envs.size())}})) + "\n";
  if (m.python_envs.empty()) return s + "  " + tr("envs.none") + "\n";
  struct Row {
    std::vector<std::string> cells;
    std::string gpu;
    std::vector<std::string> notes;
  };
  std::vector<Row> rows;
  std::size_t ready = 0;
  for (auto& e : m.python_envs) {
    auto r = rules::env_readiness(e, m, opt.kb);
    if (r.state == rules::Readiness::ready || r.state == rules::Readiness::minor_compat) ++ready;
    rows.push_back({{e.path, kind_text(e.kind), e.python.value_or("?"), torch_cell(r)},
                    marker(r.state, st) + " " + r.reason.localized(),
                    notes(e, r)});
    if (opt.verbose)
      for (auto& f : e.found_by) rows.back().notes.push_back(f);
  }
  const std::vector<std::string> header = {tr("envs.col.path"), tr("envs.col.kind"), tr("envs.col.python"),
                                           tr("envs.col.torch")};
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = i18n::display_width(header[c]);
    for (auto& r : rows) width[c] = std::max(width[c], i18n::display_width(r.cells[c]));
  }
  auto line = [&](const std::vector<std::string>& cells, const std::string& last) {
    std::string l = "  ";
    for (std::size_t c = 0; c < cells.size(); ++c) l += i18n::pad_right(cells[c], width[c]) + "  ";
    return l + last + "\n";
  };
  s += st.dim(line(header, tr("envs.col.gpu")));
  for (auto& r : rows) {
    s += line(r.cells, r.gpu);
    for (auto& n : r.notes)
      for (auto& l : i18n::wrap(n, opt.width > 10 ? opt.width - 6 : 40)) s += "      " + st.dim(l) + "\n";
  }
  s += "\n" +
       tr("envs.summary", {{"ready", std::to_string(ready)}, {"n", std::to_string(m.python_envs.size())}}) +
       "\n";
  std::vector<const facts::ProbeWarning*> warnings;
  for (auto& w : m.warnings)
    if (w.probe == "python" || w.probe == "jupyter") warnings.push_back(&w);
  if (!warnings.empty() && !opt.verbose)
    s += tr("envs.probe_warnings.hint", {{"n", std::to_string(warnings.size())}}) + "\n";
  if (!warnings.empty() && opt.verbose) {
    s += tr("envs.probe_warnings") + "\n";
    for (auto* w : warnings)
      s += "  " + st.warn(w->path) + ": " + warning_message(*w, i18n::language()) + "\n";
  }
  return s;
}

oj envs_json(const facts::Machine& m, i18n::Lang lang, const kb::KnowledgeBase* kb) {
  oj envs = oj::array();
  for (auto& e : m.python_envs) {
    auto j = facts::to_json(e);
    auto r = rules::env_readiness(e, m, kb);
    oj ready{{"state", rules::readiness_name(r.state)}, {"reason", r.reason.en()}};
    if (lang != i18n::Lang::en) ready["reason_localized"] = r.reason.render(lang);
    j["gpu_ready"] = ready;
    localize_env_warnings(j, e, lang);
    envs.push_back(std::move(j));
  }
  return oj{{"schema_version", facts::kSchemaVersion}, {"python_envs", envs}};
}

}  // namespace gpuenv::render
