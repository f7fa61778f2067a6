#include "platform/signals.hpp"

#include <signal.h>

namespace gpuenv::platform {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
}

}  // namespace

const std::atomic<bool>& catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking read of the confirmation answer returns
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  return g_interrupted;
}

bool interrupted() {
  return g_interrupted.load();
}

}  // namespace gpuenv::platform
