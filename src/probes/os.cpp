#include "probes/os.hpp"

#include <algorithm>
#include <cctype>

#include "platform/binary_file.hpp"
#include "platform/fs.hpp"
#include "probes/parse.hpp"

namespace gpuenv::probes {

namespace {

// The CPU architecture from the dynamic loader the system carries: works the same on the live
// machine and on a --root tree (no uname of the host leaks into a fixture's report).
std::optional<std::string> detect_arch(const platform::FileSystem& fs) {
  struct Loader {
    const char* path;
    const char* arch;
  };
  static constexpr Loader loaders[] = {
      {"/lib64/ld-linux-x86-64.so.2", "x86_64"}, {"/lib/ld-linux-aarch64.so.1", "aarch64"},
      {"/usr/lib/x86_64-linux-gnu", "x86_64"},   {"/usr/lib/aarch64-linux-gnu", "aarch64"},
      {"/lib/ld-linux-armhf.so.3", "armv7l"},    {"/lib64/ld64.so.2", "ppc64le"},
  };
  for (auto& l : loaders)
    if (fs.stat(l.path).kind != platform::FileKind::missing) return std::string(l.arch);
  return std::nullopt;
}

// The version in libc.so.6's banner ("... stable release version 2.36."), from the first occurrence of
// the marker in its first 8 MiB. The 2 MB file is read in 64 KiB pieces through one small buffer, not
// whole into a fresh one: page-faulting that buffer was a quarter of `doctor`'s CPU time. The read is
// recorded like any other (`-v`, `capture`): fs.read with a zero cap opens the file and reads nothing.
std::optional<std::string> glibc_banner_version(const ProbeContext& ctx, const std::string& path) {
  if (!ctx.fs.read(path, 0).ok()) return std::nullopt;
  auto host = ctx.fs.host_path(path);
  if (!host) return std::nullopt;
  auto opened = platform::BinaryFile::open(*host);
  if (!opened.file) return std::nullopt;
  constexpr std::string_view marker = "release version ";
  constexpr std::size_t kChunk = 64 * 1024, kKeep = 64, kLimit = 8u << 20;
  std::string window;
  window.reserve(kKeep + kChunk);
  std::string chunk(kChunk, '\0');
  for (std::uint64_t at = 0; at < kLimit;) {
    auto n = opened.file->read_at(at, chunk.data(),
                                  static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, kLimit - at)));
    if (n < 0) return std::nullopt;
    at += static_cast<std::uint64_t>(n);
    bool last = n == 0 || at >= kLimit || at >= opened.file->size();
    window.append(chunk.data(), static_cast<std::size_t>(n));
    auto pos = window.find(marker);
    // A marker near the end of the window may have its version cut: the next window has it whole.
    if (pos != std::string::npos && (last || pos + marker.size() + 32 <= window.size()))
      return parse_glibc_banner(std::string_view(window).substr(pos));
    if (last) break;
    if (window.size() > kKeep) window.erase(0, window.size() - kKeep);
  }
  return std::nullopt;
}

