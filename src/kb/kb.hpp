#pragma once
// The knowledge base (design.md §7): compatibility data with a source per table, embedded from
// data/kb/*.json at build time, replaceable with --kb FILE. Lookups here; the data is never code.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::kb {

/// Where a table came from: shown by `gpuenv matrix`, checked by tests (every table has one).
struct TableSource {
  std::string source;   ///< URL or document and table name
  std::string checked;  ///< ISO date the values were checked
  std::string note;
};

/// One GPU product as the PCI bus names it (vendor 0x10de unless `vendor` says otherwise).
struct GpuModel {
  std::string pci_device_id;       ///< "0x2204" (lower-case hex, 4 digits)
  std::string name;                ///< "NVIDIA GeForce RTX 3090"
  std::string chip;                ///< "GA102"
  std::string architecture;        ///< "Ampere"
  std::string compute_capability;  ///< "8.6"
  std::optional<std::int64_t> memory_mib;
};

/// Chip codename → architecture and compute capability, for ids the GPU table lacks (pci.ids gives
/// the codename: "GA102 [GeForce RTX 3090]"). Matched on the longest prefix: "GA100" before "GA10".
struct ChipRule {
  std::string prefix;  ///< "GA100", "GA10", "GB20", "GB10" (exact), ...
  std::string architecture;
  std::string compute_capability;
};

/// A driver branch (the first component of the driver version) and the newest CUDA it runs.
struct DriverBranch {
  int branch = 0;        ///< 535
  std::string cuda_max;  ///< "12.2"
};

/// GPU generation support by driver branches: [min_branch, last_branch] (either may be open).
struct ArchSupport {
  std::string architecture;        ///< "Kepler", "Blackwell", ...
  std::vector<std::string> chips;  ///< when only some chips of the architecture: "GB20", "GB10"
  std::optional<int> min_branch;   ///< the first branch that supports it
  std::optional<int> last_branch;  ///< the last branch that supports it
};

struct KbMeta {
  std::string version;  ///< "2026.11.1"
  std::string date;     ///< "2026-11-30": when the data was last checked as a whole
};

class KnowledgeBase {
 public:
  /// The embedded knowledge base (parsed once per process).
  static const KnowledgeBase& builtin();
  /// Parses the single-document form that `gpuenv matrix --json` prints. Throws
  /// std::runtime_error naming the table and row on malformed data.
  static KnowledgeBase from_json(const nlohmann::json& doc);
  /// Merges the per-table files of data/kb (each a JSON object of top-level tables).
  static KnowledgeBase from_files(const std::vector<std::pair<std::string, std::string>>& files);
  nlohmann::ordered_json to_json() const;

  KbMeta meta;
  std::vector<GpuModel> gpus;  ///< sorted by pci_device_id, then name
  TableSource gpus_source;
  std::vector<ChipRule> chips;
  TableSource chips_source;
  std::vector<DriverBranch> driver_branches;  ///< sorted by branch
  TableSource driver_branches_source;
  std::vector<ArchSupport> arch_support;
  TableSource arch_support_source;

  /// The model for a PCI device id ("0x2204", "2204", case-insensitive); nullptr when unknown.
  /// With several names for one id, the first (the table's order) is returned.
  const GpuModel* gpu_by_pci_id(std::string_view id) const;
  /// The model whose name matches `query` ("RTX 4090", "geforce rtx 4090", "NVIDIA H200"),
  /// preferring an exact match, then the shortest name containing every word of the query.
  const GpuModel* gpu_by_name(std::string_view query) const;
  /// Architecture and CC from a chip codename ("GA102" → Ampere 8.6), longest prefix first.
  const ChipRule* chip(std::string_view codename) const;
  /// The newest CUDA a driver version runs ("535.104.05" → "12.2"); nullopt when the branch is
  /// older than the table or newer than any branch known (then kb-outdated says so).
  std::optional<std::string> cuda_max_for_driver(std::string_view driver_version) const;
  /// The architecture name for a compute capability ("8.6" → "Ampere").
  std::optional<std::string> architecture_for_cc(std::string_view cc) const;
  /// The newest driver branch the table knows.
  int newest_branch() const;
};

}  // namespace gpuenv::kb
