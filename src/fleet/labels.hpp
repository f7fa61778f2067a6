#pragma once
// A node's gpuenv facts as cluster engines take them (issue 12): Kubernetes Node Feature
// Discovery labels (a local feature file), Slurm node features, an Ansible local fact. Pure.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fleet/report.hpp"

namespace gpuenv::fleet {

inline constexpr std::string_view kDefaultLabelPrefix = "gpuenv.io";
/// NFD ignores a feature file larger than this (source/local: MaxFeatureFileSize = 65536).
inline constexpr std::size_t kNfdMaxFileBytes = 65536;
inline constexpr const char* kNfdDefaultPath = "/etc/kubernetes/node-feature-discovery/features.d/gpuenv";

struct Label {
  std::string name;  ///< "gpuenv.io/driver.version"
  std::string value;
};

/// The labels for one node, under `prefix`:
///   PREFIX/status=ok|problems|no-gpu   PREFIX/healthy=true|false   PREFIX/gpu.count=2
///   PREFIX/gpu.model, gpu.arch, gpu.cc (the lowest on the node), gpu.cc-mixed=true, gpu.memory-mib (the
///   smallest), driver.version, driver.branch, cuda.max, torch.version, torch.variant, torch.compatibility.
/// A value that is unknown gives no label (NFD then removes an old one). Values are made valid
/// label values (sanitize_label_value).
std::vector<Label> nfd_labels(const NodeReport& r, std::string_view prefix = kDefaultLabelPrefix);

/// Why a label would be rejected by Kubernetes (and so by nfd-master), or nullopt when valid:
/// the name is "PREFIX/NAME" with PREFIX a DNS subdomain (lower-case alphanumerics, '-' and '.',
/// at most 253 characters) and NAME at most 63 characters of [A-Za-z0-9._-] beginning and ending
/// with an alphanumeric; the value is empty or follows the NAME rule.
std::optional<std::string> check_label(const Label& l);
/// "Ada Lovelace" → "Ada-Lovelace", "2.5.1+cu124" → "2.5.1-cu124": invalid characters become '-',
/// leading/trailing non-alphanumerics are dropped, at most 63 characters.
std::string sanitize_label_value(std::string_view v);

/// The feature file: a comment header, optionally `# +expiry-time=RFC3339`, then NAME=VALUE lines.
std::string nfd_file(const std::vector<Label>& labels, const std::optional<std::string>& expiry_rfc3339,
                     std::string_view header);

/// Slurm node features (slurm.conf `Features=`): "cc90" per compute capability, "drv580" (branch),
/// "cuda13.0" (newest CUDA the driver runs), "cu130" (best torch variant). Empty for a node
/// without an NVIDIA GPU.
std::vector<std::string> slurm_features(const NodeReport& r);

/// The JSON document for /etc/ansible/facts.d/gpuenv.fact (`ansible_local.gpuenv`), keys in
/// snake_case.
nlohmann::ordered_json ansible_facts(const NodeReport& r, const std::string& tool_version);

/// 2026-11-30T12:00:00Z for a number of seconds since the epoch (UTC).
std::string rfc3339_utc(std::int64_t epoch_seconds);
/// "90s", "30m", "12h", "7d" → seconds; nullopt when not a positive duration.
std::optional<std::int64_t> parse_duration(std::string_view s);

}  // namespace gpuenv::fleet
