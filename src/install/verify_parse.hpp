#pragma once
// Pure readers of what the verify probe (data/verify/probe.py) prints: its JSON document on stdout and
// its progress lines on stderr. No I/O here; install/verify.cpp runs the process.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "facts/verify.hpp"

namespace gpuenv::install {

/// Fills `run` from the probe's stdout. The document is the last line holding a JSON object with a
/// "probe" key (libraries that print to stdout before the probe redirects it cannot break it).
/// Returns nullopt on success, else why nothing usable was found ("no JSON document in the output",
/// "probe format 2 is not understood"). A value of the wrong type is skipped, never fatal.
std::optional<std::string> parse_probe_output(std::string_view out, facts::VerifyRun& run);

/// torch.backends.cudnn.version() as a dotted version: cuDNN 9 encodes major*10000 + minor*100 +
/// patch (90100 -> "9.1.0"), cuDNN 8 and older major*1000 + minor*100 + patch (8907 -> "8.9.7").
/// nullopt for values that fit neither (0, negative).
std::optional<std::string> cudnn_version_text(std::int64_t v);

/// The step the probe was running when its stderr ended: from the last progress line
/// "gpuenv-verify: step matmul cuda:0" -> "matmul cuda:0"; nullopt when none or after "done".
std::optional<std::string> last_progress_step(std::string_view err);

/// The last `max_lines` lines of stderr without the probe's progress lines, at most `max_chars`.
std::string stderr_tail(std::string_view err, std::size_t max_lines = 20, std::size_t max_chars = 4000);

}  // namespace gpuenv::install
