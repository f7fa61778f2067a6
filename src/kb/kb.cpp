#include "kb/kb.hpp"

#include <algorithm>
#include <cctype>
#include <span>
#include <stdexcept>

#include "facts/dotted.hpp"
#include "kb/kb_json.hpp"

namespace gpuenv::embedded {
std::span<const std::pair<std::string_view, std::string_view>> kb_files();
}

namespace gpuenv::kb {

using namespace detail;

namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

std::string norm_pci(std::string_view id) {
  std::string s = lower(id);
  if (s.starts_with("0x")) s = s.substr(2);
  while (s.size() < 4) s = "0" + s;
  return "0x" + s;
}

}  // namespace

KnowledgeBase KnowledgeBase::from_json(const json& doc_in) {
  const json& doc = doc_in.contains("kb") && doc_in["kb"].is_object() && doc_in["kb"].contains("tables")
                        ? doc_in["kb"]
                        : doc_in;
  if (!doc.is_object()) throw std::runtime_error("knowledge base: expected a JSON object");
  KnowledgeBase kb;
  if (auto it = doc.find("meta"); it != doc.end()) {
    kb.meta.version = opt_str(*it, "version");
    kb.meta.date = opt_str(*it, "date");
  }
  const json& tables = doc.contains("tables") ? doc["tables"] : doc;
  if (auto it = tables.find("gpus"); it != tables.end()) {
    kb.gpus_source = source_from(*it, "gpus");
    int i = 0;
    for (auto& r : rows_of(*it, "gpus")) {
      std::string where = "kb table gpus row " + std::to_string(i++);
      GpuModel g;
      g.pci_device_id = norm_pci(req_str(r, "pci_device_id", where));
      g.name = req_str(r, "name", where);
      g.chip = opt_str(r, "chip");
      g.architecture = req_str(r, "architecture", where);
      g.compute_capability = req_str(r, "compute_capability", where);
      if (auto m = r.find("memory_mib"); m != r.end() && m->is_number_integer())
        g.memory_mib = m->get<std::int64_t>();
      kb.gpus.push_back(std::move(g));
    }
  }
  if (auto it = tables.find("chips"); it != tables.end()) {
    kb.chips_source = source_from(*it, "chips");
    int i = 0;
    for (auto& r : rows_of(*it, "chips")) {
      std::string where = "kb table chips row " + std::to_string(i++);
      kb.chips.push_back({req_str(r, "prefix", where), req_str(r, "architecture", where),
                          req_str(r, "compute_capability", where)});
    }
  }
  if (auto it = tables.find("driver_branches"); it != tables.end()) {
    kb.driver_branches_source = source_from(*it, "driver_branches");
    int i = 0;
    for (auto& r : rows_of(*it, "driver_branches")) {
      std::string where = "kb table driver_branches row " + std::to_string(i++);
      if (!r.contains("branch") || !r["branch"].is_number_integer())
        throw std::runtime_error(where + ": missing integer \"branch\"");
      kb.driver_branches.push_back({r["branch"].get<int>(), req_str(r, "cuda_max", where)});
    }
  }
  if (auto it = tables.find("arch_support"); it != tables.end()) {
    kb.arch_support_source = source_from(*it, "arch_support");
    int i = 0;
    for (auto& r : rows_of(*it, "arch_support")) {
      std::string where = "kb table arch_support row " + std::to_string(i++);
      ArchSupport a;
      a.architecture = req_str(r, "architecture", where);
      a.chips = str_list(r, "chips", where);
      a.ccs = str_list(r, "ccs", where);
      if (auto m = r.find("min_branch"); m != r.end() && m->is_number_integer()) a.min_branch = m->get<int>();
      if (auto m = r.find("last_branch"); m != r.end() && m->is_number_integer())
        a.last_branch = m->get<int>();
      kb.arch_support.push_back(std::move(a));
    }
  }
  read_cuda_tables(tables, kb);
  read_torch_table(tables, kb);
  read_install_tables(tables, kb);
  std::stable_sort(kb.gpus.begin(), kb.gpus.end(),
                   [](const GpuModel& a, const GpuModel& b) { return a.pci_device_id < b.pci_device_id; });
  std::sort(kb.driver_branches.begin(), kb.driver_branches.end(),
            [](const DriverBranch& a, const DriverBranch& b) { return a.branch < b.branch; });
  return kb;
}