std::optional<std::string> detect_glibc(const ProbeContext& ctx, std::vector<std::string>& sources) {
  // Older glibc names its files libc-2.31.so; newer ones only carry the banner inside libc.so.6.
  for (const char* dir : {"/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64"}) {
    auto list = ctx.fs.list(dir);
    for (auto& e : list.entries) {
      if (e.name.starts_with("libc-") && e.name.ends_with(".so")) {
        auto v = e.name.substr(5, e.name.size() - 8);
        if (!v.empty()) {
          sources.push_back(std::string(dir) + "/" + e.name);
          return v;
        }
      }
    }
    if (std::any_of(list.entries.begin(), list.entries.end(),
                    [](auto& e) { return e.name == "libc.so.6"; })) {
      std::string p = std::string(dir) + "/libc.so.6";
      if (auto v = glibc_banner_version(ctx, p)) {
        sources.push_back(p);
        return v;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

facts::Host probe_host(const ProbeContext& ctx) {
  facts::Host h;
  for (const char* p : {"/etc/hostname", "/proc/sys/kernel/hostname"}) {
    auto r = ctx.fs.read(p, 4096);
    if (!r.ok()) continue;
    auto name = trim(r.data);
    if (!name.empty()) {
      h.name = std::string(name);
      break;
    }
  }
  // Under Slurm the node name identifies the node (several nodes may share a host name).
  if (auto node = ctx.env.get("SLURMD_NODENAME"); node && !node->empty() && ctx.fs.is_live()) h.name = *node;
  return h;
}

OsRelease parse_os_release(std::string_view text) {
  OsRelease r;
  r.id = parse_key_value(text, "ID");
  r.version_id = parse_key_value(text, "VERSION_ID");
  r.pretty_name = parse_key_value(text, "PRETTY_NAME");
  r.id_like = parse_key_value(text, "ID_LIKE");
  return r;
}

facts::OsInfo probe_os(const ProbeContext& ctx) {
  facts::OsInfo os;
  for (const char* p : {"/etc/os-release", "/usr/lib/os-release"}) {
    auto r = ctx.fs.read(p, 64 * 1024);
    if (r.status == platform::ReadResult::Status::failed)
      ctx.warn("os", p, {"warning.cannot_read", {{"reason", r.error}}});
    if (!r.ok()) continue;
    auto rel = parse_os_release(r.data);
    os.id = rel.id;
    os.version = rel.version_id;
    os.pretty_name = rel.pretty_name;
    os.sources.push_back(p);
    break;
  }
  if (auto r = ctx.fs.read("/proc/sys/kernel/osrelease", 4096); r.ok()) {
    auto k = trim(r.data);
    if (!k.empty()) os.kernel = std::string(k);
    os.sources.push_back("/proc/sys/kernel/osrelease");
  }
  auto version = ctx.fs.read("/proc/version", 4096);
  if (version.ok()) {
    if (!os.kernel) {
      // "Linux version 5.15.167.4-microsoft-standard-WSL2 (...)"
      std::string_view v = version.data;
      constexpr std::string_view marker = "Linux version ";
      if (auto pos = v.find(marker); pos != std::string_view::npos) {
        auto rest = v.substr(pos + marker.size());
        os.kernel = std::string(rest.substr(0, rest.find(' ')));
      }
    }
    std::string lower = version.data;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("microsoft") != std::string::npos || lower.find("wsl") != std::string::npos) os.wsl = true;
  }
  if (ctx.fs.stat("/dev/dxg").kind != platform::FileKind::missing) os.wsl = true;
  if (os.wsl) os.sources.push_back("/proc/version");
  os.arch = detect_arch(ctx.fs);
  os.glibc = detect_glibc(ctx, os.sources);

  // Containers: marker files first, then the cgroup of PID 1.
  if (ctx.fs.stat("/.dockerenv").kind != platform::FileKind::missing)
    os.container = "docker";
  else if (ctx.fs.stat("/run/.containerenv").kind != platform::FileKind::missing)
    os.container = "podman";
  if (!os.container) {
    auto cg = ctx.fs.read("/proc/1/cgroup", 64 * 1024);
    if (cg.ok()) {
      if (cg.data.find("kubepods") != std::string::npos)
        os.container = "kubernetes";
      else if (cg.data.find("docker") != std::string::npos)
        os.container = "docker";
      else if (cg.data.find("lxc") != std::string::npos)
        os.container = "lxc";
    }
  }

  // Container engines on a host, and NVIDIA's container toolkit that passes GPUs through to them.
  if (!os.container) {
    for (auto [engine, paths] :
         {std::pair{"docker",
                    std::vector<const char*>{"/usr/bin/docker", "/snap/bin/docker", "/usr/local/bin/docker"}},
          std::pair{"podman", std::vector<const char*>{"/usr/bin/podman"}}}) {
      for (const char* p : paths)
        if (ctx.fs.stat(p).kind == platform::FileKind::regular) {
          os.container_engines.emplace_back(engine);
          break;
        }
    }
    for (const char* p : {"/usr/bin/nvidia-ctk", "/usr/bin/nvidia-container-cli",
                          "/usr/bin/nvidia-container-runtime", "/usr/bin/nvidia-container-toolkit"})
      if (ctx.fs.stat(p).kind == platform::FileKind::regular) os.nvidia_container_toolkit = true;
  }

  // Secure Boot: the EFI variable's last byte (absent on BIOS machines and most VMs: null).
  const char* sb = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";
  if (auto r = ctx.fs.read(sb, 64); r.ok()) {
    os.secure_boot = parse_secure_boot_efivar(r.data);
    os.sources.push_back(sb);
  }
  return os;
}

}  // namespace gpuenv::probes
