#include "render/matrix.hpp"

#include <algorithm>
#include <vector>

#include "facts/json.hpp"
#include "i18n/catalog.hpp"
#include "i18n/width.hpp"

namespace gpuenv::render {

using oj = nlohmann::ordered_json;
using i18n::tr;

namespace {

const std::vector<std::pair<std::string_view, std::vector<std::string_view>>>& sections() {
  static const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> s{
      {"torch", {"torch"}},
      {"cuda", {"cuda_releases", "cuda_families", "cuda_targets", "cudnn"}},
      {"drivers", {"driver_branches", "arch_support", "driver_install", "uv_torch_backends"}},
      {"gpus", {"gpus", "chips"}}};
  return s;
}

/// Rows of cells printed in columns padded to the widest cell (display width, so Japanese aligns).
struct Table {
  std::vector<std::vector<std::string>> rows;
  std::string str() const {
    std::vector<std::size_t> w;
    for (auto& r : rows)
      for (std::size_t i = 0; i < r.size(); ++i) {
        if (w.size() <= i) w.push_back(0);
        w[i] = std::max(w[i], i18n::display_width(r[i]));
      }
    std::string out;
    for (auto& r : rows) {
      std::string line = " ";
      for (std::size_t i = 0; i < r.size(); ++i)
        line += " " + (i + 1 < r.size() ? i18n::pad_right(r[i], w[i]) : r[i]);
      out += line + "\n";
    }
    return out;
  }
};

std::string opt(const std::optional<std::string>& v) {
  return v.value_or("—");
}

std::string wrapped(const std::string& text) {
  std::string out;
  for (auto& line : i18n::wrap(text, 96)) out += "  " + line + "\n";
  return out;
}

std::string heading(const char* id, const kb::TableSource& s) {
  std::string out =
      "\n" + tr(id) + "\n" + wrapped(tr("matrix.source", {{"source", s.source}, {"checked", s.checked}}));
  if (!s.note.empty()) out += wrapped(tr("matrix.note", {{"note", s.note}}));
  return out + "\n";
}

std::string torch_text(const kb::KnowledgeBase& kb) {
  std::string out = heading("matrix.torch.title", kb.torch_source);
  Table t;
  t.rows.push_back({tr("matrix.torch.version"), tr("matrix.torch.date"), "Python", "torchvision",
                    "torchaudio", tr("matrix.torch.builds")});
  for (auto s = kb.torch.rbegin(); s != kb.torch.rend(); ++s) {
    std::string builds;
    auto def = s->default_variant(kb::kLinuxX86);
    for (auto& v : s->variants) builds += (builds.empty() ? "" : " ") + v.name + (def == v.name ? "*" : "");
    std::string py = s->python.empty() ? "—" : s->python.front() + "–" + s->python.back();
    for (auto r = s->releases.rbegin(); r != s->releases.rend(); ++r)
      t.rows.push_back({r->version, r->date, py, r->torchvision, opt(r->torchaudio), builds});
  }
  out += t.str() + "  " + tr("matrix.torch.default") + "\n";
  for (auto s = kb.torch.rbegin(); s != kb.torch.rend(); ++s) {
    out += "\n  " + tr("matrix.torch.series", {{"series", s->series}}) + "\n";
    Table v;
    for (auto& x : s->variants) {
      if (!x.cuda) continue;
      std::string cuda = "CUDA " + *x.cuda + (x.toolkit ? " (" + *x.toolkit + ")" : "");
      std::string arch;
      for (auto& a : x.arch) arch += (arch.empty() ? "" : "  ") + a.platform + ": " + a.list.value_or("?");
      v.rows.push_back({x.name, cuda, "cuDNN " + opt(x.cudnn), arch});
    }
    out += v.str();
    if (!s->note.empty()) out += "    " + tr("matrix.note", {{"note", s->note}}) + "\n";
  }
  return out;
}

std::string cuda_text(const kb::KnowledgeBase& kb) {
  std::string out = heading("matrix.cuda.title", kb.cuda_releases_source);
  Table t;
  t.rows.push_back({"CUDA", tr("matrix.cuda.release"), "Linux x86_64", "Windows x86_64"});
  for (auto c = kb.cuda_releases.rbegin(); c != kb.cuda_releases.rend(); ++c)
    t.rows.push_back({c->cuda, c->label, "≥ " + opt(c->linux_driver),
                      c->windows_driver ? "≥ " + *c->windows_driver : "—"});
  out += t.str() + heading("matrix.cuda.families", kb.cuda_families_source);
  Table f;
  f.rows.push_back({"CUDA", "Linux x86_64", "Windows x86_64"});
  for (auto& x : kb.cuda_families) {
    std::string range = std::to_string(x.major) + "." + std::to_string(x.minor_min);
    range += x.minor_max ? (*x.minor_max == x.minor_min
                                ? ""
                                : "–" + std::to_string(x.major) + "." + std::to_string(*x.minor_max))
                         : "+";
    f.rows.push_back({range, "≥ " + x.linux_driver, "≥ " + x.windows_driver});
  }
  out += f.str() + heading("matrix.cuda.targets", kb.cuda_targets_source);
  Table g;
  for (auto c = kb.cuda_targets.rbegin(); c != kb.cuda_targets.rend(); ++c) {
    std::string sm;
    for (int x : c->sm) sm += (sm.empty() ? "sm_" : " ") + std::to_string(x);
    g.rows.push_back({c->cuda, sm});
  }
  out += g.str() + heading("matrix.cudnn.title", kb.cudnn_source);
  Table d;
  d.rows.push_back({"cuDNN", tr("matrix.cudnn.for"), "CUDA", "Linux", "Windows", "CC"});
  for (auto c = kb.cudnn.rbegin(); c != kb.cudnn.rend(); ++c)
    d.rows.push_back({c->version, c->for_cuda, c->cuda_min + "–" + c->cuda_max, opt(c->linux_driver),
                      opt(c->windows_driver), c->cc_min + "–" + c->cc_max});
  return out + d.str();
}

std::string drivers_text(const kb::KnowledgeBase& kb) {
  std::string out = heading("matrix.drivers.title", kb.driver_branches_source);
  Table t;
  t.rows.push_back({tr("matrix.drivers.branch"), tr("matrix.drivers.cuda")});
  for (auto b = kb.driver_branches.rbegin(); b != kb.driver_branches.rend(); ++b)
    t.rows.push_back({"R" + std::to_string(b->branch), b->cuda_max});
  out += t.str() + heading("matrix.drivers.support", kb.arch_support_source);
  Table a;
  a.rows.push_back({tr("matrix.gpus.architecture"), tr("matrix.drivers.which"), tr("matrix.drivers.first"),
                    tr("matrix.drivers.last")});
  for (auto& x : kb.arch_support) {
    std::string which;
    for (auto& c : x.chips) which += (which.empty() ? "" : " ") + c;
    for (auto& c : x.ccs) which += (which.empty() ? "" : " ") + c;
    a.rows.push_back({x.architecture, which.empty() ? tr("matrix.drivers.all") : which,
                      x.min_branch ? "R" + std::to_string(*x.min_branch) : "—",
                      x.last_branch ? "R" + std::to_string(*x.last_branch) : "—"});
  }
  return out + a.str();
}

std::string gpus_text(const kb::KnowledgeBase& kb) {
  std::string out = heading("matrix.gpus.title", kb.gpus_source);
  Table t;
  t.rows.push_back(
      {"PCI", tr("matrix.gpus.name"), tr("matrix.gpus.architecture"), "CC", tr("matrix.gpus.memory")});
  for (auto& g : kb.gpus)
    t.rows.push_back({g.pci_device_id, g.name, g.architecture, g.compute_capability,
                      g.memory_mib ? std::to_string(*g.memory_mib) + " MiB" : "—"});
  return out + t.str();
}

}  // namespace

bool matrix_section_known(std::string_view section) {
  if (section.empty()) return true;
  return std::any_of(sections().begin(), sections().end(), [&](auto& s) { return s.first == section; });
}

oj matrix_json(const kb::KnowledgeBase& kb, std::string_view section) {
  oj all = kb.to_json();
  oj out{{"schema_version", facts::kSchemaVersion}, {"meta", all["meta"]}, {"tables", oj::object()}};
  for (auto& [name, tables] : sections())
    if (section.empty() || section == name)
      for (auto t : tables)
        if (all["tables"].contains(t)) out["tables"][std::string(t)] = all["tables"][std::string(t)];
  return out;
}

std::string matrix_text(const kb::KnowledgeBase& kb, std::string_view section) {
  std::string out = tr("matrix.header", {{"version", kb.meta.version}, {"date", kb.meta.date}}) + "\n";
  if (section.empty() || section == "torch") out += torch_text(kb);
  if (section.empty() || section == "cuda") out += cuda_text(kb);
  if (section.empty() || section == "drivers") out += drivers_text(kb);
  if (section.empty() || section == "gpus") out += gpus_text(kb);
  return out;
}

}  // namespace gpuenv::render
