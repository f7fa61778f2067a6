#include "render/inspect.hpp"

#include <algorithm>
#include <map>

#include "render/style.hpp"

namespace gpuenv::render {

namespace {

using i18n::tr;

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

nlohmann::ordered_json opt_json(const std::optional<std::string>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

std::string gpu_label(const InspectGpu& g) {
  std::string cc = g.compute_capability.value_or("?");
  if (!g.index) return tr("inspect.cc.label", {{"cc", cc}});
  return tr("inspect.gpu.label", {{"index", std::to_string(*g.index)},
                                  {"name", g.name.value_or(tr("inspect.unknown_name"))},
                                  {"cc", cc}});
}

void coverage_text(std::string& out, const InspectReport& r, const InspectCoverage& c, const Style& st) {
  const InspectGpu& g = r.gpus[c.gpu];
  std::string label = gpu_label(g);
  if (!c.coverage) {
    out += "  " + st.warn("?") + " " + tr("inspect.gpu.unknown_cc", {{"gpu", label}}) + "\n";
    return;
  }
  const auto& cov = *c.coverage;
  std::string reason = i18n::Text{cov.reason_id, cov.reason_args}.localized();
  if (!cov.ok)
    out += "  " + st.bad("✗") + " " + tr("inspect.gpu.fails", {{"gpu", label}, {"reason", reason}}) + "\n";
  else if (cov.needs_ptx_jit)
    out += "  " + st.warn("!") + " " +
           tr("inspect.gpu.runs_jit", {{"gpu", label}, {"entry", cov.entry}, {"reason", reason}}) + "\n";
  else
    out += "  " + st.ok("✓") + " " +
           tr("inspect.gpu.runs", {{"gpu", label}, {"entry", cov.entry}, {"reason", reason}}) + "\n";
  // Not for a PTX JIT verdict: every nvcc-linked library has a device-link module that carries
  // cubins but never PTX, which would make a GPU newer than all cubins look partly covered.
  if (cov.ok && !cov.needs_ptx_jit && c.modules_covered < c.modules_total)
    out += "    " +
           st.warn(tr("inspect.gpu.partial", {{"covered", std::to_string(c.modules_covered)},
                                              {"total", std::to_string(c.modules_total)},
                                              {"cc", g.compute_capability.value_or("?")}})) +
           "\n";
}

void file_text(std::string& out, const InspectReport& r, const InspectFile& f, const Style& st) {
  out += st.bold(f.path);
  if (f.from_cache) out += " " + st.dim(tr("inspect.cached"));
  out += "\n";
  for (auto& section : f.sections) {
    std::uint64_t entries = 0, compressed = 0;
    std::map<std::string, std::vector<std::string>> by_kind;
    for (auto& t : f.targets) {
      if (t.section != section) continue;
      entries += t.count;
      compressed += t.compressed;
      by_kind[t.kind].push_back(t.target);
    }
    const char* id = section == "__nv_relfatbin" ? "inspect.section.relocatable" : "inspect.section";
    out += "  " +
           tr(id, {{"section", section},
                   {"entries", std::to_string(entries)},
                   {"compressed", std::to_string(compressed)}}) +
           "\n";
    for (const char* kind : {"cubin", "ptx", "lto", "unknown"}) {
      auto it = by_kind.find(kind);
      if (it == by_kind.end()) continue;
      std::string name = tr(std::string("inspect.kind.") + kind);
      name.resize(std::max<std::size_t>(name.size(), 7), ' ');
      out += "    " + name + " " + join(it->second) + "\n";
    }
  }
  if (f.error) {
    out += "  " + st.bad(tr("cli.error.prefix")) + f.error->localized() + "\n";
    return;
  }
  if (f.arch_list.empty()) {
    out += "  " + tr("inspect.no_device_code") + "\n";
    return;
  }
  for (auto& c : f.coverage) coverage_text(out, r, c, st);
}

}  // namespace

nlohmann::ordered_json inspect_json(const InspectReport& r, i18n::Lang lang) {
  nlohmann::ordered_json j;
  j["schema_version"] = 1;
  auto& gpus = j["gpus"] = nlohmann::ordered_json::array();
  for (auto& g : r.gpus)
    gpus.push_back({{"index", g.index ? nlohmann::ordered_json(*g.index) : nlohmann::ordered_json(nullptr)},
                    {"name", opt_json(g.name)},
                    {"compute_capability", opt_json(g.compute_capability)},
                    {"source", g.source}});
  auto& files = j["files"] = nlohmann::ordered_json::array();
  for (auto& f : r.files) {
    nlohmann::ordered_json fj;
    fj["path"] = f.path;
    fj["ok"] = !f.error;
    if (f.error) {
      fj["error"] = {{"code", f.error_code.value_or("io")}, {"message", f.error->en()}};
      if (lang != i18n::Lang::en) fj["error"]["message_localized"] = f.error->render(lang);
    } else {
      fj["error"] = nullptr;
    }
    fj["from_cache"] = f.from_cache;
    fj["sections"] = f.sections;
    fj["containers"] = f.containers;
    fj["entries"] = f.entries;
    auto& ts = fj["targets"] = nlohmann::ordered_json::array();
    for (auto& t : f.targets)
      ts.push_back({{"target", t.target},
                    {"kind", t.kind},
                    {"section", t.section},
                    {"count", t.count},
                    {"compressed", t.compressed}});
    fj["arch_list"] = f.arch_list;
    auto& cs = fj["coverage"] = nlohmann::ordered_json::array();
    for (auto& c : f.coverage) {
      const InspectGpu& g = r.gpus[c.gpu];
      nlohmann::ordered_json cj;
      cj["gpu"] = g.index ? nlohmann::ordered_json(*g.index) : nlohmann::ordered_json(nullptr);
      cj["compute_capability"] = opt_json(g.compute_capability);
      if (!c.coverage) {
        cj["ok"] = nullptr;
        cj["how"] = nullptr;
        cj["entry"] = nullptr;
        cj["needs_ptx_jit"] = nullptr;
        cj["modules"] = nullptr;
        cj["reason"] = nullptr;
      } else {
        const auto& cov = *c.coverage;
        i18n::Text reason{cov.reason_id, cov.reason_args};
        cj["ok"] = cov.ok;
        cj["how"] = kb::how_name(cov.how);
        cj["entry"] = cov.entry.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(cov.entry);
        cj["needs_ptx_jit"] = cov.needs_ptx_jit;
        cj["modules"] = {{"covered", c.modules_covered}, {"total", c.modules_total}};
        cj["reason"] = reason.en();
        if (lang != i18n::Lang::en) cj["reason_localized"] = reason.render(lang);
      }
      cs.push_back(std::move(cj));
    }
    files.push_back(std::move(fj));
  }
  return j;
}

std::string inspect_text(const InspectReport& r, const TextOptions& opt) {
  Style st{opt.color};
  std::string out;
  for (std::size_t i = 0; i < r.files.size(); ++i) {
    if (i) out += "\n";
    file_text(out, r, r.files[i], st);
  }
  if (r.gpus.empty()) out += "\n" + tr("inspect.no_gpu") + "\n";
  return out;
}

int inspect_exit_code(const InspectReport& r) {
  for (auto& f : r.files) {
    if (f.error) return 1;
    for (auto& c : f.coverage)
      if (c.coverage && !c.coverage->ok) return 1;
  }
  return 0;
}

}  // namespace gpuenv::render
