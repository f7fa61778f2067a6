#include "probes/os.hpp"
namespace gpuenv::probes {
facts::Host probe_host(const ProbeContext&) {
  return {};
}
facts::OsInfo probe_os(const ProbeContext&) {
  return {};
}
OsRelease parse_os_release(std::string_view) {
  return {};
}
}  // namespace gpuenv::probes
