#include "probes/binary_arch.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "kb/arch.hpp"

namespace gpuenv::probes {

namespace {

// Bump when the reader's interpretation changes, so older cache records are ignored.
constexpr int kCacheVersion = 1;

int kind_rank(const std::string& kind) {
  return kind == "cubin" ? 0 : kind == "ptx" ? 1 : kind == "lto" ? 2 : 3;
}

// Sort key of a target string: (major, minor, variant) for sm_/compute_, else after them by text.
std::tuple<int, int, int, std::string> target_key(const std::string& t) {
  if (auto a = kb::parse_arch_target(t))
    return {a->major, a->minor, a->variant == '\0' ? 0 : a->variant == 'a' ? 1 : 2, t};
  std::size_t us = t.rfind('_');
  int n = 0;
  if (us != std::string::npos)
    for (char c : t.substr(us + 1))
      if (c >= '0' && c <= '9') n = n * 10 + (c - '0');
  return {n / 10, n % 10, 3, t};
}

bool error_from_json(const nlohmann::json& j, BinaryError& e) {
  static const BinaryErrorCode codes[] = {
      BinaryErrorCode::io,          BinaryErrorCode::empty,         BinaryErrorCode::not_elf,
      BinaryErrorCode::elf32,       BinaryErrorCode::big_endian,    BinaryErrorCode::device_elf,
      BinaryErrorCode::no_sections, BinaryErrorCode::truncated,     BinaryErrorCode::bad_elf,
      BinaryErrorCode::bad_fatbin,  BinaryErrorCode::fatbin_version};
  auto name = j.at("code").get<std::string>();
  for (auto c : codes) {
    e.code = c;
    if (name == e.code_name()) {
      e.detail = j.at("detail").get<std::string>();
      e.section = j.at("section").get<std::string>();
      e.offset = j.at("offset").get<std::uint64_t>();
      return true;
    }
  }
  return false;
}

bool is_loaded_section(const std::string& s) {
  return s == ".nv_fatbin" || s == "fatbin";
}

// The section a GPU loads code from: .nv_fatbin (or a standalone fat binary); __nv_relfatbin only
// when there is no loaded section (a relocatable object, linked into a program later).
template <class Range, class SectionOf>
bool has_loaded_section(const Range& items, SectionOf section_of) {
  return std::any_of(items.begin(), items.end(), [&](auto& x) { return is_loaded_section(section_of(x)); });
}
bool is_runtime(const std::string& section, bool has_loaded) {
  return has_loaded ? is_loaded_section(section) : section == "__nv_relfatbin";
}

// Cubins then PTX, each by arch; duplicates removed.
void order_targets(std::vector<std::string>& v) {
  auto key = [](const std::string& t) { return std::make_pair(t.starts_with("compute_"), target_key(t)); };
  std::sort(v.begin(), v.end(), [&](auto& a, auto& b) { return key(a) < key(b); });
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::vector<std::string> BinaryArchs::arch_list() const {
  bool loaded = has_loaded_section(targets, [](const FatbinTarget& t) { return t.section; });
  std::vector<std::string> out;
  for (auto& t : targets)
    if (is_runtime(t.section, loaded) && (t.kind == "cubin" || t.kind == "ptx")) out.push_back(t.target);
  order_targets(out);
  return out;
}

BinaryArchs summarize(const FatbinListing& listing) {
  BinaryArchs out;
  out.sections = listing.sections;
  out.entries = listing.entries.size();
  out.containers = listing.containers;
  out.error = listing.error;
  std::map<std::tuple<std::string, std::string, std::string>, FatbinTarget> agg;
  for (auto& e : listing.entries) {
    auto& t = agg[{e.section, kind_name(e.kind), e.target()}];
    t.target = e.target();
    t.kind = kind_name(e.kind);
    t.section = e.section;
    ++t.count;
    if (e.compressed) ++t.compressed;
  }
  for (auto& [k, t] : agg) out.targets.push_back(t);
  bool loaded = has_loaded_section(listing.entries, [](const FatbinEntry& e) { return e.section; });
  std::map<std::uint64_t, std::vector<std::string>> per_module;
  for (auto& e : listing.entries)
    if (is_runtime(e.section, loaded) && (e.kind == FatbinKind::cubin || e.kind == FatbinKind::ptx))
      per_module[e.container].push_back(e.target());
  std::map<std::vector<std::string>, std::uint64_t> groups;
  for (auto& [index, list] : per_module) {
    bool general = std::any_of(list.begin(), list.end(), [](const std::string& t) {
      auto a = kb::parse_arch_target(t);
      return a && a->variant == '\0';
    });
    if (!general) continue;
    order_targets(list);
    ++groups[list];
  }
  for (auto& [list, n] : groups) out.modules.push_back({list, n});
  std::stable_sort(out.modules.begin(), out.modules.end(),
                   [](const ModuleGroup& a, const ModuleGroup& b) { return a.count > b.count; });
  auto section_rank = [&](const std::string& s) {
    return std::find(out.sections.begin(), out.sections.end(), s) - out.sections.begin();
  };
  std::sort(out.targets.begin(), out.targets.end(), [&](const FatbinTarget& a, const FatbinTarget& b) {
    return std::make_tuple(section_rank(a.section), kind_rank(a.kind), target_key(a.target)) <
           std::make_tuple(section_rank(b.section), kind_rank(b.kind), target_key(b.target));
  });
  return out;
}

std::string fatbin_cache_name(const std::string& host_path) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits
  for (unsigned char c : host_path) h = (h ^ c) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string("fatbin/") + buf + ".json";
}

std::string fatbin_cache_record(const BinaryArchs& a, const std::string& host_path, std::uint64_t size,
                                std::int64_t mtime_ns) {
  nlohmann::ordered_json j;
  j["version"] = kCacheVersion;
  j["path"] = host_path;
  j["size"] = size;
  j["mtime_ns"] = mtime_ns;
  j["sections"] = a.sections;
  j["entries"] = a.entries;
  j["containers"] = a.containers;
  auto& ts = j["targets"] = nlohmann::ordered_json::array();
  for (auto& t : a.targets) ts.push_back({t.target, t.kind, t.section, t.count, t.compressed});
  auto& ms = j["modules"] = nlohmann::ordered_json::array();
  for (auto& m : a.modules) ms.push_back({m.targets, m.count});
  if (a.error)
    j["error"] = {{"code", a.error->code_name()},
                  {"detail", a.error->detail},
                  {"section", a.error->section},
                  {"offset", a.error->offset}};
  else
    j["error"] = nullptr;
  return j.dump();
}

std::optional<BinaryArchs> parse_fatbin_cache_record(std::string_view text, const std::string& host_path,
                                                     std::uint64_t size, std::int64_t mtime_ns) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    if (j.at("version").get<int>() != kCacheVersion || j.at("path").get<std::string>() != host_path ||
        j.at("size").get<std::uint64_t>() != size || j.at("mtime_ns").get<std::int64_t>() != mtime_ns)
      return std::nullopt;
    BinaryArchs a;
    a.sections = j.at("sections").get<std::vector<std::string>>();
    a.entries = j.at("entries").get<std::uint64_t>();
    a.containers = j.at("containers").get<std::uint64_t>();
    for (auto& t : j.at("targets")) {
      if (!t.is_array() || t.size() != 5) return std::nullopt;
      a.targets.push_back({t[0].get<std::string>(), t[1].get<std::string>(), t[2].get<std::string>(),
                           t[3].get<std::uint64_t>(), t[4].get<std::uint64_t>()});
    }
    for (auto& m : j.at("modules")) {
      if (!m.is_array() || m.size() != 2) return std::nullopt;
      a.modules.push_back({m[0].get<std::vector<std::string>>(), m[1].get<std::uint64_t>()});
    }
    if (!j.at("error").is_null()) {
      BinaryError e;
      if (!error_from_json(j.at("error"), e)) return std::nullopt;
      a.error = e;
    }
    a.from_cache = true;
    return a;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

BinaryArchs read_binary_archs(const std::string& host_path, const platform::CacheStore& cache) {
  auto opened = platform::BinaryFile::open(host_path);
  if (!opened.file) {
    BinaryArchs a;
    a.error = BinaryError{BinaryErrorCode::io, opened.error, {}, 0};
    return a;
  }
  const auto& file = *opened.file;
  const std::string key = platform::absolute_path(host_path);
  std::string name = fatbin_cache_name(key);
  if (cache.enabled()) {
    if (auto text = cache.get(name))
      if (auto hit = parse_fatbin_cache_record(*text, key, file.size(), file.mtime_ns())) return *hit;
  }
  BinaryArchs a = summarize(list_fatbin(file));
  if (cache.enabled() && !(a.error && a.error->code == BinaryErrorCode::io))
    (void)cache.put(name, fatbin_cache_record(a, key, file.size(), file.mtime_ns()));
  return a;
}

}  // namespace gpuenv::probes
