#pragma once
// The fuzz entry points: one per parser family. Each takes arbitrary bytes and runs every pure parser
// of its family on them (and checks the invariants that must hold for any input). The libFuzzer
// targets (fuzz/fuzz_main.cpp, built with clang by the `fuzz` preset) and the replay test
// (fuzz/replay_test.cpp, built with GCC in the normal build) call the same functions, so every seed and
// every regression input is also a unit test.
#include <span>
#include <string_view>

namespace gpuenv::fuzz {

struct Target {
  const char* name;  ///< "driver": also the directory name under fuzz/corpus and fuzz/regressions
  void (*run)(std::string_view data);
};

/// Every target, in a fixed order.
std::span<const Target> targets();

/// The target called `name`, or null.
const Target* find_target(std::string_view name);

/// Aborts (a finding for the fuzzer, a crash for the replay test) when an invariant does not hold.
void check(bool ok, const char* what);

}  // namespace gpuenv::fuzz
