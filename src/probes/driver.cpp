#include "probes/driver.hpp"

#include <algorithm>

#include "facts/dotted.hpp"
#include "probes/loader.hpp"
#include "probes/parse.hpp"

namespace gpuenv::probes {

namespace {

// The newest full version among versioned library names: libcuda.so.535.104.05 → 535.104.05.
// ("libcuda.so.1" and WSL2's "libcuda.so.1.1" carry no driver version.)
void userspace_version(const ProbeContext& ctx, facts::Driver& d) {
  std::optional<facts::Dotted> best;
  for (auto& dir : loader_dirs(ctx)) {
    for (const char* stem : {"libcuda.so", "libnvidia-ml.so"}) {
      for (auto& name : files_with_prefix(ctx, dir, stem)) {
        auto v = library_version(name, stem);
        if (!v) continue;
        auto dv = facts::Dotted::parse(*v);
        if (!dv || dv->parts.size() < 2 || dv->major() < 100) continue;  // "1", "1.1": sonames only
        d.userspace_libs.push_back(dir + "/" + name);
        if (!best || *dv > *best) {
          best = *dv;
          d.userspace_version = *v;
        }
      }
    }
  }
}

bool module_installed(const ProbeContext& ctx, const std::optional<std::string>& kernel) {
  if (!kernel) return false;
  std::string base = "/lib/modules/" + *kernel;
  for (const char* sub :
       {"/updates/dkms", "/extra", "/kernel/drivers/video", "/updates", "/kernel/drivers/gpu/drm/nvidia"}) {
    for (auto& name : files_with_prefix(ctx, base + sub, "nvidia"))
      if (name.starts_with("nvidia.ko")) return true;
  }
  // Ubuntu's linux-modules-nvidia-NNN: /lib/modules/<k>/kernel/nvidia-535/nvidia.ko
  for (auto& dir : files_with_prefix(ctx, base + "/kernel", "nvidia-"))
    if (!files_with_prefix(ctx, base + "/kernel/" + dir, "nvidia.ko").empty()) return true;
  return false;
}

}  // namespace

facts::Driver probe_driver(const ProbeContext& ctx, const facts::OsInfo& os) {
  facts::Driver d;
  // Kernel module: /proc/driver/nvidia/version has the flavour; /sys/module/nvidia/version the bare version.
  auto banner = ctx.fs.read("/proc/driver/nvidia/version", 64 * 1024);
  if (banner.ok()) {
    if (auto b = parse_driver_banner(banner.data)) {
      d.version = b->version;
      d.flavor = b->open ? "open" : "proprietary";
      d.source = "/proc/driver/nvidia/version";
    } else {
      ctx.warn("driver", "/proc/driver/nvidia/version", {"warning.driver.banner", {}});
    }
  } else if (banner.status == platform::ReadResult::Status::failed) {
    ctx.warn("driver", "/proc/driver/nvidia/version", {"warning.cannot_read", {{"reason", banner.error}}});
  }
  auto sysmod = ctx.fs.read("/sys/module/nvidia/version", 4096);
  if (sysmod.ok()) {
    if (auto v = parse_driver_version_line(sysmod.data)) {
      if (!d.version) {
        d.version = *v;
        d.source = "/sys/module/nvidia/version";
      }
    }
  }
  if (auto mods = ctx.fs.read("/proc/modules", 1u << 20); mods.ok()) {
    auto names = parse_proc_modules(mods.data);
    auto has = [&](const char* n) { return std::find(names.begin(), names.end(), n) != names.end(); };
    d.module_loaded = has("nvidia");
    d.uvm_loaded = has("nvidia_uvm");
    d.nouveau_loaded = has("nouveau");
  }
  if (d.version) d.module_loaded = true;
  d.module_installed = d.module_loaded || module_installed(ctx, os.kernel);

  // Device nodes: /dev/nvidia0..N, nvidiactl, nvidia-uvm (and whether this user may open them).
  for (auto& name : files_with_prefix(ctx, "/dev", "nvidia")) {
    std::string p = "/dev/" + name;
    if (ctx.fs.stat(p).kind == platform::FileKind::directory) continue;  // /dev/nvidia-caps
    d.device_nodes.push_back({p, ctx.fs.can_open_rw(p)});
  }

  userspace_version(ctx, d);

  // NVML on the live machine: authoritative for the versions; the only source under gVisor and WSL2.
  if (ctx.nvml) {
    if (ctx.nvml->driver_version) {
      if (!d.version) {
        d.version = ctx.nvml->driver_version;
        d.source = "nvml";
      }
      if (!d.userspace_version) d.userspace_version = ctx.nvml->driver_version;
    }
    if (ctx.nvml->cuda_driver_version && *ctx.nvml->cuda_driver_version > 0) {
      int v = *ctx.nvml->cuda_driver_version;
      d.cuda_max = std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
      d.cuda_max_source = "nvml";
    }
  }
  if (!d.cuda_max) {
    std::optional<std::string> ver = d.version ? d.version : (os.wsl ? std::nullopt : d.userspace_version);
    if (ver) {
      if (auto c = ctx.kb.cuda_max_for_driver(*ver)) {
        d.cuda_max = *c;
        d.cuda_max_source = "kb";
      }
    }
  }
  return d;
}

}  // namespace gpuenv::probes
