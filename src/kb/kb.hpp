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
  std::vector<std::string> ccs;    ///< or only some compute capabilities: "10.0", "12.0"
  std::optional<int> min_branch;   ///< the first branch that supports it
  std::optional<int> last_branch;  ///< the last branch that supports it
};

/// One row of the CUDA release notes' Table 3: a toolkit release and its minimum drivers.
struct CudaRelease {
  std::string cuda;                           ///< major.minor: "12.6"
  std::string label;                          ///< as the table names it: "12.6 Update 1", "11.0.2 GA"
  bool ga = false;                            ///< the GA row of its major.minor (one per major.minor)
  std::optional<std::string> linux_driver;    ///< "560.28.03"
  std::optional<std::string> windows_driver;  ///< "560.76"; null where the table prints N/A (13.x)
};

/// Minor-version compatibility: the lowest driver any toolkit of the family runs on (Table 2).
struct CudaFamily {
  int major = 0;
  int minor_min = 0;
  std::optional<int> minor_max;  ///< null: every later minor of the family
  std::string linux_driver;      ///< "525.60.13", or a branch only: "580"
  std::string windows_driver;
};

/// The real-GPU targets (sm_XY as XY: 50, 86, 120) a toolkit version can compile for.
struct CudaTargets {
  std::string cuda;  ///< "12.6"
  std::vector<int> sm;
};

/// A cuDNN release as built for one CUDA family, from its support matrix.
struct CudnnRelease {
  std::string version;   ///< "9.10.2"
  std::string for_cuda;  ///< "12.x"
  std::string cuda_min, cuda_max;
  std::optional<std::string> linux_driver, windows_driver;
  std::string cc_min, cc_max;
};

/// Platforms of wheels, as the torch table names them.
inline constexpr std::string_view kLinuxX86 = "linux-x86_64";
inline constexpr std::string_view kWindowsX86 = "windows-x86_64";
inline constexpr std::string_view kLinuxArm = "linux-aarch64";

/// The architectures compiled into one torch variant on one platform.
struct VariantArch {
  std::string platform;             ///< "linux-x86_64"
  std::optional<std::string> list;  ///< TORCH_CUDA_ARCH_LIST as the build script has it; null: unknown
  /// The same as torch.cuda.get_arch_list() prints it: "sm_50", ..., "compute_120" (PTX).
  std::vector<std::string> arch_list;
};

/// A published build of a torch release: cu126, cpu, ...
struct TorchVariant {
  std::string name;                    ///< "cu126", "cpu"
  std::optional<std::string> cuda;     ///< the CUDA major.minor it was built with: "12.6"
  std::optional<std::string> toolkit;  ///< the exact toolkit where confirmed: "12.6.3"
  std::optional<std::string> cudnn;    ///< the cuDNN it bundles or pins: "9.10.2.21"
  std::vector<std::string> platforms;  ///< where wheels exist
  std::vector<VariantArch> arch;       ///< per platform (CUDA variants only)
  /// The arch entry for a platform; nullptr when the variant has none there.
  const VariantArch* arch_for(std::string_view platform) const;
  bool has_platform(std::string_view platform) const;
};

/// One patch release and the torchvision/torchaudio that pair with it (null: none was released).
struct TorchRelease {
  std::string version;  ///< "2.5.1"
  std::string date;     ///< "2024-10-29" (or "2026-09" when only the month is known)
  std::string torchvision;
  std::optional<std::string> torchaudio;
  std::optional<std::string> conda_torchvision;  ///< when the conda package paired differently
  std::optional<std::string> conda_torchaudio;
};

/// A conda package that selects a CUDA build on the pytorch channel (cuda null: cpuonly).
struct CondaPackage {
  std::optional<std::string> cuda;
  std::string package;                ///< "pytorch-cuda=12.4", "cudatoolkit=11.3", "cpuonly"
  std::vector<std::string> channels;  ///< "-c" order: pytorch, nvidia
};

/// A conda-forge build of torch known to exist.
struct CondaForgeBuild {
  std::string version;  ///< "2.13.0"
  std::string cuda;     ///< "13.0"
  std::vector<std::string> platforms;
};

