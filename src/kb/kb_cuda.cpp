// The CUDA tables: toolkit releases with their minimum drivers (Table 3), minor-version
// compatibility families (Table 2), compilable targets per toolkit, and cuDNN releases.
#include <algorithm>
#include <stdexcept>

#include "facts/dotted.hpp"
#include "kb/kb.hpp"
#include "kb/kb_json.hpp"

namespace gpuenv::kb {

using namespace detail;

namespace {

std::string where_of(const char* table, int i) {
  return std::string("kb table ") + table + " row " + std::to_string(i);
}

/// "12.6" → {12, 6}; throws naming `where` when it is not major.minor.
std::pair<int, int> major_minor(const std::string& v, const std::string& where) {
  auto d = facts::Dotted::parse(v);
  if (!d || d->parts.size() != 2)
    throw std::runtime_error(where + ": \"" + v + "\" is not a CUDA major.minor");
  return {d->major(), d->minor()};
}

}  // namespace

namespace detail {

void read_cuda_tables(const json& tables, KnowledgeBase& kb) {
  if (auto it = tables.find("cuda_releases"); it != tables.end()) {
    kb.cuda_releases_source = source_from(*it, "cuda_releases");
    int i = 0;
    for (auto& r : rows_of(*it, "cuda_releases")) {
      std::string where = where_of("cuda_releases", i++);
      CudaRelease c;
      c.cuda = req_str(r, "cuda", where);
      major_minor(c.cuda, where);
      c.label = req_str(r, "label", where);
      c.ga = r.contains("ga") && r["ga"].is_boolean() && r["ga"].get<bool>();
      c.linux_driver = null_str(r, "linux", where);
      c.windows_driver = null_str(r, "windows", where);
      kb.cuda_releases.push_back(std::move(c));
    }
  }
  if (auto it = tables.find("cuda_families"); it != tables.end()) {
    kb.cuda_families_source = source_from(*it, "cuda_families");
    int i = 0;
    for (auto& r : rows_of(*it, "cuda_families")) {
      std::string where = where_of("cuda_families", i++);
      CudaFamily f;
      f.major = req_int(r, "major", where);
      f.minor_min = req_int(r, "minor_min", where);
      if (auto m = r.find("minor_max"); m != r.end() && !m->is_null())
        f.minor_max = req_int(r, "minor_max", where);
      f.linux_driver = req_str(r, "linux", where);
      f.windows_driver = req_str(r, "windows", where);
      kb.cuda_families.push_back(std::move(f));
    }
  }
  if (auto it = tables.find("cuda_targets"); it != tables.end()) {
    kb.cuda_targets_source = source_from(*it, "cuda_targets");
    int i = 0;
    for (auto& r : rows_of(*it, "cuda_targets")) {
      std::string where = where_of("cuda_targets", i++);
      CudaTargets t;
      t.cuda = req_str(r, "cuda", where);
      major_minor(t.cuda, where);
      auto sm = r.find("sm");
      if (sm == r.end() || !sm->is_array()) throw std::runtime_error(where + ": missing list \"sm\"");
      for (auto& x : *sm) {
        if (!x.is_number_integer()) throw std::runtime_error(where + ": \"sm\" must hold integers");
        t.sm.push_back(x.get<int>());
      }
      kb.cuda_targets.push_back(std::move(t));
    }
  }
  if (auto it = tables.find("cudnn"); it != tables.end()) {
    kb.cudnn_source = source_from(*it, "cudnn");
    int i = 0;
    for (auto& r : rows_of(*it, "cudnn")) {
      std::string where = where_of("cudnn", i++);
      CudnnRelease c;
      c.version = req_str(r, "version", where);
      c.for_cuda = req_str(r, "for_cuda", where);
      c.cuda_min = req_str(r, "cuda_min", where);
      c.cuda_max = req_str(r, "cuda_max", where);
      c.linux_driver = null_str(r, "linux", where);
      c.windows_driver = null_str(r, "windows", where);
      c.cc_min = req_str(r, "cc_min", where);
      c.cc_max = req_str(r, "cc_max", where);
      kb.cudnn.push_back(std::move(c));
    }
  }
}

void write_cuda_tables(const KnowledgeBase& kb, oj& tables) {
  oj rel = oj::array();
  for (auto& c : kb.cuda_releases)
    rel.push_back({{"cuda", c.cuda},
                   {"label", c.label},
                   {"linux", or_null(c.linux_driver)},
                   {"windows", or_null(c.windows_driver)},
                   {"ga", c.ga}});
  oj fam = oj::array();
  for (auto& f : kb.cuda_families)
    fam.push_back({{"major", f.major},
                   {"minor_min", f.minor_min},
                   {"minor_max", f.minor_max ? oj(*f.minor_max) : oj(nullptr)},
                   {"linux", f.linux_driver},
                   {"windows", f.windows_driver}});
  oj tgt = oj::array();
  for (auto& t : kb.cuda_targets) tgt.push_back({{"cuda", t.cuda}, {"sm", t.sm}});
  oj dnn = oj::array();
  for (auto& c : kb.cudnn)
    dnn.push_back({{"version", c.version},
                   {"for_cuda", c.for_cuda},
                   {"cuda_min", c.cuda_min},
                   {"cuda_max", c.cuda_max},
                   {"linux", or_null(c.linux_driver)},
                   {"windows", or_null(c.windows_driver)},
                   {"cc_min", c.cc_min},
                   {"cc_max", c.cc_max}});
  tables["cuda_releases"] = table_json(kb.cuda_releases_source, std::move(rel));
  tables["cuda_families"] = table_json(kb.cuda_families_source, std::move(fam));
  tables["cuda_targets"] = table_json(kb.cuda_targets_source, std::move(tgt));
  tables["cudnn"] = table_json(kb.cudnn_source, std::move(dnn));
}

}  // namespace detail

const CudaRelease* KnowledgeBase::cuda_ga(std::string_view cuda) const {
  for (auto& c : cuda_releases)
    if (c.ga && c.cuda == cuda) return &c;
  return nullptr;
}

const CudaFamily* KnowledgeBase::cuda_family(std::string_view cuda) const {
  auto v = facts::Dotted::parse(cuda);
  if (!v) return nullptr;
  const CudaFamily* open = nullptr;
  for (auto& f : cuda_families) {
    if (f.major != v->major() || v->minor() < f.minor_min) continue;
    if (f.minor_max) {
      if (v->minor() <= *f.minor_max) return &f;  // a bounded row is the more specific one
    } else if (!open || f.minor_min > open->minor_min) {
      open = &f;
    }
  }
  return open;
}

const CudaTargets* KnowledgeBase::targets_for(std::string_view cuda) const {
  for (auto& t : cuda_targets)
    if (t.cuda == cuda) return &t;
  return nullptr;
}

std::string KnowledgeBase::newest_cuda() const {
  const std::string* best = nullptr;
  for (auto& c : cuda_releases)
    if (!best || version_less(*best, c.cuda)) best = &c.cuda;
  return best ? *best : std::string();
}

}  // namespace gpuenv::kb
