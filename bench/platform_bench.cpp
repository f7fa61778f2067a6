// Microbenchmarks of the platform layer: path resolution inside a root is on every probe's path.
#include <benchmark/benchmark.h>

#include "platform/fs.hpp"

static void BM_ResolveEtcOsRelease(benchmark::State& state) {
  gpuenv::platform::RootedFileSystem fs("/");
  for (auto _ : state) benchmark::DoNotOptimize(fs.real_path("/etc/os-release"));
}
BENCHMARK(BM_ResolveEtcOsRelease);

static void BM_ReadProcVersion(benchmark::State& state) {
  gpuenv::platform::RootedFileSystem fs("/");
  fs.set_recording(false);
  for (auto _ : state) benchmark::DoNotOptimize(fs.read("/proc/version"));
}
BENCHMARK(BM_ReadProcVersion);
