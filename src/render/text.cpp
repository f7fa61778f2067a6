#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "i18n/catalog.hpp"
#include "i18n/width.hpp"
#include "render/report.hpp"
#include "render/style.hpp"
#include "render/warnings.hpp"

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
  /// A finding with its explanation and fixes; commands stay whole lines, indented by six, to paste.
  void finding(const rules::Finding& f, const std::string& marker, bool show_env) {
    item(marker, f.title.localized() + "  [" + f.id + "]");
    if (show_env && f.env) note(tr("report.finding.env", {{"env", *f.env}}));
    note(f.explanation.localized());
    for (auto& fx : f.fixes) {
      note(tr("report.finding.fix", {{"text", fx.text.localized()}}));
      for (auto& c : fx.commands) s += "      " + c + "\n";
    }
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

// Which link of the chain a machine-level finding belongs to (env findings go under their environment).
enum class Link { gpu, driver, toolkits, other };

Link link_of(const std::string& id) {
  static const char* const gpu[] = {"no-nvidia-gpu", "nouveau-active", "container-without-gpu",
                                    "cuda-visible-devices-hides-gpus", "gpu-memory-small"};
  static const char* const driver[] = {"driver-not-loaded",          "secure-boot-blocks-driver",
                                       "driver-library-mismatch",    "driver-too-old-for-gpu",
                                       "gpu-needs-legacy-driver",    "device-nodes-missing",
                                       "wsl-linux-driver-installed", "container-toolkit-missing"};
  for (auto* x : gpu)
    if (id == x) return Link::gpu;
  for (auto* x : driver)
    if (id == x) return Link::driver;
  if (id == "toolkit-newer-than-driver") return Link::toolkits;
  return Link::other;
}

bool is_problem(const rules::Finding& f) {
  return f.severity != rules::Severity::info;
}

/// "No PyTorch here" is said in full for the environments the user is likely to work in (activated,
/// on PATH, named with --env/--python); for every other one the environment's line already says
/// "no torch", and when there are two or more, one note counts them instead of the same paragraph per
/// pyenv version.
bool quiet_candidate(const facts::Machine& m, const rules::Finding& f) {
  if (f.id != "torch-not-installed" || !f.env) return false;
  auto e =
      std::find_if(m.python_envs.begin(), m.python_envs.end(), [&](auto& x) { return x.path == *f.env; });
  return e != m.python_envs.end() && env_priority(*e) > 2;  // found elsewhere, not activated/named/on PATH
}

/// The test for one finding: a candidate, and there are at least two.
struct QuietNoTorch {
  const facts::Machine& m;
  bool on;
  explicit QuietNoTorch(const Report& r)
      : m(r.machine), on(std::count_if(r.findings.begin(), r.findings.end(), [&](auto& f) {
                           return quiet_candidate(r.machine, f);
                         }) >= 2) {}
  bool operator()(const rules::Finding& f) const { return on && quiet_candidate(m, f); }
};

}  // namespace

