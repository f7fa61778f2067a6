#pragma once
// Ctrl-C as a flag instead of a sudden death: `install` must stop its child and roll back first.
#include <atomic>

namespace gpuenv::platform {

/// Makes SIGINT and SIGTERM set a flag instead of ending the process (children, in their own
/// process groups, are then stopped through Command::cancel). Returns the flag; idempotent.
const std::atomic<bool>& catch_interrupts();
/// Whether SIGINT/SIGTERM arrived since catch_interrupts().
bool interrupted();

}  // namespace gpuenv::platform
