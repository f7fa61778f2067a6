// One libFuzzer target: GPUENV_FUZZ_TARGET names the entry point (fuzz/entries.cpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "entries.hpp"

#ifndef GPUENV_FUZZ_TARGET
#error "GPUENV_FUZZ_TARGET must name a target"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* target = gpuenv::fuzz::find_target(GPUENV_FUZZ_TARGET);
  gpuenv::fuzz::check(target != nullptr, "unknown fuzz target");
  target->run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
