#include "install/setaside.hpp"

#include <algorithm>

#include "install/parse.hpp"
#include "platform/fs.hpp"
#include "platform/tree.hpp"

namespace gpuenv::install {

std::string find_site_packages(const std::string& prefix) {
  for (const char* lib : {"lib", "lib64"})
    for (auto& n : platform::list_names(prefix + "/" + lib))
      if (n.starts_with("python3")) {
        std::string site = prefix + "/" + lib + "/" + n + "/site-packages";
        if (platform::is_directory(site)) return site;
      }
  return {};
}

std::vector<InstalledDist> scan_dists(const std::string& site) {
  std::vector<InstalledDist> out;
  for (auto& n : platform::list_names(site)) {
    if (!n.ends_with(".dist-info")) continue;
    std::string dir = site + "/" + n;
    auto text = platform::read_host_file(dir + "/METADATA", 1u << 20);
    if (!text) continue;
    auto m = parse_metadata(*text);
    if (!m) continue;
    out.push_back({normalize_name(m->name), m->version, dir});
  }
  return out;
}

std::vector<std::string> pip_temp_entries(const std::string& site) {
  std::vector<std::string> out;
  for (auto& n : platform::list_names(site))
    if (n.starts_with("~")) out.push_back(n);
  return out;
}

namespace {

bool inside(const std::string& path, const std::string& prefix) {
  return path.size() > prefix.size() && path.starts_with(prefix) && path[prefix.size()] == '/';
}

std::string relative(const std::string& path, const std::string& prefix) {
  return path.substr(prefix.size() + 1);
}

}  // namespace

std::vector<std::string> dist_files(const InstalledDist& d, const std::string& site,
                                    const std::string& prefix) {
  std::vector<std::string> out;
  auto record = platform::read_host_file(d.dist_info + "/RECORD");
  if (record)
    for (auto& rel : parse_record(*record)) {
      std::string p = platform::normalize(rel.front() == '/' ? rel : site + "/" + rel);
      if (inside(p, prefix)) out.push_back(p);
    }
  for (auto& n : platform::list_names(d.dist_info)) {
    std::string p = d.dist_info + "/" + n;
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  return out;
}

std::string set_aside(const InstalledDist& d, const std::string& site, const std::string& prefix,
                      const std::string& store, SetAsideDist& out) {
  out.name = d.name;
  out.version = d.version;
  out.files.clear();
  for (auto& p : dist_files(d, site, prefix)) {
    if (!platform::path_exists(p)) continue;  // a RECORD may list files removed since (.pyc)
    std::string rel = relative(p, prefix);
    if (auto e = platform::link_or_copy(p, store + "/" + rel); !e.empty()) return e;
    out.files.push_back(rel);
  }
  return {};
}

std::string remove_dist(const InstalledDist& d, const std::string& site, const std::string& prefix) {
  std::string err;
  for (auto& p : dist_files(d, site, prefix)) {
    if (platform::is_directory(p)) continue;
    if (auto e = platform::remove_file(p); !e.empty() && err.empty()) err = e;
    platform::remove_empty_dirs(platform::dirname(p), site.starts_with(prefix) ? site : prefix);
  }
  if (auto e = platform::remove_tree(d.dist_info); !e.empty() && err.empty()) err = e;
  return err;
}

std::string restore(const SetAsideDist& d, const std::string& prefix, const std::string& store) {
  std::string err;
  for (auto& rel : d.files)
    if (auto e = platform::link_or_copy(store + "/" + rel, prefix + "/" + rel); !e.empty() && err.empty())
      err = e;
  return err;
}

}  // namespace gpuenv::install
