// Rules about the machine: GPU, kernel driver, user-space driver, device nodes, containers, WSL2,
// CUDA_VISIBLE_DEVICES, toolkits. Pure functions of the snapshot and the knowledge base.
#include "rules/machine_rules.hpp"

#include <algorithm>
#include <cctype>

#include "facts/dotted.hpp"
#include "rules/fixes.hpp"

namespace gpuenv::rules {

namespace {

using i18n::Text;

Finding make(const char* id, Severity sev, std::vector<std::pair<std::string, std::string>> args = {}) {
  Finding f;
  f.id = id;
  f.severity = sev;
  f.title = {std::string("finding.") + id + ".title", args};
  f.explanation = {std::string("finding.") + id + ".explanation", std::move(args)};
  return f;
}

std::string gpu_label(const facts::Gpu& g) {
  std::string s = g.name.value_or("NVIDIA GPU " + g.pci_device_id.value_or("?"));
  if (g.pci_bus_id) s += " (" + *g.pci_bus_id + ")";
  return s;
}

bool has_nvidia_holding(const facts::Machine& m) {
  return std::any_of(m.gpus.begin(), m.gpus.end(), [](auto& g) { return g.kernel_driver == "nvidia"; });
}

int branch_of(const std::optional<std::string>& v) {
  if (!v) return 0;
  auto d = facts::Dotted::parse(*v);
  return d ? d->major() : 0;
}

}  // namespace

void machine_rules(const RuleInput& in, std::vector<Finding>& out) {
  const auto& m = in.machine;
  const auto& os = m.os;
  const bool container = os.container.has_value();
  const auto visible =
      m.env_vars.count("NVIDIA_VISIBLE_DEVICES") ? m.env_vars.at("NVIDIA_VISIBLE_DEVICES") : std::nullopt;

  // No GPU at all (or a container that was given none).
  if (m.gpus.empty()) {
    bool passed_expected = visible && !visible->empty() && *visible != "void" && *visible != "none";
    if (container && passed_expected) {
      auto f = make("container-without-gpu", Severity::error,
                    {{"container", *os.container}, {"visible", *visible}});
      f.evidence.push_back("container: " + *os.container);
      f.evidence.push_back("NVIDIA_VISIBLE_DEVICES=" + *visible);
      f.evidence.push_back("/dev/nvidia*: absent");
      f.fixes.push_back({{"fix.container.gpus_all", {}}, {"docker run --rm --gpus all ubuntu nvidia-smi"}});
      out.push_back(std::move(f));
      return;
    }
    auto f = make("no-nvidia-gpu", Severity::info);
    f.evidence.push_back("/sys/bus/pci/devices: no display controller with vendor 0x10de");
    if (container)
      f.explanation = {"finding.no-nvidia-gpu.explanation_container", {{"container", *os.container}}};
    out.push_back(std::move(f));
    return;
  }

  // Inside a container: GPUs on the (host's) PCI bus but no device nodes → started without --gpus.
  if (container && m.driver.device_nodes.empty() && !in.machine.gpus.empty() &&
      std::none_of(m.gpus.begin(), m.gpus.end(),
                   [](auto& g) { return g.source == "nvml" || g.source == "sysfs+nvml"; })) {
    auto f = make("container-without-gpu", Severity::error,
                  {{"container", *os.container}, {"visible", visible.value_or("")}});
    f.evidence.push_back("container: " + *os.container);
    f.evidence.push_back("/dev/nvidia*: absent");
    f.fixes.push_back({{"fix.container.gpus_all", {}}, {"docker run --rm --gpus all ubuntu nvidia-smi"}});
    out.push_back(std::move(f));
    return;
  }

  // WSL2: a Linux driver installed inside WSL overrides the Windows one.
  if (os.wsl) {
    std::vector<std::string> linux_libs;
    for (auto& lib : m.driver.userspace_libs)
      if (lib.rfind("/usr/lib/wsl/", 0) != 0) linux_libs.push_back(lib);
    if (!linux_libs.empty() || m.driver.module_installed) {
      auto f = make("wsl-linux-driver-installed", Severity::error,
                    {{"lib", linux_libs.empty() ? std::string("nvidia.ko") : linux_libs.front()}});
      for (auto& l : linux_libs) f.evidence.push_back(l);
      f.fixes.push_back(
          {{"fix.wsl.remove_linux_driver", {}},
           {"sudo apt-get remove --purge -y '^nvidia-driver-.*' '^libnvidia-.*'", "wsl.exe --shutdown"}});
      out.push_back(std::move(f));
    }
  }

  // The kernel driver: nouveau holding the card, Secure Boot, not loaded at all.
  if (!os.wsl) {
    std::vector<const facts::Gpu*> nouveau;
    for (auto& g : m.gpus)
      if (g.kernel_driver == "nouveau" || g.kernel_driver == "nova_core" || g.kernel_driver == "nova")
        nouveau.push_back(&g);
    if (!nouveau.empty() || (m.driver.nouveau_loaded && !m.driver.module_loaded)) {
      std::string drv = nouveau.empty() ? "nouveau" : *nouveau.front()->kernel_driver;
      auto f = make("nouveau-active", Severity::error, {{"driver", drv}, {"gpu", gpu_label(m.gpus.front())}});
      for (auto* g : nouveau)
        f.evidence.push_back("/sys/bus/pci/devices/" + g->pci_bus_id.value_or("?") + "/driver → " + drv);
      if (m.driver.nouveau_loaded) f.evidence.push_back("/proc/modules: nouveau");
      if (!m.driver.module_installed)
        f.fixes.push_back(driver_install_fix(os, 0, m.gpus.front().architecture));
      f.fixes.push_back(blacklist_nouveau_fix(os));
      out.push_back(std::move(f));
    } else if (!m.driver.module_loaded && !has_nvidia_holding(m)) {
      if (os.secure_boot == true && m.driver.module_installed) {
        auto f = make("secure-boot-blocks-driver", Severity::error);
        f.evidence.push_back("Secure Boot: enabled (EFI variable SecureBoot)");
        f.evidence.push_back("nvidia.ko installed under /lib/modules/" + os.kernel.value_or("?") +
                             " but not loaded");
        f.fixes.push_back({{"fix.secure_boot.mok", {}},
                           {"sudo mokutil --import /var/lib/shim-signed/mok/MOK.der", "sudo reboot"}});
        out.push_back(std::move(f));
      } else {
        auto f = make("driver-not-loaded", Severity::error, {{"gpu", gpu_label(m.gpus.front())}});
        f.evidence.push_back("/proc/driver/nvidia/version: absent");
        f.evidence.push_back(std::string("nvidia.ko: ") +
                             (m.driver.module_installed ? "installed, not loaded" : "not installed"));
        if (m.driver.module_installed)
          f.fixes.push_back(reboot_fix());
        else
          f.fixes.push_back(driver_install_fix(os, 0, m.gpus.front().architecture));
        out.push_back(std::move(f));
      }
    }
  }

  // Kernel module and user-space libraries of different versions: a driver update without reboot.
  if (m.driver.version && m.driver.userspace_version && *m.driver.version != *m.driver.userspace_version &&
      m.driver.source != "nvml" && !os.wsl) {
    auto f = make("driver-library-mismatch", Severity::error,
                  {{"kernel", *m.driver.version}, {"userspace", *m.driver.userspace_version}});
    f.evidence.push_back(m.driver.source.value_or("kernel module") + ": " + *m.driver.version);
    for (auto& l : m.driver.userspace_libs) f.evidence.push_back(l);
    f.fixes.push_back(reboot_fix());
    out.push_back(std::move(f));
  }

  // Gate 0: the driver branch supports each GPU's generation.
  int branch = branch_of(m.driver.version);
  if (branch > 0) {
    for (auto& g : m.gpus) {
      if (!g.architecture) continue;
      // The row of its generation that names its chip or compute capability (Blackwell: R570 for
      // 10.0/12.0, R575 for 10.3/12.1), else the generation's row.
      const kb::ArchSupport* row =
          in.kb.support_for(*g.architecture, g.chip.value_or(""), g.compute_capability.value_or(""));
      if (row) {
        const kb::ArchSupport& a = *row;
        if (a.min_branch && branch < *a.min_branch) {
          auto f = make("driver-too-old-for-gpu", Severity::error,
                        {{"gpu", gpu_label(g)},
                         {"driver", *m.driver.version},
                         {"min", std::to_string(*a.min_branch)},
                         {"arch", *g.architecture}});
          f.evidence.push_back("driver " + *m.driver.version + " (" + m.driver.source.value_or("?") + ")");
          f.evidence.push_back(gpu_label(g) + ": " + *g.architecture + (g.chip ? " " + *g.chip : ""));
          f.fixes.push_back(driver_install_fix(os, *a.min_branch, g.architecture));
          out.push_back(std::move(f));
        }
        if (a.last_branch && branch > *a.last_branch) {
          auto f = make("gpu-needs-legacy-driver", Severity::error,
                        {{"gpu", gpu_label(g)},
                         {"driver", *m.driver.version},
                         {"last", std::to_string(*a.last_branch)},
                         {"arch", *g.architecture}});
          f.evidence.push_back("driver " + *m.driver.version);
          f.evidence.push_back(gpu_label(g) + ": " + *g.architecture);
          f.fixes.push_back(driver_install_fix(os, *a.last_branch, g.architecture));
          out.push_back(std::move(f));
        }
      }
    }
  }

  // Device nodes: the driver is loaded but /dev/nvidia* is missing or closed to this user.
  if (m.driver.module_loaded && !container && !os.wsl) {
    bool any_gpu_node = std::any_of(m.driver.device_nodes.begin(), m.driver.device_nodes.end(), [](auto& n) {
      auto name = n.path.substr(n.path.rfind('/') + 1);
      return name.size() > 6 && std::isdigit(static_cast<unsigned char>(name[6]));
    });
    bool any_closed = std::any_of(m.driver.device_nodes.begin(), m.driver.device_nodes.end(),
                                  [](auto& n) { return !n.accessible; });
    if (!any_gpu_node || any_closed) {
      auto f = make("device-nodes-missing", Severity::error);
      if (!any_gpu_node) f.evidence.push_back("/dev/nvidia0: absent");
      for (auto& n : m.driver.device_nodes)
        if (!n.accessible) f.evidence.push_back(n.path + ": not readable and writable by this user");
      f.fixes.push_back(
          {{"fix.device_nodes", {}}, {"sudo nvidia-modprobe -u -c=0", "sudo usermod -aG video \"$USER\""}});
      out.push_back(std::move(f));
    }
  }

  // A host with Docker or Podman but no NVIDIA container toolkit.
  if (!container && !os.container_engines.empty() && !os.nvidia_container_toolkit && !os.wsl) {
    auto f = make("container-toolkit-missing", Severity::warning, {{"engine", os.container_engines.front()}});
    f.evidence.push_back("container engine: " + os.container_engines.front());
    f.evidence.push_back("nvidia-ctk / nvidia-container-cli: absent");
    f.fixes.push_back({{"fix.container.toolkit", {}},
                       {"sudo apt-get install -y nvidia-container-toolkit",
                        "sudo nvidia-ctk runtime configure --runtime=" + os.container_engines.front(),
                        "sudo systemctl restart " + os.container_engines.front()}});
    out.push_back(std::move(f));
  }

  // CUDA_VISIBLE_DEVICES that hides every GPU.
  if (auto it = m.env_vars.find("CUDA_VISIBLE_DEVICES"); it != m.env_vars.end() && it->second) {
    const std::string& v = *it->second;
    bool hides = false;
    std::string why;
    if (v.empty() || v == "-1" || v == "none" || v == "NoDevFiles") {
      hides = true;
    } else {
      // The first entry decides: CUDA stops at the first invalid one.
      std::string first = v.substr(0, v.find(','));
      bool numeric = !first.empty() && std::all_of(first.begin(), first.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      });
      if (numeric) {
        hides = std::stoul(first.substr(0, 6)) >= m.gpus.size();
      } else if (first.rfind("GPU-", 0) == 0 || first.rfind("MIG-", 0) == 0) {
        hides = std::none_of(m.gpus.begin(), m.gpus.end(),
                             [&](auto& g) { return g.uuid && g.uuid->rfind(first, 0) == 0; }) &&
                std::any_of(m.gpus.begin(), m.gpus.end(), [](auto& g) { return g.uuid.has_value(); });
      }
    }
    if (hides) {
      auto f = make("cuda-visible-devices-hides-gpus", Severity::error,
                    {{"value", v}, {"count", std::to_string(m.gpus.size())}});
      f.evidence.push_back("CUDA_VISIBLE_DEVICES=" + v);
      f.evidence.push_back(std::to_string(m.gpus.size()) + " NVIDIA GPU(s) on this machine");
      f.fixes.push_back({{"fix.cuda_visible_devices", {}}, {"unset CUDA_VISIBLE_DEVICES"}});
      out.push_back(std::move(f));
    }
  }

