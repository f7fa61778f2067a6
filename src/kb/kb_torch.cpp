// The torch table: one row per minor series with its patch releases, pairs and CUDA variants.
#include <algorithm>
#include <stdexcept>

#include "facts/dotted.hpp"
#include "kb/kb.hpp"
#include "kb/kb_json.hpp"

namespace gpuenv::kb {

using namespace detail;

// Sample: "5.0;6.0;7.0;7.5;8.0;8.6;3.7;9.0" (pytorch/builder manywheel/build_cuda.sh, cu118),
// "3.7+PTX;5.0;6.0;6.1;7.0;7.5" (windows/cuda102.bat), "7.5;8.0;8.6;9.0;10.0;12.0+PTX" (cu130).
std::optional<std::vector<std::string>> parse_torch_arch_list(std::string_view list) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= list.size()) {
    std::size_t j = list.find_first_of("; ", i);
    if (j == std::string_view::npos) j = list.size();
    std::string_view tok = list.substr(i, j - i);
    i = j + 1;
    if (tok.empty()) {
      if (j == list.size()) break;
      continue;
    }
    bool ptx = false;
    if (tok.ends_with("+PTX")) {
      ptx = true;
      tok.remove_suffix(4);
    }
    char suffix = 0;
    if (!tok.empty() && (tok.back() == 'a' || tok.back() == 'f')) {
      suffix = tok.back();
      tok.remove_suffix(1);
    }
    auto dot = tok.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 2 != tok.size()) return std::nullopt;
    std::string digits;
    for (std::size_t k = 0; k < tok.size(); ++k) {
      if (k == dot) continue;
      if (tok[k] < '0' || tok[k] > '9') return std::nullopt;
      digits += tok[k];
    }
    out.push_back("sm_" + digits + (suffix ? std::string(1, suffix) : std::string()));
    if (ptx) out.push_back("compute_" + digits);
    if (j == list.size()) break;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

const VariantArch* TorchVariant::arch_for(std::string_view platform) const {
  for (auto& a : arch)
    if (a.platform == platform) return &a;
  return nullptr;
}

bool TorchVariant::has_platform(std::string_view platform) const {
  return std::find(platforms.begin(), platforms.end(), platform) != platforms.end();
}

const TorchVariant* TorchSeries::variant(std::string_view name) const {
  for (auto& v : variants)
    if (v.name == name) return &v;
  return nullptr;
}

std::optional<std::string> TorchSeries::default_variant(std::string_view platform) const {
  for (auto& [p, v] : pypi_default)
    if (p == platform) return v;
  return std::nullopt;
}

std::string TorchSeries::index_url(std::string_view variant) const {
  std::string url = pip_url;
  if (auto p = url.find("{variant}"); p != std::string::npos) url.replace(p, 9, variant);
  return url;
}

const TorchSeries* KnowledgeBase::torch_series(std::string_view series) const {
  for (auto& s : torch)
    if (s.series == series) return &s;
  return nullptr;
}

std::string KnowledgeBase::newest_torch() const {
  const std::string* best = nullptr;
  for (auto& s : torch)
    for (auto& r : s.releases)
      if (!best || version_less(*best, r.version)) best = &r.version;
  return best ? *best : std::string();
}

