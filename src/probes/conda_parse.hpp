#pragma once
// Pure parsers for conda's files: conda-meta record names and records, channel names, and
// `~/.conda/environments.txt`. Nothing here touches the OS.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::probes::py {

using Opt = std::optional<std::string>;

/// A conda-meta record's file name: "pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0.json" →
/// {pytorch, 2.1.0, py3.10_cuda12.1_cudnn8.9.2_0}. The name may hold dashes; version and build do not.
struct CondaRecordName {
  std::string name, version, build;
};
std::optional<CondaRecordName> parse_conda_meta_filename(std::string_view filename);

/// The fields of a conda-meta record that matter (read with a streaming parser that stops before the
/// long "files" list):
///   {"build": "py3.10_cuda12.1_cudnn8.9.2_0", "channel": "https://conda.anaconda.org/pytorch/linux-64",
///    "name": "pytorch", "version": "2.1.0", ...}
struct CondaRecord {
  Opt name, version, build, channel, subdir;
};
/// nullopt when the text does not start as a JSON object. A record cut off after its first fields (the
/// read cap) still gives what was read.
std::optional<CondaRecord> parse_conda_record(std::string_view text);
/// The channel's short name: "https://conda.anaconda.org/pytorch/linux-64" → "pytorch",
/// "pkgs/main" → "pkgs/main", "conda-forge" → "conda-forge".
std::string conda_channel_name(std::string_view channel);

/// `~/.conda/environments.txt`: one absolute path per line.
std::vector<std::string> parse_environments_txt(std::string_view text);

}  // namespace gpuenv::probes::py