  // A toolkit newer than the driver's CUDA: programs built with it will not start (or only through
  // minor-version compatibility within the same major). nvcc older than the driver's CUDA is normal.
  if (m.driver.cuda_max) {
    auto driver_cuda = facts::Dotted::parse(*m.driver.cuda_max);
    for (auto& t : m.cuda_toolkits) {
      if (!t.version || !driver_cuda) continue;
      auto tv = facts::Dotted::parse(*t.version);
      if (!tv) continue;
      facts::Dotted tmm{{tv->major(), tv->minor()}};
      if (!(tmm > *driver_cuda)) continue;
      bool same_major = tv->major() == driver_cuda->major();
      auto f = make("toolkit-newer-than-driver", Severity::warning,
                    {{"path", t.path}, {"toolkit", *t.version}, {"cuda", *m.driver.cuda_max}});
      if (same_major)
        f.explanation = {"finding.toolkit-newer-than-driver.explanation_minor",
                         {{"path", t.path}, {"toolkit", *t.version}, {"cuda", *m.driver.cuda_max}}};
      f.evidence.push_back(t.path + ": CUDA " + *t.version + " (" + t.source + ")");
      f.evidence.push_back("driver CUDA " + *m.driver.cuda_max + " (" +
                           m.driver.cuda_max_source.value_or("?") + ")");
      out.push_back(std::move(f));
    }
  }

  // Small GPU memory for training.
  for (auto& g : m.gpus) {
    if (g.memory_mib && *g.memory_mib < 8 * 1024) {
      auto f = make("gpu-memory-small", Severity::info,
                    {{"gpu", gpu_label(g)}, {"mib", std::to_string(*g.memory_mib)}});
      f.evidence.push_back(gpu_label(g) + ": " + std::to_string(*g.memory_mib) + " MiB (" + g.source + ")");
      out.push_back(std::move(f));
    }
  }
}

}  // namespace gpuenv::rules
