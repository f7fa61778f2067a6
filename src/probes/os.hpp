#pragma once
#include <string_view>

#include "facts/facts.hpp"
#include "probes/context.hpp"

namespace gpuenv::probes {

facts::Host probe_host(const ProbeContext& ctx);
/// /etc/os-release, kernel, CPU architecture, glibc, WSL2, container, Secure Boot.
facts::OsInfo probe_os(const ProbeContext& ctx);

/// Parses os-release ("ID=ubuntu\nVERSION_ID=\"22.04\"\n") into id, version, pretty name.
struct OsRelease {
  facts::Opt id, version_id, pretty_name, id_like;
};
OsRelease parse_os_release(std::string_view text);

}  // namespace gpuenv::probes
