#include "probes/machine.hpp"

#include "probes/cuda.hpp"
#include "probes/cudnn.hpp"
#include "probes/driver.hpp"
#include "probes/gpu.hpp"
#include "probes/loader.hpp"
#include "probes/os.hpp"
#include "probes/python.hpp"

namespace gpuenv::probes {

facts::Machine probe_machine(const ProbeContext& ctx) {
  facts::Machine m;
  for (auto& name : facts::reported_env_vars()) m.env_vars[name] = ctx.env.get(name);
  m.host = probe_host(ctx);
  m.os = probe_os(ctx);
  m.driver = probe_driver(ctx, m.os);
  probe_gpus(ctx, m);
  m.cuda_toolkits = probe_cuda_toolkits(ctx);
  m.cudnn = probe_cudnn(ctx, m.cuda_toolkits);
  probe_python(ctx, m);
  m.library_path = probe_library_path(ctx);
  apply_overrides(m, ctx);
  m.warnings.insert(m.warnings.end(), ctx.warnings.begin(), ctx.warnings.end());
  return m;
}

}  // namespace gpuenv::probes
