#include <algorithm>

#include "fleet/hostlist.hpp"
#include "fleet/render.hpp"
#include "i18n/width.hpp"
#include "render/style.hpp"

namespace gpuenv::fleet {

namespace {

using i18n::Catalog;

const char* kNone = "—";

std::string text(i18n::Lang lang, std::string_view id, const i18n::Args& args = {}) {
  return Catalog::builtin().text(lang, id, args);
}

std::string short_gpu_name(const std::string& name) {
  constexpr std::string_view prefix = "NVIDIA ";
  if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0)
    return name.substr(prefix.size());
  return name;
}

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string summary_line(const Fleet& f, i18n::Lang lang) {
  return text(lang, "fleet.summary",
              {{"nodes", nodes_phrase(f.rows.size(), lang)},
               {"ok", std::to_string(f.ok)},
               {"problems", std::to_string(f.problems)},
               {"nogpu", std::to_string(f.no_gpu)},
               {"unsurveyed", std::to_string(f.not_surveyed)}});
}

}  // namespace

RowCells row_cells(const NodeRow& r, i18n::Lang lang) {
  RowCells c{r.name, "", kNone, kNone, kNone, kNone, kNone, kNone};
  if (r.state != NodeState::surveyed || !r.report) {
    c.state = text(lang, std::string("fleet.state.") + state_name(r.state));
    return c;
  }
  const auto& rep = *r.report;
  c.state = text(lang, "fleet.status." + rep.status);
  if (!rep.gpus.empty()) {
    c.gpus.clear();
    for (auto& g : rep.gpus) {
      if (!c.gpus.empty()) c.gpus += ", ";
      c.gpus += std::to_string(g.count) + "× " + short_gpu_name(g.name);
    }
  }
  if (rep.driver_version) c.driver = *rep.driver_version;
  if (rep.cuda_max) c.cuda = *rep.cuda_max;
  if (rep.recommendation && rep.recommendation->torch) {
    const auto& rec = *rep.recommendation;
    c.torch = *rec.torch;
    if (rec.variant) c.torch += " " + *rec.variant;
    if (rec.compatibility == "minor") c.torch += text(lang, "fleet.cell.minor");
  }
  c.envs = std::to_string(rep.envs - rep.envs_broken) + "/" + std::to_string(rep.envs_broken);
  if (auto w = rep.worst()) {
    c.worst = w->id;
    auto more = rep.findings.size() - 1;
    if (more > 0) c.worst += " (+" + std::to_string(more) + ")";
  }
  return c;
}

std::string fleet_text(const Fleet& f, i18n::Lang lang, bool color) {
  render::Style st{color};
  std::string out = st.bold(summary_line(f, lang)) + "\n";
  if (!f.rows.empty()) {
    std::vector<RowCells> cells;
    cells.push_back({text(lang, "fleet.col.node"), text(lang, "fleet.col.state"),
                     text(lang, "fleet.col.gpus"), text(lang, "fleet.col.driver"),
                     text(lang, "fleet.col.cuda"), text(lang, "fleet.col.torch"),
                     text(lang, "fleet.col.envs"), text(lang, "fleet.col.worst")});
    for (auto& r : f.rows) cells.push_back(row_cells(r, lang));
    auto fields = [](RowCells& c) {
      return std::vector<std::string*>{&c.node, &c.state, &c.gpus, &c.driver,
                                       &c.cuda, &c.torch, &c.envs, &c.worst};
    };
    std::vector<std::size_t> width(8, 0);
    for (auto& c : cells) {
      auto fs = fields(c);
      for (std::size_t i = 0; i < fs.size(); ++i) width[i] = std::max(width[i], i18n::display_width(*fs[i]));
    }
    out += "\n";
    for (std::size_t row = 0; row < cells.size(); ++row) {
      auto fs = fields(cells[row]);
      std::string line;
      for (std::size_t i = 0; i < fs.size(); ++i) {
        std::string cell = i + 1 < fs.size() ? i18n::pad_right(*fs[i], width[i] + 2) : *fs[i];
        if (row == 0) {
          cell = st.bold(cell);
        } else if (i == 1) {
          const auto& r = f.rows[row - 1];
          auto s = r.status();
          cell = s == "problems" ? st.bad(cell) : s == "ok" ? st.ok(cell) : st.dim(cell);
        }
        line += cell;
      }
      out += rtrim(line) + "\n";
    }
  }
  if (!f.groups.empty()) {
    out += "\n" + st.bold(text(lang, "fleet.section.groups")) + "\n";
    for (auto& g : f.groups) {
      out += "  " + g.sentence(lang) + "\n";
      out += "      " + compress_hostlist(g.nodes) + "\n";
      if (!g.with_problems.empty())
        out += "      " +
               st.bad(text(lang, "fleet.group.problems",
                           {{"n", std::to_string(g.with_problems.size())},
                            {"nodes", compress_hostlist(g.with_problems)}})) +
               "\n";
    }
  }
  if (f.query) {
    out += "\n" + st.bold(text(lang, "fleet.section.query")) + "\n";
    std::string q = query_text(f, lang);
    for (std::size_t pos = 0; pos < q.size();) {
      auto nl = q.find('\n', pos);
      out += "  " + q.substr(pos, nl - pos) + "\n";
      pos = nl + 1;
    }
  }
  bool any_down =
      std::any_of(f.rows.begin(), f.rows.end(), [](auto& r) { return r.state != NodeState::surveyed; });
  if (any_down) {
    out += "\n" + st.bold(text(lang, "fleet.section.not_surveyed")) + "\n";
    for (auto& r : f.rows) {
      if (r.state == NodeState::surveyed) continue;
      out += "  " + r.name + ": " + text(lang, std::string("fleet.state.") + state_name(r.state));
      if (r.reason) out += " — " + r.reason->render(lang);
      out += "\n";
    }
  }
  if (!f.skipped.empty()) {
    out += "\n" + st.bold(text(lang, "fleet.section.skipped")) + "\n";
    for (auto& s : f.skipped) out += "  " + s.source + ": " + s.reason.render(lang) + "\n";
  }
  std::string status = text(lang, "fleet.status." + f.status);
  status = f.status == "problems" ? st.bad(status) : st.ok(status);
  out += "\n" + text(lang, "fleet.status_line", {{"status", status}}) + "\n";
  return out;
}

}  // namespace gpuenv::fleet
