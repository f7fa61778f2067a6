// The planner over the whole embedded knowledge base for one machine (issue 4: well under a
// millisecond; the target is 100 µs). Each case includes the driver-advice search.
#include <benchmark/benchmark.h>

#include "kb/kb.hpp"
#include "plan/plan.hpp"

namespace {

using namespace gpuenv;

plan::Request machine(std::vector<const char*> gpus, const char* driver) {
  const auto& kb = kb::KnowledgeBase::builtin();
  plan::Request r;
  int i = 0;
  for (const char* name : gpus) {
    const kb::GpuModel* m = kb.gpu_by_name(name);
    r.gpus.push_back({i++, m->name, m->architecture, m->chip, m->compute_capability, std::nullopt});
  }
  r.driver = driver;
  r.python = "3.12";
  r.today = "2026-12-01";
  return r;
}

void run(benchmark::State& state, const plan::Request& req) {
  const auto& kb = kb::KnowledgeBase::builtin();
  for (auto _ : state) benchmark::DoNotOptimize(plan::make_plan(req, kb));
}

void BM_PlanRtx4090Driver535(benchmark::State& state) {
  run(state, machine({"RTX 4090"}, "535.104.05"));
}
BENCHMARK(BM_PlanRtx4090Driver535)->Unit(benchmark::kMicrosecond);

// Nothing passes: every release of the kb is evaluated, plus the advice.
void BM_PlanRtx5090Driver550(benchmark::State& state) {
  run(state, machine({"RTX 5090"}, "550.54.14"));
}
BENCHMARK(BM_PlanRtx5090Driver550)->Unit(benchmark::kMicrosecond);

// Two GPUs no build serves together: subsets are tried.
void BM_PlanK80AndRtx5090(benchmark::State& state) {
  run(state, machine({"Tesla K80", "RTX 5090"}, "580.95.05"));
}
BENCHMARK(BM_PlanK80AndRtx5090)->Unit(benchmark::kMicrosecond);

}  // namespace