namespace {

TorchVariant read_variant(const json& v, const std::string& where) {
  TorchVariant t;
  t.name = req_str(v, "name", where);
  std::string w = where + " variant " + t.name;
  t.cuda = null_str(v, "cuda", w);
  t.toolkit = null_str(v, "toolkit", w);
  t.cudnn = null_str(v, "cudnn", w);
  t.platforms = str_list(v, "platforms", w);
  if (auto a = v.find("arch"); a != v.end() && !a->is_null()) {
    if (!a->is_object()) throw std::runtime_error(w + ": \"arch\" must be an object");
    for (auto& [platform, list] : a->items()) {
      VariantArch va;
      va.platform = platform;
      if (!list.is_null()) {
        if (!list.is_string())
          throw std::runtime_error(w + ": arch of " + platform + " must be a string or null");
        va.list = list.get<std::string>();
        auto parsed = parse_torch_arch_list(*va.list);
        if (!parsed)
          throw std::runtime_error(w + ": arch of " + platform + ": cannot read \"" + *va.list + "\"");
        va.arch_list = std::move(*parsed);
      }
      t.arch.push_back(std::move(va));
    }
  }
  return t;
}

TorchSeries read_series(const json& r, const std::string& where) {
  TorchSeries s;
  s.series = req_str(r, "series", where);
  std::string w = where + " (" + s.series + ")";
  s.python = str_list(r, "python", w);
  if (auto p = r.find("pip"); p != r.end() && p->is_object()) {
    s.pip_style = req_str(*p, "style", w + " pip");
    s.pip_url = req_str(*p, "url", w + " pip");
  } else {
    throw std::runtime_error(w + ": missing object \"pip\"");
  }
  if (auto d = r.find("pypi_default"); d != r.end() && d->is_object())
    for (auto& [platform, v] : d->items())
      s.pypi_default.emplace_back(platform,
                                  v.is_string() ? std::optional(v.get<std::string>()) : std::nullopt);
  if (auto c = r.find("conda"); c != r.end() && c->is_array())
    for (auto& x : *c)
      s.conda.push_back({null_str(x, "cuda", w + " conda"), req_str(x, "package", w + " conda"),
                         str_list(x, "channels", w + " conda")});
  if (auto c = r.find("conda_forge"); c != r.end() && c->is_array())
    for (auto& x : *c)
      s.conda_forge.push_back({req_str(x, "version", w + " conda_forge"),
                               req_str(x, "cuda", w + " conda_forge"),
                               str_list(x, "platforms", w + " conda_forge")});
  auto rel = r.find("releases");
  if (rel == r.end() || !rel->is_array()) throw std::runtime_error(w + ": missing list \"releases\"");
  for (auto& x : *rel) {
    TorchRelease t;
    t.version = req_str(x, "version", w + " release");
    std::string rw = w + " release " + t.version;
    t.date = req_str(x, "date", rw);
    t.torchvision = req_str(x, "torchvision", rw);
    t.torchaudio = null_str(x, "torchaudio", rw);
    t.conda_torchvision = null_str(x, "conda_torchvision", rw);
    t.conda_torchaudio = null_str(x, "conda_torchaudio", rw);
    s.releases.push_back(std::move(t));
  }
  auto var = r.find("variants");
  if (var == r.end() || !var->is_array()) throw std::runtime_error(w + ": missing list \"variants\"");
  for (auto& x : *var) s.variants.push_back(read_variant(x, w));
  s.note = opt_str(r, "note");
  return s;
}

oj write_series(const TorchSeries& s) {
  oj defaults = oj::object();
  for (auto& [p, v] : s.pypi_default) defaults[p] = or_null(v);
  oj conda = oj::array();
  for (auto& c : s.conda)
    conda.push_back({{"cuda", or_null(c.cuda)}, {"package", c.package}, {"channels", c.channels}});
  oj forge = oj::array();
  for (auto& c : s.conda_forge)
    forge.push_back({{"version", c.version}, {"cuda", c.cuda}, {"platforms", c.platforms}});
  oj rels = oj::array();
  for (auto& r : s.releases) {
    oj j{{"version", r.version},
         {"date", r.date},
         {"torchvision", r.torchvision},
         {"torchaudio", or_null(r.torchaudio)}};
    if (r.conda_torchvision) j["conda_torchvision"] = *r.conda_torchvision;
    if (r.conda_torchaudio) j["conda_torchaudio"] = *r.conda_torchaudio;
    rels.push_back(std::move(j));
  }
  oj vars = oj::array();
  for (auto& v : s.variants) {
    oj arch = oj::object();
    for (auto& a : v.arch) arch[a.platform] = or_null(a.list);
    vars.push_back({{"name", v.name},
                    {"cuda", or_null(v.cuda)},
                    {"toolkit", or_null(v.toolkit)},
                    {"cudnn", or_null(v.cudnn)},
                    {"platforms", v.platforms},
                    {"arch", std::move(arch)}});
  }
  oj j{{"series", s.series},
       {"python", s.python},
       {"pip", {{"style", s.pip_style}, {"url", s.pip_url}}},
       {"pypi_default", std::move(defaults)},
       {"conda", std::move(conda)},
       {"conda_forge", std::move(forge)},
       {"releases", std::move(rels)},
       {"variants", std::move(vars)}};
  if (!s.note.empty()) j["note"] = s.note;
  return j;
}

}  // namespace

namespace detail {

void read_torch_table(const json& tables, KnowledgeBase& kb) {
  auto it = tables.find("torch");
  if (it == tables.end()) return;
  kb.torch_source = source_from(*it, "torch");
  int i = 0;
  for (auto& r : rows_of(*it, "torch"))
    kb.torch.push_back(read_series(r, "kb table torch row " + std::to_string(i++)));
}

void write_torch_table(const KnowledgeBase& kb, oj& tables) {
  oj rows = oj::array();
  for (auto& s : kb.torch) rows.push_back(write_series(s));
  tables["torch"] = table_json(kb.torch_source, std::move(rows));
}

}  // namespace detail
}  // namespace gpuenv::kb
