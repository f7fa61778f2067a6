#include "probes/gpu.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "probes/parse.hpp"

namespace gpuenv::probes {

namespace {

constexpr unsigned long kNvidia = 0x10de;

std::string hex4(unsigned long v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lx", v & 0xffff);
  return buf;
}

const char* vendor_name(unsigned long v) {
  switch (v) {
    case 0x10de:
      return "nvidia";
    case 0x1002:
      return "amd";
    case 0x8086:
      return "intel";
    case 0x1a03:
      return "aspeed";
    case 0x15ad:
      return "vmware";
    case 0x1234:
      return "qemu";
    case 0x1af4:
      return "virtio";
    case 0x106b:
      return "apple";
  }
  return nullptr;
}

// "00000000:01:00.0" (NVML) and "0000:01:00.0" (sysfs) name the same device.
std::string normalize_bus_id(std::string_view id) {
  std::string s(id);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto colon = s.find(':');
  if (colon != std::string::npos && colon > 4) s = s.substr(colon - 4);
  return s;
}

// Fills name, chip, architecture, CC and memory from the knowledge base, else from pci.ids + chip rules.
void identify(const ProbeContext& ctx, facts::Gpu& g, const std::string& device_hex4) {
  if (const auto* model = ctx.kb.gpu_by_pci_id(device_hex4)) {
    g.name = model->name;
    if (!model->chip.empty()) g.chip = model->chip;
    g.architecture = model->architecture;
    g.compute_capability = model->compute_capability;
    if (model->memory_mib) g.memory_mib = model->memory_mib;
    g.source = "sysfs+kb";
    return;
  }
  for (const char* p : {"/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids", "/usr/share/pci.ids"}) {
    auto r = ctx.fs.read(p, 8u << 20);
    if (!r.ok()) continue;
    auto e = parse_pci_ids(r.data, "10de", device_hex4);
    if (!e) continue;
    g.name = e->product ? "NVIDIA " + *e->product : e->text;
    if (e->chip) {
      g.chip = e->chip;
      if (const auto* rule = ctx.kb.chip(*e->chip)) {
        g.architecture = rule->architecture;
        g.compute_capability = rule->compute_capability;
      }
    }
    g.source = std::string("sysfs+pci.ids");
    return;
  }
  g.source = "sysfs";
}

}  // namespace

void probe_gpus(const ProbeContext& ctx, facts::Machine& m) {
  const std::string base = "/sys/bus/pci/devices";
  auto list = ctx.fs.list(base);
  if (!list.error.empty()) ctx.warn("gpu", base, {"warning.cannot_list", {{"reason", list.error}}});
  for (auto& e : list.entries) {
    std::string dev = base + "/" + e.name;
    auto cls = ctx.fs.read(dev + "/class", 64);
    if (!cls.ok()) continue;
    auto cv = parse_sysfs_hex(cls.data);
    if (!cv || (*cv >> 16) != 0x03) continue;  // display controllers only (VGA 0x0300, 3D 0x0302, ...)
    auto vendor = ctx.fs.read(dev + "/vendor", 64);
    auto device = ctx.fs.read(dev + "/device", 64);
    auto vendor_id = vendor.ok() ? parse_sysfs_hex(vendor.data) : std::nullopt;
    auto device_id = device.ok() ? parse_sysfs_hex(device.data) : std::nullopt;
    if (!vendor_id || !device_id) {
      ctx.warn("gpu", dev, {"warning.gpu.ids", {}});
      continue;
    }
    const unsigned long vv_value = *vendor_id, dv_value = *device_id;
    const unsigned long* vv = &vv_value;
    const unsigned long* dv = &dv_value;
    facts::Gpu g;
    g.pci_bus_id = e.name;
    g.pci_vendor_id = "0x" + hex4(*vv);
    g.pci_device_id = "0x" + hex4(*dv);
    const char* vn = vendor_name(*vv);
    g.vendor = vn ? std::string(vn) : *g.pci_vendor_id;
    if (auto link = ctx.fs.read_link(dev + "/driver"))
      g.kernel_driver = std::string(platform::basename(*link));
    if (*vv != kNvidia) {
      g.index = static_cast<int>(m.other_display_devices.size());
      g.source = "sysfs";
      m.other_display_devices.push_back(std::move(g));
      continue;
    }
    g.index = static_cast<int>(m.gpus.size());
    identify(ctx, g, hex4(*dv));
    m.gpus.push_back(std::move(g));
  }

  // The driver's own view: model names and UUIDs per bus location.
  const std::string proc = "/proc/driver/nvidia/gpus";
  for (auto& e : ctx.fs.list(proc).entries) {
    auto r = ctx.fs.read(proc + "/" + e.name + "/information", 64 * 1024);
    if (!r.ok()) continue;
    auto info = parse_gpu_information(r.data);
    std::string bus = normalize_bus_id(info.bus_location.value_or(e.name));
    auto it = std::find_if(m.gpus.begin(), m.gpus.end(),
                           [&](auto& g) { return g.pci_bus_id && normalize_bus_id(*g.pci_bus_id) == bus; });
    if (it == m.gpus.end()) continue;
    if (info.model && (!it->name || it->source == "sysfs")) it->name = info.model;
    if (info.uuid) it->uuid = info.uuid;
  }

  // WSL2: no PCI device and no kernel module; the Windows driver shows the GPU as /dev/dxg and maps its
  // libraries into /usr/lib/wsl/lib. The model is readable only through NVML (live machine).
  if (m.gpus.empty() && !ctx.nvml && m.os.wsl &&
      ctx.fs.stat("/dev/dxg").kind != platform::FileKind::missing &&
      ctx.fs.stat("/usr/lib/wsl/lib/libcuda.so.1").kind != platform::FileKind::missing) {
    facts::Gpu g;
    g.vendor = "nvidia";
    g.pci_vendor_id = "0x10de";
    g.kernel_driver = "dxg";
    g.source = "/dev/dxg+/usr/lib/wsl/lib";
    m.gpus.push_back(std::move(g));
  }

  // NVML (live machine only) is authoritative: exact names, memory, CC; and it sees GPUs that sysfs
  // does not show (sandboxed runtimes such as gVisor).
  if (ctx.nvml) {
    for (auto& d : ctx.nvml->devices) {
      facts::Gpu* g = nullptr;
      if (d.pci_bus_id) {
        std::string bus = normalize_bus_id(*d.pci_bus_id);
        for (auto& x : m.gpus)
          if (x.pci_bus_id && normalize_bus_id(*x.pci_bus_id) == bus) g = &x;
      }
      if (!g) {
        facts::Gpu fresh;
        fresh.index = static_cast<int>(m.gpus.size());
        fresh.vendor = "nvidia";
        fresh.pci_vendor_id = "0x10de";
        if (d.pci_bus_id) fresh.pci_bus_id = normalize_bus_id(*d.pci_bus_id);
        if (d.pci_device_id) {
          fresh.pci_device_id = "0x" + hex4(*d.pci_device_id);
          identify(ctx, fresh, hex4(*d.pci_device_id));
        }
        fresh.source = "nvml";
        fresh.kernel_driver = "nvidia";  // NVML answered: the NVIDIA driver holds it
        m.gpus.push_back(std::move(fresh));
        g = &m.gpus.back();
      } else {
        g->source = "sysfs+nvml";
      }
      if (d.name) g->name = d.name;
      if (d.memory_total_bytes)
        g->memory_mib = static_cast<std::int64_t>(*d.memory_total_bytes / (1024 * 1024));
      if (d.cc_major && d.cc_minor) {
        g->compute_capability = std::to_string(*d.cc_major) + "." + std::to_string(*d.cc_minor);
        if (!g->architecture) g->architecture = ctx.kb.architecture_for_cc(*g->compute_capability);
      }
      if (d.uuid) g->uuid = d.uuid;
      if (d.serial) g->serial = d.serial;
    }
  }
}

}  // namespace gpuenv::probes
