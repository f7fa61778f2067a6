#pragma once
// The GPU targets compiled into one binary, summarised from its fatbin listing (probes/fatbin.hpp),
// and cached by path, size and modification time so that repeated runs read nothing but a small file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/cache_store.hpp"
#include "probes/fatbin.hpp"

namespace gpuenv::probes {

/// One target and how many entries carry it ("sm_80" in 4 cubins of .nv_fatbin, 4 compressed).
struct FatbinTarget {
  std::string target;   ///< "sm_80", "sm_90a", "compute_120", "lto_90"
  std::string kind;     ///< "cubin", "ptx", "lto", "unknown"
  std::string section;  ///< ".nv_fatbin", "__nv_relfatbin", "fatbin"
  std::uint64_t count = 0;
  std::uint64_t compressed = 0;
  bool operator==(const FatbinTarget&) const = default;
};

/// Code modules (fatbin containers, one per translation unit) that carry the same targets. A
/// framework compiles every module for the same list; libraries that pick kernels per GPU (cuBLAS,
/// cuDNN) have modules for a few GPUs each, so a target in `arch_list` may cover only some modules.
struct ModuleGroup {
  std::vector<std::string> targets;  ///< the module's runnable targets, ordered as arch_list()
  std::uint64_t count = 0;           ///< how many modules have exactly these
  bool operator==(const ModuleGroup&) const = default;
};

struct BinaryArchs {
  std::vector<std::string> sections;  ///< fat binary sections found, in file order
  std::vector<FatbinTarget> targets;  ///< sorted by section, kind (cubin, ptx, lto, unknown), arch
  std::uint64_t entries = 0;
  std::uint64_t containers = 0;
  std::optional<BinaryError> error;  ///< the file could not be read to the end (targets before it kept)
  bool from_cache = false;

  /// The targets a GPU can load at run time, cubins then PTX, each ordered by arch:
  /// {"sm_75", "sm_80", "sm_90a", "compute_90"}. From `.nv_fatbin` (or a standalone fat binary); from
  /// `__nv_relfatbin` only when there is no `.nv_fatbin` (a relocatable object). Empty: no device code.
  std::vector<std::string> arch_list() const;
  /// The modules of the section arch_list() reads that hold at least one plain cubin or plain PTX
  /// (modules with only arch-specific or family cubins serve their own GPUs and are left out),
  /// grouped by target list, most common first.
  std::vector<ModuleGroup> modules;
};

/// Aggregates a listing.
BinaryArchs summarize(const FatbinListing& listing);

/// Reads the binary at `host_path` (a host path, already resolved inside any --root). With an
/// enabled `cache`, a result stored for the same path, size and mtime is returned without reading
/// the binary (`from_cache`), and a fresh result is stored (unless it is an I/O error).
BinaryArchs read_binary_archs(const std::string& host_path, const platform::CacheStore& cache);

/// The cache's file name for a path: "fatbin/<16 hex digits>.json".
std::string fatbin_cache_name(const std::string& host_path);

/// Cache record round trip (exposed for tests). `parse_*` returns nullopt for anything that is not a
/// record for exactly this path, size and mtime written by this reader version.
std::string fatbin_cache_record(const BinaryArchs& a, const std::string& host_path, std::uint64_t size,
                                std::int64_t mtime_ns);
std::optional<BinaryArchs> parse_fatbin_cache_record(std::string_view text, const std::string& host_path,
                                                     std::uint64_t size, std::int64_t mtime_ns);

}  // namespace gpuenv::probes