KnowledgeBase KnowledgeBase::from_files(const std::vector<std::pair<std::string, std::string>>& files) {
  json merged = json::object();
  json tables = json::object();
  for (auto& [name, text] : files) {
    json j;
    try {
      j = json::parse(text);
    } catch (const std::exception& e) {
      throw std::runtime_error("knowledge base file " + name + ": " + e.what());
    }
    if (!j.is_object()) throw std::runtime_error("knowledge base file " + name + ": expected an object");
    for (auto& [k, v] : j.items()) {
      if (k == "meta") {
        merged["meta"] = std::move(v);
        continue;
      }
      if (tables.contains(k))
        throw std::runtime_error("knowledge base file " + name + ": table " + k + " defined twice");
      tables[k] = std::move(v);  // moved, not copied: the embedded KB is merged at every start-up
    }
  }
  merged["tables"] = std::move(tables);
  return from_json(merged);
}

const KnowledgeBase& KnowledgeBase::builtin() {
  static const KnowledgeBase kb = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (auto& [name, text] : gpuenv::embedded::kb_files()) files.emplace_back(name, text);
    return from_files(files);
  }();
  return kb;
}

oj KnowledgeBase::to_json() const {
  oj gpus_rows = oj::array();
  for (auto& g : gpus) {
    oj r{{"pci_device_id", g.pci_device_id},
         {"name", g.name},
         {"chip", g.chip.empty() ? oj(nullptr) : oj(g.chip)},
         {"architecture", g.architecture},
         {"compute_capability", g.compute_capability}};
    r["memory_mib"] = g.memory_mib ? oj(*g.memory_mib) : oj(nullptr);
    gpus_rows.push_back(std::move(r));
  }
  oj chip_rows = oj::array();
  for (auto& c : chips)
    chip_rows.push_back({{"prefix", c.prefix},
                         {"architecture", c.architecture},
                         {"compute_capability", c.compute_capability}});
  oj branch_rows = oj::array();
  for (auto& b : driver_branches) branch_rows.push_back({{"branch", b.branch}, {"cuda_max", b.cuda_max}});
  oj arch_rows = oj::array();
  for (auto& a : arch_support) {
    oj r{{"architecture", a.architecture}, {"chips", a.chips}, {"ccs", a.ccs}};
    r["min_branch"] = a.min_branch ? oj(*a.min_branch) : oj(nullptr);
    r["last_branch"] = a.last_branch ? oj(*a.last_branch) : oj(nullptr);
    arch_rows.push_back(std::move(r));
  }
  oj tables{{"gpus", table_json(gpus_source, gpus_rows)},
            {"chips", table_json(chips_source, chip_rows)},
            {"driver_branches", table_json(driver_branches_source, branch_rows)},
            {"arch_support", table_json(arch_support_source, arch_rows)}};
  write_cuda_tables(*this, tables);
  write_torch_table(*this, tables);
  write_install_tables(*this, tables);
  // A table this knowledge base does not have (a partial --kb file) is left out, not written empty.
  for (auto it = tables.begin(); it != tables.end();) {
    if (it->contains("source") && (*it)["source"] == "" && (*it)["rows"].empty())
      it = tables.erase(it);
    else
      ++it;
  }
  return oj{{"meta", {{"version", meta.version}, {"date", meta.date}}}, {"tables", tables}};
}

const GpuModel* KnowledgeBase::gpu_by_pci_id(std::string_view id) const {
  std::string key = norm_pci(id);
  auto it = std::lower_bound(gpus.begin(), gpus.end(), key,
                             [](const GpuModel& g, const std::string& k) { return g.pci_device_id < k; });
  return (it != gpus.end() && it->pci_device_id == key) ? &*it : nullptr;
}

