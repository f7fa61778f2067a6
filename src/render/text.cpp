#include <string>

#include "i18n/catalog.hpp"
#include "i18n/width.hpp"
#include "render/report.hpp"
#include "render/style.hpp"

namespace gpuenv::render {

using i18n::tr;

namespace {

std::string gib(std::int64_t mib) {
  // 24576 MiB → "24 GiB"; 143771 MiB → "140.4 GiB"
  double g = static_cast<double>(mib) / 1024.0;
  char buf[32];
  if (mib % 1024 == 0)
    std::snprintf(buf, sizeof buf, "%lld GiB", static_cast<long long>(mib / 1024));
  else
    std::snprintf(buf, sizeof buf, "%.1f GiB", g);
  return buf;
}

struct Out {
  std::string s;
  const TextOptions& opt;
  Style st;
  void heading(const std::string& h) { s += st.bold(h) + "\n"; }
  /// The marker's width on screen ("エラー:" is 7 columns, "✓" one), colour codes not counted.
  static std::size_t marker_width(const std::string& marker) {
    std::string plain;
    for (std::size_t i = 0; i < marker.size(); ++i) {
      if (marker[i] == '\x1b') {
        while (i < marker.size() && marker[i] != 'm') ++i;
        continue;
      }
      plain += marker[i];
    }
    return i18n::display_width(plain);
  }
  /// An item line: marker, text wrapped to the width with a hanging indent.
  void item(const std::string& marker, const std::string& text, std::size_t indent = 2) {
    const std::size_t mw = marker_width(marker);
    std::size_t avail = opt.width > indent + mw + 20 ? opt.width - indent - mw - 1 : 40;
    auto lines = i18n::wrap(text, avail);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      s += std::string(indent, ' ');
      s += i == 0 ? marker : std::string(mw, ' ');
      s += ' ';
      s += lines[i];
      s += '\n';
    }
  }
  void note(const std::string& text, std::size_t indent = 4) {
    std::size_t avail = opt.width > indent + 2 ? opt.width - indent : 40;
    for (auto& l : i18n::wrap(text, avail)) s += std::string(indent, ' ') + st.dim(l) + "\n";
  }
};

std::string severity_marker(rules::Severity s, const Style& st) {
  switch (s) {
    case rules::Severity::error:
      return st.bad(tr("report.marker.error"));
    case rules::Severity::warning:
      return st.warn(tr("report.marker.warning"));
    case rules::Severity::info:
      return tr("report.marker.info");
  }
  return "";
}

}  // namespace

