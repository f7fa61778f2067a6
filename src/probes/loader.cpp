#include "probes/loader.hpp"

#include <algorithm>

#include "probes/parse.hpp"

namespace gpuenv::probes {

namespace {

bool glob_match(std::string_view pattern, std::string_view name) {
  auto star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == name;
  auto pre = pattern.substr(0, star), post = pattern.substr(star + 1);
  return name.size() >= pre.size() + post.size() && name.starts_with(pre) && name.ends_with(post);
}

void read_conf(const ProbeContext& ctx, const std::string& path, std::vector<std::string>& dirs, int depth) {
  if (depth > 3) return;
  auto r = ctx.fs.read(path, 256 * 1024);
  if (!r.ok()) {
    if (r.status == platform::ReadResult::Status::failed)
      ctx.warn("loader", path, {"warning.cannot_read", {{"reason", r.error}}});
    return;
  }
  auto conf = parse_ld_so_conf(r.data);
  for (auto& d : conf.dirs) dirs.push_back(d);
  for (auto& inc : conf.includes) {
    std::string pattern = inc.starts_with('/') ? inc : platform::dirname(path) + "/" + inc;
    std::string dir = platform::dirname(pattern);
    std::string base(platform::basename(pattern));
    for (auto& e : ctx.fs.list(dir, 1000).entries)
      if (glob_match(base, e.name)) read_conf(ctx, dir + "/" + e.name, dirs, depth + 1);
  }
}

}  // namespace

std::vector<std::string> loader_dirs(const ProbeContext& ctx) {
  std::vector<std::string> dirs;
  read_conf(ctx, "/etc/ld.so.conf", dirs, 0);
  for (const char* d : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                        "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
                        "/usr/lib/wsl/lib", "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib"})
    dirs.emplace_back(d);
  std::vector<std::string> out;
  std::vector<std::string> seen_real;
  for (auto& d : dirs) {
    auto norm = platform::normalize(d);
    auto real = ctx.fs.real_path(norm);
    if (!real) continue;
    if (std::find(seen_real.begin(), seen_real.end(), *real) != seen_real.end()) continue;
    if (ctx.fs.stat(norm).kind != platform::FileKind::directory) continue;
    seen_real.push_back(*real);
    out.push_back(norm);
  }
  return out;
}

std::vector<std::string> files_with_prefix(const ProbeContext& ctx, const std::string& dir,
                                           const std::string& prefix) {
  std::vector<std::string> out;
  for (auto& e : ctx.fs.list(dir).entries)
    if (e.name.starts_with(prefix)) out.push_back(e.name);
  return out;
}

bool is_cuda_family_library(std::string_view name) {
  static constexpr std::string_view kLibs[] = {"libcudnn",    "libcublas",    "libcublasLt", "libnccl",
                                               "libcudart",   "libcufft",     "libcurand",   "libcusolver",
                                               "libcusparse", "libnvJitLink", "libnvrtc",    "libcupti"};
  auto so = name.find(".so");
  if (so == std::string_view::npos) return false;
  std::string_view base = name.substr(0, so);
  // libcudnn_ops.so.9, libcudart-d0da41ae.so.11.0 (torch's bundled copies carry a hash)
  for (auto lib : kLibs)
    if (base == lib || (base.starts_with(lib) && (base[lib.size()] == '_' || base[lib.size()] == '-')))
      return true;
  return false;
}

std::vector<facts::LibraryDir> probe_library_path(const ProbeContext& ctx) {
  std::vector<facts::LibraryDir> out;
  auto value = ctx.env.get("LD_LIBRARY_PATH");
  if (!value) return out;
  std::string_view rest = *value;
  while (!rest.empty()) {
    auto colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    // An empty entry means the current directory to the loader; a relative one depends on it too.
    if (dir.empty() || dir.front() != '/') continue;
    if (std::any_of(out.begin(), out.end(), [&](auto& d) { return d.dir == dir; })) continue;
    facts::LibraryDir d;
    d.dir = dir;
    auto listing = ctx.fs.list(dir);
    if (!listing.error.empty() && ctx.fs.stat(dir).kind == platform::FileKind::directory)
      ctx.warn("loader", dir, {"warning.cannot_list", {{"reason", listing.error}}});
    for (auto& e : listing.entries)
      if (is_cuda_family_library(e.name)) d.libraries.push_back(e.name);
    std::sort(d.libraries.begin(), d.libraries.end());
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace gpuenv::probes
