#include "probes/driver.hpp"
namespace gpuenv::probes {
facts::Driver probe_driver(const ProbeContext&, const facts::OsInfo&) {
  return {};
}
}  // namespace gpuenv::probes