std::string report_text(const Report& r, const TextOptions& opt) {
  Out o{{}, opt, Style{opt.color}};
  const auto& m = r.machine;
  const std::string ok = o.st.ok("✓"), bad = o.st.bad("✗"), dot = "•";

  // Header: the tool and the machine in one line.
  std::string os = m.os.pretty_name.value_or(m.os.id.value_or(tr("report.unknown")));
  o.s += o.st.bold("gpuenv " + std::string(tool_version())) + " — " +
         tr("report.header",
            {{"host", m.host.name.value_or("?")}, {"os", os}, {"arch", m.os.arch.value_or("?")}}) +
         "\n\n";

  // 1. Graphics board.
  o.heading(tr("report.section.gpu"));
  if (m.gpus.empty()) {
    o.item(bad, tr("report.gpu.none"));
  }
  for (auto& g : m.gpus) {
    const bool wsl = g.kernel_driver == "dxg";
    std::string name = g.name ? *g.name
                       : wsl  ? tr("report.gpu.wsl")
                              : tr("report.gpu.unknown_model", {{"id", g.pci_device_id.value_or("?")}});
    std::string detail;
    const std::string sep = tr("report.list_separator");
    if (g.architecture) detail += *g.architecture;
    if (g.compute_capability)
      detail += (detail.empty() ? "" : sep) + tr("report.gpu.cc", {{"cc", *g.compute_capability}});
    if (g.memory_mib) detail += (detail.empty() ? "" : sep) + gib(*g.memory_mib);
    std::string line = detail.empty() ? name : tr("report.gpu.detail", {{"gpu", name}, {"detail", detail}});
    if (g.pci_bus_id) line = tr("report.gpu.at", {{"gpu", line}, {"bus", *g.pci_bus_id}});
    bool usable = g.kernel_driver == "nvidia" || wsl;
    o.item(usable ? ok : bad, line);
    if (!g.kernel_driver)
      o.note(tr("report.gpu.no_driver"));
    else if (!usable)
      o.note(tr("report.gpu.bound_to", {{"driver", *g.kernel_driver}}));
    if (opt.verbose) o.note(tr("report.source", {{"source", g.source}}));
  }
  for (auto& g : m.other_display_devices)
    o.item(dot, tr("report.gpu.other", {{"vendor", g.vendor.value_or("?")},
                                        {"name", g.name.value_or(g.pci_device_id.value_or("?"))}}));
  o.s += "\n";

  // 2. Driver.
  o.heading(tr("report.section.driver"));
  if (m.driver.version) {
    std::string flavor = m.driver.flavor ? tr("report.driver.flavor." + *m.driver.flavor) : "";
    o.item(ok, tr("report.driver.version", {{"version", *m.driver.version}, {"flavor", flavor}}));
    if (m.driver.source && opt.verbose) o.note(tr("report.source", {{"source", *m.driver.source}}));
    if (m.driver.userspace_version && *m.driver.userspace_version != *m.driver.version)
      o.item(bad, tr("report.driver.userspace_differs", {{"version", *m.driver.userspace_version}}));
  } else if (m.os.wsl && m.driver.userspace_version) {
    o.item(ok, tr("report.driver.wsl", {{"version", *m.driver.userspace_version}}));
  } else if (m.os.wsl && !m.gpus.empty()) {
    o.item(ok, tr("report.driver.wsl_unknown"));
  } else {
    o.item(bad, tr("report.driver.none"));
  }
  if (m.driver.cuda_max) {
    o.item(ok, tr("report.driver.cuda_max", {{"cuda", *m.driver.cuda_max}}));
  }
  o.s += "\n";

  // 3. CUDA toolkits.
  o.heading(tr("report.section.toolkits"));
  if (m.cuda_toolkits.empty()) o.item(dot, tr("report.toolkits.none"));
  for (auto& t : m.cuda_toolkits) {
    std::string line =
        tr("report.toolkit.item", {{"version", t.version.value_or(tr("report.unknown"))}, {"path", t.path}});
    if (t.real_path && *t.real_path != t.path) line += " → " + *t.real_path;
    o.item(dot, line);
    if (opt.verbose) o.note(tr("report.source", {{"source", t.source}}));
  }
  o.note(tr("report.toolkits.meaning"), 2);
  o.s += "\n";

  // 4. cuDNN.
  o.heading(tr("report.section.cudnn"));
  if (m.cudnn.empty()) o.item(dot, tr("report.cudnn.none"));
  for (auto& c : m.cudnn)
    o.item(dot, tr("report.cudnn.item",
                   {{"version", c.version.value_or(tr("report.unknown"))}, {"path", c.path}}));
  o.s += "\n";

  // 5. Python environments.
  o.heading(tr("report.section.envs"));
  if (m.python_envs.empty()) o.item(dot, tr("report.envs.none"));
  for (auto& e : m.python_envs) {
    const std::string kind_id = "envs.kind." + e.kind;
    std::string what = i18n::Catalog::builtin().has(kind_id) ? tr(kind_id) : e.kind;
    if (e.python) what = tr("report.envs.kind_python", {{"kind", what}, {"python", *e.python}});
    std::string line = tr("report.envs.item", {{"path", e.path}, {"what", what}});
    auto it = e.packages.find("torch");
    if (it != e.packages.end() && it->second.version)
      line += "  torch " + *it->second.version + (it->second.variant ? " [" + *it->second.variant + "]" : "");
    else
      line += "  " + tr("report.envs.no_torch");
    o.item(dot, line);
  }
  o.s += "\n";

  // 6. What to install: the planner's recommendation (design.md §5 "recommendation").
  if (r.recommendation.is_object()) {
    const auto& rec = r.recommendation;
    auto str = [&](const char* k) {
      return rec.contains(k) && rec[k].is_string() ? rec[k].get<std::string>() : std::string();
    };
    o.heading(tr("report.section.recommendation"));
    std::string compat = str("compatibility");
    std::string item = tr("report.recommendation.item", {{"torch", str("torch")},
                                                         {"variant", str("variant")},
                                                         {"torchvision", str("torchvision")},
                                                         {"python", str("python")}});
    if (compat == "direct" || compat == "minor")
      item = tr("report.recommendation.compat", {{"item", item}, {"compat", tr("report.compat." + compat)}});
    else if (!compat.empty())
      item += " [" + compat + "]";
    o.item(compat == "minor" ? o.st.warn("!") : ok, item);
    if (rec.contains("commands") && rec["commands"].is_object() && rec["commands"].contains("pip") &&
        rec["commands"]["pip"].is_string())
      o.s += "      " + rec["commands"]["pip"].get<std::string>() + "\n";
    o.s += "\n";
  }

  // 7. Findings, most important first.
  o.heading(tr("report.section.findings"));
  if (r.findings.empty()) o.item(ok, tr("report.findings.none"));
  for (auto& f : r.findings) {
    o.item(severity_marker(f.severity, o.st), f.title.localized() + "  [" + f.id + "]");
    if (f.env) o.note(tr("report.finding.env", {{"env", *f.env}}));
    o.note(f.explanation.localized());
    for (auto& fx : f.fixes) {
      o.note(tr("report.finding.fix", {{"text", fx.text.localized()}}));
      for (auto& c : fx.commands) o.s += "      " + c + "\n";
    }
  }
  const std::string status_id = "report.status_name." + r.status;  // ok | problems | no-gpu
  const bool known = i18n::Catalog::builtin().has(status_id);
  o.s += "\n" + tr("report.status", {{"status", known ? tr(status_id) : r.status}}) + "\n";
  return o.s;
}