/// A minor series of torch (2.5): what holds for all its patch releases.
struct TorchSeries {
  std::string series;               ///< "2.5"
  std::vector<std::string> python;  ///< "3.9", ..., "3.12": Pythons with wheels
  std::string pip_style;            ///< "index-url" | "extra-index-url" | "find-links"
  std::string pip_url;              ///< "https://download.pytorch.org/whl/{variant}"
  /// The variant plain `pip install torch` gives, per platform; absent or null: unknown / none.
  std::vector<std::pair<std::string, std::optional<std::string>>> pypi_default;
  std::vector<CondaPackage> conda;  ///< the pytorch channel (up to 2.5.1)
  std::vector<CondaForgeBuild> conda_forge;
  std::vector<TorchRelease> releases;  ///< oldest first
  std::vector<TorchVariant> variants;
  std::string note;

  const TorchVariant* variant(std::string_view name) const;
  /// The PyPI default variant on `platform`, or nullopt.
  std::optional<std::string> default_variant(std::string_view platform) const;
  /// The index URL of a variant ("https://download.pytorch.org/whl/cu126").
  std::string index_url(std::string_view variant) const;
};

/// How to install a driver branch on one OS family (commands use {branch}).
struct DriverInstall {
  std::string os;                     ///< "ubuntu", "rhel8-9", "wsl2", "windows", "linux"
  std::vector<std::string> ids;       ///< os-release IDs it applies to
  std::vector<std::string> versions;  ///< majors of VERSION_ID; empty: any
  std::string flavor;                 ///< "open" (Turing and newer only) | "any"
  std::vector<std::string> commands;
  std::string message;  ///< catalog id of the explanation
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
  std::vector<CudaRelease> cuda_releases;  ///< sorted by CUDA version, then release order
  TableSource cuda_releases_source;
  std::vector<CudaFamily> cuda_families;
  TableSource cuda_families_source;
  std::vector<CudaTargets> cuda_targets;  ///< sorted by CUDA version
  TableSource cuda_targets_source;
  std::vector<CudnnRelease> cudnn;  ///< sorted by version, then family
  TableSource cudnn_source;
  std::vector<TorchSeries> torch;  ///< sorted by series, oldest first
  TableSource torch_source;
  std::vector<DriverInstall> driver_install;
  TableSource driver_install_source;
  std::vector<std::string> uv_torch_backends;
  TableSource uv_torch_backends_source;

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

  /// The GA row of a CUDA major.minor ("12.6"); nullptr when the table has none.
  const CudaRelease* cuda_ga(std::string_view cuda) const;
  /// The minor-version-compatibility row for a CUDA version; nullptr for 10.x and older.
  const CudaFamily* cuda_family(std::string_view cuda) const;
  const CudaTargets* targets_for(std::string_view cuda) const;
  /// The newest CUDA release the table knows ("13.3").
  std::string newest_cuda() const;
  /// The arch_support row that applies to a GPU: the row of its architecture whose chips (longest
  /// prefix) or compute capabilities name it, else the row naming neither; nullptr when none.
  const ArchSupport* support_for(std::string_view architecture, std::string_view chip,
                                 std::string_view cc) const;
  const TorchSeries* torch_series(std::string_view series) const;
  /// The newest torch release known ("2.14.0"); empty when the table is empty.
  std::string newest_torch() const;
  /// Every problem with the data (unsorted rows, duplicates, unknown CUDA versions, missing pairs,
  /// missing sources), one line each naming the table and row; empty when the data is sound.
  std::vector<std::string> check() const;
};

/// Dotted numeric versions compared component by component without allocating ("2.10.0" > "2.9.1",
/// "12.6" == "12.6.0"); a non-digit ends a component. For the hot paths of the planner.
bool version_less(std::string_view a, std::string_view b);

/// "3.7+PTX;5.0;8.6;9.0a;12.0+PTX" → {"sm_37", "compute_37", "sm_50", "sm_86", "sm_90a", "sm_120",
/// "compute_120"}; nullopt when an entry is not X.Y with an optional a/f suffix and +PTX.
std::optional<std::vector<std::string>> parse_torch_arch_list(std::string_view list);

}  // namespace gpuenv::kb
