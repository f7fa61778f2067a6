// The knowledge base's invariants, as data problems a test (or a --kb loader) can list.
#include <algorithm>
#include <set>

#include "facts/dotted.hpp"
#include "kb/kb.hpp"

namespace gpuenv::kb {

namespace {

using facts::compare_dotted;

struct Problems {
  std::vector<std::string> out;
  void add(const std::string& table, const std::string& what) { out.push_back(table + ": " + what); }
};

bool is_cc(std::string_view s) {
  auto d = facts::Dotted::parse(s);
  return d && d->parts.size() == 2;
}

void check_source(Problems& p, const std::string& table, const TableSource& s, bool has_rows) {
  if (!has_rows) return p.add(table, "no rows");
  if (s.source.empty()) p.add(table, "no source");
  if (s.checked.size() != 10) p.add(table, "checked date \"" + s.checked + "\" is not YYYY-MM-DD");
}

void check_gpus(const KnowledgeBase& kb, Problems& p) {
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < kb.gpus.size(); ++i) {
    auto& g = kb.gpus[i];
    std::string row = "row " + std::to_string(i) + " (" + g.pci_device_id + " " + g.name + ")";
    if (i && kb.gpus[i - 1].pci_device_id > g.pci_device_id) p.add("gpus", row + " is out of order");
    if (!seen.insert({g.pci_device_id, g.name}).second) p.add("gpus", row + " is a duplicate");
    if (g.pci_device_id.size() != 6) p.add("gpus", row + ": PCI id is not 0x and 4 hex digits");
    if (!is_cc(g.compute_capability)) p.add("gpus", row + ": compute capability is not X.Y");
    if (g.memory_mib && *g.memory_mib <= 0) p.add("gpus", row + ": memory must be positive");
  }
}

void check_drivers(const KnowledgeBase& kb, Problems& p) {
  for (std::size_t i = 1; i < kb.driver_branches.size(); ++i) {
    if (kb.driver_branches[i - 1].branch >= kb.driver_branches[i].branch)
      p.add("driver_branches", "branch " + std::to_string(kb.driver_branches[i].branch) + " is out of order");
    if (compare_dotted(kb.driver_branches[i - 1].cuda_max, kb.driver_branches[i].cuda_max) > 0)
      p.add("driver_branches", "cuda_max decreases at " + std::to_string(kb.driver_branches[i].branch));
  }
  for (auto& a : kb.arch_support)
    if (a.min_branch && a.last_branch && *a.min_branch > *a.last_branch)
      p.add("arch_support", a.architecture + ": min_branch after last_branch");
}

void check_cuda(const KnowledgeBase& kb, Problems& p) {
  std::set<std::string> labels;
  for (std::size_t i = 0; i < kb.cuda_releases.size(); ++i) {
    auto& c = kb.cuda_releases[i];
    if (!labels.insert(c.label).second) p.add("cuda_releases", c.label + " is a duplicate");
    if (!c.linux_driver) p.add("cuda_releases", c.label + ": no Linux driver");
    if (i == 0) continue;
    auto& prev = kb.cuda_releases[i - 1];
    int order = compare_dotted(prev.cuda, c.cuda);
    if (order > 0) p.add("cuda_releases", c.label + " is out of order");
    if (order == 0 && prev.linux_driver && c.linux_driver &&
        compare_dotted(*prev.linux_driver, *c.linux_driver) > 0)
      p.add("cuda_releases", c.label + ": Linux driver lower than the release before it");
    if (order == 0 && prev.windows_driver && c.windows_driver &&
        compare_dotted(*prev.windows_driver, *c.windows_driver) > 0)
      p.add("cuda_releases", c.label + ": Windows driver lower than the release before it");
  }
  std::set<std::string> cudas;
  for (auto& c : kb.cuda_releases) cudas.insert(c.cuda);
  for (auto& v : cudas) {
    auto n = std::count_if(kb.cuda_releases.begin(), kb.cuda_releases.end(),
                           [&](const CudaRelease& c) { return c.cuda == v && c.ga; });
    if (n != 1) p.add("cuda_releases", "CUDA " + v + " has " + std::to_string(n) + " GA rows (one expected)");
  }
  for (std::size_t i = 0; i < kb.cuda_families.size(); ++i)
    for (std::size_t j = i + 1; j < kb.cuda_families.size(); ++j) {
      auto& a = kb.cuda_families[i];
      auto& b = kb.cuda_families[j];
      if (a.major != b.major) continue;
      int a_hi = a.minor_max.value_or(1000), b_hi = b.minor_max.value_or(1000);
      if (a.minor_min <= b_hi && b.minor_min <= a_hi)
        p.add("cuda_families", "CUDA " + std::to_string(a.major) + ".x rows overlap");
    }
  for (std::size_t i = 0; i < kb.cuda_targets.size(); ++i) {
    auto& t = kb.cuda_targets[i];
    if (i && compare_dotted(kb.cuda_targets[i - 1].cuda, t.cuda) >= 0)
      p.add("cuda_targets", t.cuda + " is out of order");
    if (!std::is_sorted(t.sm.begin(), t.sm.end()) ||
        std::adjacent_find(t.sm.begin(), t.sm.end()) != t.sm.end())
      p.add("cuda_targets", t.cuda + ": sm list not sorted and unique");
  }
  for (std::size_t i = 1; i < kb.cudnn.size(); ++i) {
    auto& a = kb.cudnn[i - 1];
    auto& b = kb.cudnn[i];
    int order = compare_dotted(a.version, b.version);
    if (order > 0 || (order == 0 && a.for_cuda >= b.for_cuda))
      p.add("cudnn", b.version + " for " + b.for_cuda + " is out of order or a duplicate");
  }
}

std::string variant_name_for(const std::string& cuda) {
  auto d = facts::Dotted::parse(cuda);
  return d ? "cu" + std::to_string(d->major()) + std::to_string(d->minor()) : std::string();
}

void check_variant(const KnowledgeBase& kb, const TorchSeries& s, const TorchVariant& v, Problems& p) {
  std::string w = s.series + " " + v.name;
  if (v.name == "cpu") {
    if (v.cuda) p.add("torch", w + ": a CPU variant has no CUDA");
  } else if (!v.cuda) {
    p.add("torch", w + ": no CUDA version");
  } else {
    if (variant_name_for(*v.cuda) != v.name) p.add("torch", w + ": name does not match CUDA " + *v.cuda);
    if (!kb.cuda_ga(*v.cuda)) p.add("torch", w + ": CUDA " + *v.cuda + " is not in cuda_releases");
    const CudaTargets* t = kb.targets_for(*v.cuda);
    if (!t) p.add("torch", w + ": CUDA " + *v.cuda + " is not in cuda_targets");
    for (auto& plat : v.platforms)
      if (!v.arch_for(plat)) p.add("torch", w + ": no arch entry for " + plat);
    for (auto& a : v.arch) {
      if (!v.has_platform(a.platform))
        p.add("torch", w + ": arch for " + a.platform + " which it is not built for");
      for (auto& e : a.arch_list) {
        if (!e.starts_with("sm_") || !t) continue;
        std::string digits = e.substr(3);
        while (!digits.empty() && (digits.back() == 'a' || digits.back() == 'f')) digits.pop_back();
        int sm = std::stoi(digits);
        if (std::find(t->sm.begin(), t->sm.end(), sm) == t->sm.end())
          p.add("torch", w + " " + a.platform + ": " + e + " is not a target of CUDA " + *v.cuda);
      }
    }
  }
}

void check_torch(const KnowledgeBase& kb, Problems& p) {
  for (std::size_t i = 0; i < kb.torch.size(); ++i) {
    auto& s = kb.torch[i];
    if (i && compare_dotted(kb.torch[i - 1].series, s.series) >= 0)
      p.add("torch", s.series + " is out of order");
    if (s.python.empty()) p.add("torch", s.series + ": no Python versions");
    for (std::size_t k = 1; k < s.python.size(); ++k)
      if (compare_dotted(s.python[k - 1], s.python[k]) >= 0)
        p.add("torch", s.series + ": Python list not sorted");
    if (s.releases.empty()) p.add("torch", s.series + ": no releases");
    for (std::size_t k = 0; k < s.releases.size(); ++k) {
      auto& r = s.releases[k];
      if (!r.version.starts_with(s.series + ".")) p.add("torch", r.version + " is not in series " + s.series);
      if (k && compare_dotted(s.releases[k - 1].version, r.version) >= 0)
        p.add("torch", r.version + " is out of order");
      if (k && s.releases[k - 1].date > r.date)
        p.add("torch", r.version + ": date before the release before it");
      if (r.date.size() != 7 && r.date.size() != 10) p.add("torch", r.version + ": date is not YYYY-MM[-DD]");
      if (!r.torchaudio && s.note.find("torchaudio") == std::string::npos)
        p.add("torch", r.version + ": no torchaudio pair and no note saying why");
    }
    std::set<std::string> names;
    for (auto& v : s.variants) {
      if (!names.insert(v.name).second) p.add("torch", s.series + " " + v.name + " is a duplicate");
      check_variant(kb, s, v, p);
    }
    for (auto& [plat, v] : s.pypi_default) {
      if (!v) continue;
      const TorchVariant* tv = s.variant(*v);
      if (!tv || !tv->has_platform(plat))
        p.add("torch", s.series + ": PyPI default " + *v + " has no " + plat + " build");
    }
    for (auto& c : s.conda) {
      if (!c.cuda) continue;
      bool found = std::any_of(s.variants.begin(), s.variants.end(),
                               [&](const TorchVariant& v) { return v.cuda == c.cuda; });
      if (!found) p.add("torch", s.series + ": conda " + c.package + " has no matching variant");
    }
  }
}

}  // namespace

std::vector<std::string> KnowledgeBase::check() const {
  Problems p;
  if (meta.date.size() != 10) p.add("meta", "date \"" + meta.date + "\" is not YYYY-MM-DD");
  check_source(p, "gpus", gpus_source, !gpus.empty());
  check_source(p, "chips", chips_source, !chips.empty());
  check_source(p, "driver_branches", driver_branches_source, !driver_branches.empty());
  check_source(p, "arch_support", arch_support_source, !arch_support.empty());
  check_source(p, "cuda_releases", cuda_releases_source, !cuda_releases.empty());
  check_source(p, "cuda_families", cuda_families_source, !cuda_families.empty());
  check_source(p, "cuda_targets", cuda_targets_source, !cuda_targets.empty());
  check_source(p, "cudnn", cudnn_source, !cudnn.empty());
  check_source(p, "torch", torch_source, !torch.empty());
  check_source(p, "driver_install", driver_install_source, !driver_install.empty());
  check_source(p, "uv_torch_backends", uv_torch_backends_source, !uv_torch_backends.empty());
  check_gpus(*this, p);
  check_drivers(*this, p);
  check_cuda(*this, p);
  check_torch(*this, p);
  return p.out;
}

}  // namespace gpuenv::kb
