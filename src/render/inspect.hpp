#pragma once
// `gpuenv inspect`'s report: per file, the GPU targets compiled into it and, per GPU (this machine's
// or --cc), whether it runs and why (kb/arch.hpp). Text for a person, JSON with schema_version.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "i18n/catalog.hpp"
#include "kb/arch.hpp"
#include "render/report.hpp"

namespace gpuenv::render {

/// A GPU to check: one of this machine's (index, name) or a --cc value (no index, no name).
struct InspectGpu {
  std::optional<int> index;
  std::optional<std::string> name;
  std::optional<std::string> compute_capability;  ///< null when the machine did not tell
  std::string source;                             ///< "machine" or "--cc"
};

struct InspectTarget {
  std::string target;   ///< "sm_80"
  std::string kind;     ///< cubin | ptx | lto | unknown
  std::string section;  ///< ".nv_fatbin"
  std::uint64_t count = 0;
  std::uint64_t compressed = 0;
};

struct InspectCoverage {
  std::size_t gpu = 0;                   ///< index into InspectReport::gpus
  std::optional<kb::Coverage> coverage;  ///< nullopt when the GPU's compute capability is unknown
  /// Code modules (translation units) with a plain cubin or PTX, and how many of them run on the GPU.
  std::uint64_t modules_total = 0;
  std::uint64_t modules_covered = 0;
};

struct InspectFile {
  std::string path;                       ///< as the user typed it
  std::optional<std::string> error_code;  ///< "truncated", ...; nullopt when read to the end
  std::optional<i18n::Text> error;        ///< the message naming the file
  bool from_cache = false;
  std::vector<std::string> sections;
  std::uint64_t containers = 0;
  std::uint64_t entries = 0;
  std::vector<InspectTarget> targets;
  std::vector<std::string> arch_list;     ///< what a GPU can load (cubins, then PTX)
  std::vector<InspectCoverage> coverage;  ///< empty for files without GPU code or with an error
};

struct InspectReport {
  std::vector<InspectGpu> gpus;
  std::vector<InspectFile> files;
};

/// `lang` other than English adds `*_localized` beside the English `reason` and error `message`.
/// Each coverage item has `modules: {covered, total}`: the code modules with a plain cubin or PTX and
/// how many of them the GPU runs (null when its compute capability is unknown).
nlohmann::ordered_json inspect_json(const InspectReport& r, i18n::Lang lang);
std::string inspect_text(const InspectReport& r, const TextOptions& opt);
/// 1 when a file could not be read or a GPU with a known compute capability cannot run a file that
/// has GPU code; 0 otherwise.
int inspect_exit_code(const InspectReport& r);

}  // namespace gpuenv::render
