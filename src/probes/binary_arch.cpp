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

}  // namespace

std::vector<std::string> BinaryArchs::arch_list() const {
  bool has_loaded = std::any_of(targets.begin(), targets.end(),
                                [](auto& t) { return t.section == ".nv_fatbin" || t.section == "fatbin"; });
  std::vector<std::string> cubins, ptx;
  for (auto& t : targets) {
    bool runtime =
        has_loaded ? (t.section == ".nv_fatbin" || t.section == "fatbin") : t.section == "__nv_relfatbin";
    if (!runtime || (t.kind != "cubin" && t.kind != "ptx")) continue;
    auto& into = t.kind == "cubin" ? cubins : ptx;
    if (std::find(into.begin(), into.end(), t.target) == into.end()) into.push_back(t.target);
  }
  auto by_arch = [](const std::string& a, const std::string& b) { return target_key(a) < target_key(b); };
  std::sort(cubins.begin(), cubins.end(), by_arch);
  std::sort(ptx.begin(), ptx.end(), by_arch);
  cubins.insert(cubins.end(), ptx.begin(), ptx.end());
  return cubins;
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
