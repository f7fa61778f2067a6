#include "install/parse.hpp"

#include <nlohmann/json.hpp>

namespace gpuenv::install {

using nlohmann::json;

std::string normalize_name(std::string_view name) {
  std::string out;
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out += '-';
    sep = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

namespace {

std::optional<json> parse_json(std::string_view text) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

std::optional<std::string> str(const json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<PackageSet> parse_package_set(std::string_view text) {
  auto j = parse_json(text);
  if (!j) return std::nullopt;
  const json* list = nullptr;
  if (j->is_array())
    list = &*j;
  else if (j->is_object() && j->contains("installed") && (*j)["installed"].is_array())
    list = &(*j)["installed"];
  if (!list) return std::nullopt;
  PackageSet set;
  for (auto& e : *list) {
    const json& m = e.is_object() && e.contains("metadata") ? e["metadata"] : e;
    auto name = str(m, "name");
    auto version = str(m, "version");
    if (name && version) set[normalize_name(*name)] = *version;
  }
  return set;
}

std::optional<std::vector<std::string>> parse_pip_report(std::string_view text) {
  auto j = parse_json(text);
  if (!j || !j->is_object() || !j->contains("install") || !(*j)["install"].is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (auto& e : (*j)["install"])
    if (e.is_object() && e.contains("metadata"))
      if (auto name = str(e["metadata"], "name")) out.push_back(normalize_name(*name));
  return out;
}

std::vector<std::string> parse_uv_dry_run(std::string_view text) {
  std::vector<std::string> out;
  for (auto line : lines(text)) {
    line = trim(line);
    if (!line.starts_with("- ")) continue;
    line.remove_prefix(2);
    auto eq = line.find("==");
    if (eq == std::string_view::npos) continue;
    out.push_back(normalize_name(trim(line.substr(0, eq))));
  }
  return out;
}

std::optional<int> parse_conda_revision(std::string_view text) {
  std::optional<int> rev;
  for (auto line : lines(text)) {
    auto i = line.find("(rev ");
    if (i == std::string_view::npos) continue;
    int n = 0;
    bool digits = false;
    for (std::size_t k = i + 5; k < line.size() && line[k] >= '0' && line[k] <= '9'; ++k) {
      n = n * 10 + (line[k] - '0');
      digits = true;
    }
    if (digits && (!rev || n > *rev)) rev = n;
  }
  return rev;
}

std::vector<std::string> parse_conda_explicit(std::string_view text) {
  std::vector<std::string> out;
  for (auto line : lines(text)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    out.emplace_back(line);
  }
  return out;
}

std::optional<CondaInfo> parse_conda_info(std::string_view text, const std::string& name) {
  auto j = parse_json(text);
  if (!j || !j->is_object()) return std::nullopt;
  CondaInfo info;
  if (j->contains("envs") && (*j)["envs"].is_array())
    for (auto& e : (*j)["envs"]) {
      if (!e.is_string()) continue;
      std::string p = e.get<std::string>();
      auto slash = p.find_last_of('/');
      if (slash != std::string::npos && p.substr(slash + 1) == name && !info.existing) info.existing = p;
    }
  if (j->contains("envs_dirs") && (*j)["envs_dirs"].is_array() && !(*j)["envs_dirs"].empty() &&
      (*j)["envs_dirs"][0].is_string())
    info.new_prefix = (*j)["envs_dirs"][0].get<std::string>() + "/" + name;
  return info;
}

std::vector<std::string> parse_record(std::string_view text) {
  std::vector<std::string> out;
  for (auto line : lines(text)) {
    if (line.empty()) continue;
    std::string path;
    if (line.front() == '"') {
      for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            path += '"';
            ++i;
            continue;
          }
          break;
        }
        path += line[i];
      }
    } else {
      path = std::string(line.substr(0, line.find(',')));
    }
    if (!path.empty()) out.push_back(std::move(path));
  }
  return out;
}

std::optional<DistMeta> parse_metadata(std::string_view text) {
  DistMeta m;
  for (auto line : lines(text)) {
    if (line.empty()) break;
    if (line.starts_with("Name:")) m.name = std::string(trim(line.substr(5)));
    if (line.starts_with("Version:")) m.version = std::string(trim(line.substr(8)));
  }
  if (m.name.empty() || m.version.empty()) return std::nullopt;
  return m;
}

}  // namespace gpuenv::install
