#include "rules/fixes.hpp"

namespace gpuenv::rules {

std::string os_family(const facts::OsInfo& os) {
  if (os.wsl) return "wsl";
  std::string id = os.id.value_or("");
  if (id == "ubuntu" || id == "pop" || id == "linuxmint") return "ubuntu";
  if (id == "debian") return "debian";
  if (id == "rhel" || id == "rocky" || id == "almalinux" || id == "centos" || id == "fedora" || id == "ol")
    return "rhel";
  return "other";
}

Fix driver_install_fix(const facts::OsInfo& os, int min_branch,
                       const std::optional<std::string>& architecture) {
  const std::string arch = architecture.value_or("");
  const bool pre_turing = arch == "Kepler" || arch == "Maxwell" || arch == "Pascal" || arch == "Volta";
  std::string family = os_family(os);
  std::string branch = min_branch > 0 ? std::to_string(min_branch) : "";
  auto id = [&](const char* fam) {
    return std::string("fix.driver.install.") + fam + (branch.empty() ? "" : "_branch");
  };
  Fix f;
  if (family == "wsl") {
    // Inside WSL2 the driver is the Windows one: never install a Linux driver there.
    f.text = {id("wsl"), {{"branch", branch}}};
    return f;
  }
  if (family == "ubuntu") {
    f.text = {id("ubuntu"), {{"branch", branch}}};
    if (branch.empty()) {
      f.commands = {"sudo ubuntu-drivers install", "sudo reboot"};
    } else {
      std::string pkg = "nvidia-driver-" + branch + (pre_turing ? "" : "-open");
      f.commands = {"sudo apt-get update", "sudo apt-get install -y " + pkg, "sudo reboot"};
    }
    return f;
  }
  if (family == "debian") {
    f.text = {id("debian"), {{"branch", branch}}};
    f.commands = {"sudo apt-get update", "sudo apt-get install -y nvidia-driver firmware-misc-nonfree",
                  "sudo reboot"};
    return f;
  }
  if (family == "rhel") {
    f.text = {id("rhel"), {{"branch", branch}}};
    f.commands = {pre_turing ? "sudo dnf module install -y nvidia-driver:latest-dkms"
                             : "sudo dnf install -y nvidia-open",
                  "sudo reboot"};
    return f;
  }
  f.text = {id("other"), {{"branch", branch}}};
  return f;
}

Fix blacklist_nouveau_fix(const facts::OsInfo& os) {
  Fix f;
  f.text = {"fix.nouveau.blacklist", {}};
  std::string family = os_family(os);
  std::string initramfs = family == "rhel" ? "sudo dracut --force" : "sudo update-initramfs -u";
  f.commands = {
      "printf 'blacklist nouveau\\noptions nouveau modeset=0\\nblacklist nova_core\\n' | sudo tee "
      "/etc/modprobe.d/blacklist-nouveau.conf",
      initramfs, "sudo reboot"};
  return f;
}

Fix reboot_fix() {
  Fix f;
  f.text = {"fix.reboot", {}};
  f.commands = {"sudo reboot"};
  return f;
}

}  // namespace gpuenv::rules
