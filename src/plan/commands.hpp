#pragma once
// Install commands for a chosen build: pip, uv and conda, pasteable into a shell.
#include <string>
#include <string_view>

#include "kb/kb.hpp"
#include "plan/plan.hpp"

namespace gpuenv::plan {

/// The commands that install torch `r` as `variant` with its torchvision/torchaudio on `platform`.
Commands make_commands(const kb::KnowledgeBase& kb, const kb::TorchSeries& s, const kb::TorchRelease& r,
                       const kb::TorchVariant& variant, std::string_view platform);

/// One shell word: as is when it holds only safe characters, else double-quoted (works in POSIX
/// shells, cmd and PowerShell) or single-quoted when it holds characters double quotes expand.
std::string shell_word(std::string_view s);

}  // namespace gpuenv::plan
