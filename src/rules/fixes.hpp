#pragma once
// Fix commands that depend on the machine's OS: installing the NVIDIA driver, rebooting, blacklisting
// nouveau. Pasteable as they are (no placeholders), one command per line.
#include <vector>

#include "facts/facts.hpp"
#include "rules/finding.hpp"

namespace gpuenv::rules {

/// The OS family the commands are for: "ubuntu", "debian", "rhel", "wsl", "other".
std::string os_family(const facts::OsInfo& os);
/// How to install (or upgrade to) the NVIDIA driver on this OS; `min_branch` (e.g. 570) when a
/// minimum is needed, else 0 for "the recommended driver". `architecture` chooses the kernel module
/// flavour: the open modules for Turing and newer (required by Blackwell), proprietary before.
Fix driver_install_fix(const facts::OsInfo& os, int min_branch,
                       const std::optional<std::string>& architecture = {});
/// Blacklist nouveau (and its successor nova_core), rebuild the initramfs, reboot.
Fix blacklist_nouveau_fix(const facts::OsInfo& os);
Fix reboot_fix();

}  // namespace gpuenv::rules
