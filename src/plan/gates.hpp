#pragma once
// The four gates of design.md §1 for one candidate (torch release × variant) and a set of GPUs.
// Planner-internal: plan.cpp enumerates candidates and chooses; advice.cpp re-evaluates them at
// other driver versions, so everything that does not depend on the driver is computed once here.
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "facts/dotted.hpp"
#include "kb/arch.hpp"
#include "kb/kb.hpp"
#include "plan/plan.hpp"

namespace gpuenv::plan::detail {

/// A GPU with what the gates need, looked up once.
struct GpuInfo {
  const PlanGpu* gpu = nullptr;
  std::string label;                ///< "NVIDIA GeForce RTX 4090 (8.9)"
  std::string architecture;         ///< from the request, else from the kb by CC
  int cc_major = -1, cc_minor = 0;  ///< -1: unknown
  const kb::ArchSupport* support = nullptr;
};

/// Gate 1 thresholds of one CUDA version on the request's OS, looked up once per plan.
struct CudaGate {
  std::string cuda;
  int code = 0;  ///< 1260 for 12.6
  std::optional<facts::Dotted> direct_min, minor_min;
  std::string direct_text, minor_text;  ///< as the tables write them
  bool direct_from_branch = false;      ///< Table 3 has no value for this OS: the branch table's
};

/// Gate 2 results per (arch list, compute capability), shared by every candidate and GPU subset
/// of one plan: the kb's torch series repeat a dozen lists.
class CoverageCache {
 public:
  const kb::Coverage& get(const kb::VariantArch& arch, const std::string& cc);

 private:
  struct Entry {
    const std::string* list;
    std::string cc;
    kb::Coverage coverage;
  };
  std::deque<Entry> entries_;
};

/// An arch list in words: "sm_50, sm_60, …" and its newest PTX ("compute_120"; "" none).
struct ArchWords {
  std::string cubins, newest_ptx;
};

/// What holds for the whole evaluation: the request, the kb, the GPUs (a subset of the request's).
/// Candidates point into it: keep it in place (moving is fine, copying is not).
struct Context {
  const Request* req = nullptr;
  const kb::KnowledgeBase* kb = nullptr;
  std::string platform;
  bool windows_driver = false;  ///< the Windows column of Table 3 applies (Windows, WSL2)
  std::vector<GpuInfo> gpus;
  std::optional<int> min_branch;   ///< gate 0 over all GPUs: the highest minimum branch
  std::optional<int> last_branch;  ///< and the lowest last branch
  const std::vector<CudaGate>* cuda_gates = nullptr;
  CoverageCache* coverage_cache = nullptr;
  mutable std::deque<std::pair<const kb::VariantArch*, ArchWords>> arch_words;
};

/// Gate 1 thresholds of every CUDA version a torch build of the kb uses, on the request's OS.
std::vector<CudaGate> make_cuda_gates(const Request& req, const kb::KnowledgeBase& kb);
Context make_context(const Request& req, const kb::KnowledgeBase& kb, const std::vector<CudaGate>& gates,
                     CoverageCache& cache, const std::vector<int>& gpu_indices);

/// A gate that fails whatever the driver (the words are made only when a reason is shown).
struct StaticFail {
  enum class Kind { no_platform, python, arch_unknown, cc_unknown, no_kernel };
  Kind kind;
  const GpuInfo* gpu = nullptr;
};

/// One candidate with its driver-independent results.
struct Cand {
  const kb::TorchSeries* series = nullptr;
  const kb::TorchRelease* release = nullptr;
  const kb::TorchVariant* variant = nullptr;
  int release_rank = 0;  ///< 0 = the newest release considered
  int cuda_code = 0;     ///< 1260 for 12.6: newer CUDA sorts first among equals
  std::vector<StaticFail> fails;
  /// GPUs this build serves only through PTX ("compute_120"): they need `direct`.
  std::vector<std::pair<const GpuInfo*, std::string>> ptx_only;
  const CudaGate* gate1 = nullptr;  ///< null for CPU builds
  bool static_ok() const { return fails.empty(); }
};

Cand make_cand(const Context& ctx, const kb::TorchSeries& s, const kb::TorchRelease& r,
               const kb::TorchVariant& v, int release_rank);

struct Outcome {
  bool passed = false;
  std::optional<Compat> compat;
  std::vector<Reason> reasons;  ///< filled only when asked for
};

/// Gates 0–3 at `driver` (nullopt: no driver known — gates 0 and 1 fail).
Outcome evaluate(const Context& ctx, const Cand& c, const std::optional<facts::Dotted>& driver,
                 bool with_reasons);

/// Gate 0 alone (the same for every candidate): the reasons it fails at `driver`, if any.
std::vector<Reason> gate0(const Context& ctx, const facts::Dotted& driver);

/// Sort key: newer release first, then `direct` before `minor`, then the newer CUDA.
struct Rank {
  int release = 0, compat = 0, cuda = 0;
  bool operator<(const Rank& o) const;
};
Rank rank_of(const Cand& c, Compat compat);

}  // namespace gpuenv::plan::detail