std::string report_text(const Report& r, const TextOptions& opt) {
  Out o{{}, opt, Style{opt.color}};
  const auto& m = r.machine;
  const std::string ok = o.st.ok("✓"), bad = o.st.bad("✗"), dot = "•";

  // Findings by chain link; those about an environment go under it, the rest at the end.
  std::vector<const rules::Finding*> at_gpu, at_driver, at_toolkits, other;
  std::map<std::string, std::vector<const rules::Finding*>> at_env;
  for (auto& f : r.findings) {
    bool known_env = f.env && std::any_of(m.python_envs.begin(), m.python_envs.end(),
                                          [&](auto& e) { return e.path == *f.env; });
    if (known_env) {
      at_env[*f.env].push_back(&f);
      continue;
    }
    switch (link_of(f.id)) {
      case Link::gpu:
        at_gpu.push_back(&f);
        break;
      case Link::driver:
        at_driver.push_back(&f);
        break;
      case Link::toolkits:
        at_toolkits.push_back(&f);
        break;
      case Link::other:
        other.push_back(&f);
        break;
    }
  }
  auto findings = [&](const std::vector<const rules::Finding*>& fs, bool show_env) {
    for (auto* f : fs) o.finding(*f, severity_marker(f->severity, o.st), show_env);
  };

  // Header: the tool and the machine in one line, then the most important problem (the root cause).
  std::string os = m.os.pretty_name.value_or(m.os.id.value_or(tr("report.unknown")));
  o.s += o.st.bold("gpuenv " + std::string(tool_version())) + " — " +
         tr("report.header",
            {{"host", m.host.name.value_or("?")}, {"os", os}, {"arch", m.os.arch.value_or("?")}}) +
         "\n";
  std::size_t problems = std::count_if(r.findings.begin(), r.findings.end(), is_problem);
  if (problems > 0) {
    const auto& f = r.findings.front();
    for (auto& l :
         i18n::wrap(tr("report.first", {{"title", f.title.localized()}, {"id", f.id}}), o.opt.width))
      o.s += o.st.bold(l) + "\n";
    if (problems > 1)
      for (auto& l :
           i18n::wrap(tr("report.first.more", {{"count", std::to_string(problems - 1)}}), o.opt.width))
        o.s += l + "\n";
  } else {
    o.s += tr("report.first.none") + "\n";
  }
  o.s += "\n";

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
  findings(at_gpu, true);
  o.s += "\n";

  // 2. Driver.
  o.heading(tr("report.section.driver"));
  if (m.driver.version) {
    std::string flavor = m.driver.flavor ? tr("report.driver.flavor." + *m.driver.flavor) : "";
    if (m.driver.source && *m.driver.source == "GPUENV_DRIVER_VERSION")
      o.item(ok, tr("report.driver.override", {{"version", *m.driver.version}}));
    else
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
  findings(at_driver, true);
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
  findings(at_toolkits, true);
  o.s += "\n";

  // 4. cuDNN.
  o.heading(tr("report.section.cudnn"));
  if (m.cudnn.empty()) o.item(dot, tr("report.cudnn.none"));
  for (auto& c : m.cudnn)
    o.item(dot, tr("report.cudnn.item",
                   {{"version", c.version.value_or(tr("report.unknown"))}, {"path", c.path}}));
  o.s += "\n";

  // 5. Python environments, the one the user most likely uses first, each with its findings.
  o.heading(tr("report.section.envs"));
  if (m.python_envs.empty()) o.item(dot, tr("report.envs.none"));
  std::size_t quiet_no_torch = 0;
  const QuietNoTorch counted_not_said(r);
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
    if (e.active)
      line += "  " + tr("report.envs.active");
    else if (e.on_path)
      line += "  " + tr("report.envs.on_path");
    auto fs = at_env.find(e.path);
    bool broken = e.base_missing ||
                  (fs != at_env.end() && std::any_of(fs->second.begin(), fs->second.end(), [](auto* f) {
                     return f->severity == rules::Severity::error;
                   }));
    o.item(broken ? bad : dot, line);
    // What the probe found wrong with the environment itself (its base interpreter is gone, ...).
    for (auto& w : e.warnings)
      o.item(severity_marker(rules::Severity::warning, o.st), warning_message(w, i18n::language()));
    if (fs != at_env.end()) {
      std::vector<const rules::Finding*> shown;
      for (auto* f : fs->second)
        if (counted_not_said(*f))
          ++quiet_no_torch;
        else
          shown.push_back(f);
      findings(shown, false);
    }
  }
  if (quiet_no_torch > 0) {
    o.item(severity_marker(rules::Severity::info, o.st),
           tr("report.envs.no_torch_others", {{"count", std::to_string(quiet_no_torch)}}) +
               "  [torch-not-installed]");
    o.note(tr("report.envs.no_torch_others.hint"));
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

  // 7. What belongs to no single link (the knowledge base, the libraries' search path, ...).
  if (!other.empty()) {
    o.heading(tr("report.section.other"));
    findings(other, true);
    o.s += "\n";
  }
  if (r.findings.empty()) {
    o.item(ok, tr("report.findings.none"));
    o.s += "\n";
  }
  // 8. What the probes could not read (a broken file, a directory not listed): each path with why,
  // the first few only unless -v (the JSON has them all).
  if (!m.warnings.empty()) {
    o.heading(tr("warning.report.section"));
    const std::size_t shown = opt.verbose ? m.warnings.size() : std::min(m.warnings.size(), kWarningsShown);
    for (std::size_t i = 0; i < shown; ++i)
      o.item(o.st.warn("!"), m.warnings[i].path + ": " + warning_message(m.warnings[i], i18n::language()));
    if (shown < m.warnings.size())
      o.note(tr("warning.report.more", {{"n", std::to_string(m.warnings.size() - shown)}}), 2);
    o.s += "\n";
  }
  const std::string status_id = "report.status_name." + r.status;  // ok | problems | no-gpu
  const bool known = i18n::Catalog::builtin().has(status_id);
  o.s += tr("report.status", {{"status", known ? tr(status_id) : r.status}}) + "\n";
  return o.s;
}

namespace {

/// A Markdown table cell: no line breaks, `|` escaped.
std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string code(const std::string& s) {
  return "`" + s + "`";
}

}  // namespace

std::string report_markdown(const Report& r) {
  // For a forum post or an issue: no host name, the facts as a table, each finding with its fix.
  const auto& m = r.machine;
  std::string s = "### " + tr("report.md.title", {{"version", tool_version()}}) + "\n\n";
  s += "**" + tr("report.md.status") + "** " + code(r.status);
  if (!r.findings.empty() && is_problem(r.findings.front()))
    s += " — " + tr("report.md.first", {{"id", code(r.findings.front().id)}});
  s += "\n\n";

  s += "| " + tr("report.md.col.item") + " | " + tr("report.md.col.value") + " |\n|---|---|\n";
  auto row = [&](const std::string& k, const std::string& v) {
    s += "| " + cell(k) + " | " + cell(v) + " |\n";
  };
  std::string os = m.os.pretty_name.value_or(m.os.id.value_or(tr("report.unknown")));
  row(tr("report.md.row.os"),
      os + " (" + m.os.arch.value_or("?") + ")" +
          (m.os.kernel ? ", " + tr("report.md.kernel", {{"kernel", *m.os.kernel}}) : "") +
          (m.os.wsl ? ", WSL2" : "") + (m.os.container ? ", " + *m.os.container : ""));
  if (m.gpus.empty()) row(tr("report.md.row.gpu", {{"index", "-"}}), tr("report.gpu.none"));
  for (auto& g : m.gpus) {
    std::string v = g.name.value_or(tr("report.gpu.unknown_model", {{"id", g.pci_device_id.value_or("?")}}));
    std::string detail;
    if (g.compute_capability) detail += tr("report.gpu.cc", {{"cc", *g.compute_capability}});
    if (g.memory_mib) detail += (detail.empty() ? "" : ", ") + gib(*g.memory_mib);
    if (!detail.empty()) v += " (" + detail + ")";
    v += ", " + tr("report.md.kernel_driver", {{"driver", g.kernel_driver ? code(*g.kernel_driver) : "-"}});
    row(tr("report.md.row.gpu", {{"index", std::to_string(g.index)}}), v);
  }
  std::string drv = m.driver.version.value_or(m.driver.userspace_version.value_or("-"));
  if (m.driver.cuda_max) drv += " (CUDA " + *m.driver.cuda_max + ")";
  if (m.driver.userspace_version && m.driver.version && *m.driver.userspace_version != *m.driver.version)
    drv += ", " + tr("report.md.userspace", {{"version", *m.driver.userspace_version}});
  row(tr("report.section.driver"), drv);
  for (auto& t : m.cuda_toolkits)
    row(tr("report.md.row.toolkit"), t.version.value_or(tr("report.unknown")) + " " + code(t.path));
  for (auto& c : m.cudnn) row("cuDNN", c.version.value_or(tr("report.unknown")) + " " + code(c.path));
  for (auto& e : m.python_envs) {
    std::string v = code(e.path) + " (" + e.kind + (e.python ? ", Python " + *e.python : "") + ")";
    auto it = e.packages.find("torch");
    if (it != e.packages.end() && it->second.version)
      v += ", torch " + *it->second.version;
    else
      v += ", " + tr("report.envs.no_torch");
    if (e.active) v += " " + tr("report.envs.active");
    for (auto& w : e.warnings)
      v += " — " + tr("warning.report.env", {{"message", warning_message(w, i18n::language())}});
    row(tr("report.md.row.env"), v);
  }
  for (const char* var : {"CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "GPUENV_DRIVER_VERSION", "GPUENV_GPU"}) {
    auto it = m.env_vars.find(var);
    if (it != m.env_vars.end() && it->second) row(code(var), code(*it->second));
  }
  s += "\n#### " + tr("report.section.findings") + "\n\n";
  if (r.findings.empty()) s += tr("report.findings.none") + "\n";
  int n = 0;
  std::size_t quiet_no_torch = 0;
  const QuietNoTorch counted_not_said(r);
  for (auto& f : r.findings) {
    if (counted_not_said(f)) {
      ++quiet_no_torch;
      continue;
    }
    s += std::to_string(++n) + ". **" +
         tr(std::string("report.md.severity.") + rules::severity_name(f.severity)) + "** " + code(f.id) +
         ": " + f.title.localized() + "\n";
    if (f.env) s += "   " + tr("report.finding.env", {{"env", code(*f.env)}}) + "\n";
    s += "\n   " + f.explanation.localized() + "\n";
    for (auto& fx : f.fixes) {
      s += "\n   " + tr("report.finding.fix", {{"text", fx.text.localized()}}) + "\n";
      if (!fx.commands.empty()) {
        s += "\n   ```sh\n";
        for (auto& c : fx.commands) s += "   " + c + "\n";
        s += "   ```\n";
      }
    }
    s += "\n";
  }
  if (quiet_no_torch > 0)
    s += std::to_string(++n) + ". **" + tr("report.md.severity.info") + "** " + code("torch-not-installed") +
         ": " + tr("report.envs.no_torch_others", {{"count", std::to_string(quiet_no_torch)}}) + "\n\n   " +
         tr("report.envs.no_torch_others.hint") + "\n\n";
  if (!m.warnings.empty()) {
    s += "#### " + tr("warning.report.section") + "\n\n";
    const std::size_t shown = std::min(m.warnings.size(), kWarningsShown);
    for (std::size_t i = 0; i < shown; ++i)
      s += "- " + code(cell(m.warnings[i].path)) + ": " +
           cell(warning_message(m.warnings[i], i18n::language())) + "\n";
    if (shown < m.warnings.size())
      s += "- " + tr("warning.report.more", {{"n", std::to_string(m.warnings.size() - shown)}}) + "\n";
    s += "\n";
  }
  if (r.recommendation.is_object() && r.recommendation.contains("commands") &&
      r.recommendation["commands"].is_object() && r.recommendation["commands"].contains("pip") &&
      r.recommendation["commands"]["pip"].is_string()) {
    s += "#### " + tr("report.section.recommendation") + "\n\n```sh\n" +
         r.recommendation["commands"]["pip"].get<std::string>() + "\n```\n\n";
  }
  s += "<sub>" + tr("report.md.footer", {{"kb", r.kb.version}}) + "</sub>\n";
  return s;
}

}  // namespace gpuenv::render