std::string report_markdown(const Report& r) {
  const auto& m = r.machine;
  std::string s = "### gpuenv " + std::string(tool_version()) + "\n\n";
  s += "| | |\n|---|---|\n";
  s += "| OS | " + m.os.pretty_name.value_or("?") + " (" + m.os.arch.value_or("?") + ") |\n";
  for (auto& g : m.gpus)
    s += "| GPU " + std::to_string(g.index) + " | " + g.name.value_or("?") + " (CC " +
         g.compute_capability.value_or("?") + ") |\n";
  s += "| " + tr("report.md.driver") + " | " + m.driver.version.value_or("-") + " (CUDA " +
       m.driver.cuda_max.value_or("-") + ") |\n";
  for (auto& t : m.cuda_toolkits)
    s += "| " + tr("report.md.toolkit") + " | " + t.version.value_or("?") + " `" + t.path + "` |\n";
  for (auto& c : m.cudnn) s += "| cuDNN | " + c.version.value_or("?") + " `" + c.path + "` |\n";
  s += "\n" + tr("report.md.status", {{"status", r.status}}) + "\n\n";
  for (auto& f : r.findings) {
    s += "- **" + std::string(rules::severity_name(f.severity)) + "** `" + f.id + "`: " + f.title.localized();
    if (f.env) s += " (`" + *f.env + "`)";
    s += "\n  " + f.explanation.localized() + "\n";
    for (auto& fx : f.fixes) {
      s += "  - " + fx.text.localized() + "\n";
      if (!fx.commands.empty()) {
        s += "    ```\n";
        for (auto& c : fx.commands) s += "    " + c + "\n";
        s += "    ```\n";
      }
    }
  }
  return s;
}

}  // namespace gpuenv::render