const GpuModel* KnowledgeBase::gpu_by_name(std::string_view query) const {
  std::string q = lower(query);
  std::vector<std::string> words;
  for (std::size_t i = 0; i < q.size();) {
    while (i < q.size() && q[i] == ' ') ++i;
    std::size_t j = i;
    while (j < q.size() && q[j] != ' ') ++j;
    if (j > i) words.push_back(q.substr(i, j - i));
    i = j;
  }
  if (words.empty()) return nullptr;
  const GpuModel* best = nullptr;
  for (auto& g : gpus) {
    std::string n = lower(g.name);
    if (n == q || n == "nvidia " + q) return &g;
    // Every query word must be a whole word of the name ("4090" must not match "4090 D" only by prefix).
    std::string padded = " " + n + " ";
    bool all = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return padded.find(" " + w + " ") != std::string::npos;
    });
    if (all && (!best || g.name.size() < best->name.size())) best = &g;
  }
  return best;
}

const ChipRule* KnowledgeBase::chip(std::string_view codename) const {
  std::string c = lower(codename);
  const ChipRule* best = nullptr;
  for (auto& r : chips) {
    std::string p = lower(r.prefix);
    if (c.starts_with(p) && (!best || p.size() > best->prefix.size())) best = &r;
  }
  return best;
}

std::optional<std::string> KnowledgeBase::cuda_max_for_driver(std::string_view driver_version) const {
  auto v = facts::Dotted::parse(driver_version);
  if (!v || driver_branches.empty()) return std::nullopt;
  int branch = v->major();
  if (branch < driver_branches.front().branch || branch > driver_branches.back().branch + 4)
    return std::nullopt;
  const DriverBranch* hit = nullptr;
  for (auto& b : driver_branches)
    if (b.branch <= branch) hit = &b;
  return hit ? std::optional(hit->cuda_max) : std::nullopt;
}

std::optional<std::string> KnowledgeBase::architecture_for_cc(std::string_view cc) const {
  for (auto& c : chips)
    if (c.compute_capability == cc) return c.architecture;
  for (auto& g : gpus)
    if (g.compute_capability == cc) return g.architecture;
  return std::nullopt;
}

int KnowledgeBase::newest_branch() const {
  return driver_branches.empty() ? 0 : driver_branches.back().branch;
}

bool version_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    long x = 0, y = 0;
    while (i < a.size() && a[i] >= '0' && a[i] <= '9') x = x * 10 + (a[i++] - '0');
    while (j < b.size() && b[j] >= '0' && b[j] <= '9') y = y * 10 + (b[j++] - '0');
    if (x != y) return x < y;
    while (i < a.size() && a[i] != '.') ++i;  // skip to the next component
    while (j < b.size() && b[j] != '.') ++j;
    if (i < a.size()) ++i;
    if (j < b.size()) ++j;
  }
  return false;
}

const ArchSupport* KnowledgeBase::support_for(std::string_view architecture, std::string_view chip,
                                              std::string_view cc) const {
  const ArchSupport* general = nullptr;
  const ArchSupport* by_chip = nullptr;
  std::size_t chip_len = 0;
  std::string c = lower(chip);
  for (auto& a : arch_support) {
    if (lower(a.architecture) != lower(architecture)) continue;
    if (a.chips.empty() && a.ccs.empty()) {
      general = &a;
      continue;
    }
    for (auto& p : a.chips) {
      std::string lp = lower(p);
      if (!c.empty() && c.starts_with(lp) && lp.size() > chip_len) {
        by_chip = &a;
        chip_len = lp.size();
      }
    }
  }
  if (by_chip) return by_chip;
  for (auto& a : arch_support)
    if (lower(a.architecture) == lower(architecture) &&
        std::find(a.ccs.begin(), a.ccs.end(), cc) != a.ccs.end())
      return &a;
  return general;
}

}  // namespace gpuenv::kb
