#pragma once
// The planner (design.md §1, issue 4): a pure function of a described machine + the knowledge base
// + the user's wishes → which torch/torchvision/torchaudio + CUDA variant to install, why every other
// candidate was rejected, and which driver would unlock a better build.
#include <optional>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "i18n/catalog.hpp"
#include "kb/kb.hpp"
#include "rules/finding.hpp"

namespace gpuenv::plan {

enum class Os { linux, windows };
enum class Compat { direct, minor };
const char* compat_name(Compat c);  ///< "direct" | "minor"

/// One GPU the plan is for. `cc` empty: unknown (gate 2 then rejects every CUDA build).
struct PlanGpu {
  int index = 0;
  std::string name;
  std::string architecture;
  std::string chip;
  std::string cc;
  std::optional<std::string> uuid;
};

/// The machine as the planner sees it, plus what the user asked for.
struct Request {
  std::vector<PlanGpu> gpus;
  std::optional<std::string> driver;  ///< "535.104.05"; on WSL2 the Windows driver's version
  Os os = Os::linux;
  bool wsl = false;        ///< Linux wheels, Windows driver table and driver installation
  std::string os_id;       ///< os-release ID: "ubuntu", "rhel", ... ("" unknown)
  std::string os_version;  ///< VERSION_ID: "22.04"
  std::string arch = "x86_64";
  std::optional<std::string> python;         ///< "3.11"; nullopt: any (the plan suggests one)
  std::string torch_spec;                    ///< PEP 440 specifier; "" any
  std::optional<std::string> cuda;           ///< only variants built with this CUDA ("12.6")
  std::string today;                         ///< YYYY-MM-DD, for the knowledge base's age
  std::vector<std::string> installed_torch;  ///< versions found in environments (kb-outdated)
  std::vector<std::string> installed_toolkits;
};

/// Why a candidate failed one gate, as a finding-like id and words.
struct Reason {
  int gate = 0;  ///< 0 driver↔GPU, 1 driver↔CUDA, 2 GPU↔build, 3 wheel exists
  std::string id;
  i18n::Text text;
};

/// One (torch release, variant) the planner considered.
struct Candidate {
  std::string torch;  ///< "2.14.0"
  std::string variant;
  std::optional<std::string> cuda;
  std::optional<Compat> compat;  ///< set when gate 1 passed
  bool passed = false;
  bool chosen = false;
  std::vector<Reason> reasons;  ///< empty when passed
};

/// A driver version and the build the plan would choose with it.
struct DriverStep {
  std::string driver;  ///< "580.65.06", or a branch "570" when `branch_only`
  bool branch_only = false;
  std::string torch, variant;
  Compat compat = Compat::direct;
};

struct DriverAdvice {
  std::optional<std::string> current;
  DriverStep minimum;  ///< the lowest driver that unlocks a better (newer) build
  std::vector<DriverStep> steps;
  std::optional<int> legacy_branch;  ///< set when the driver must go DOWN to this branch
  std::string install_os;            ///< the driver_install row used: "ubuntu", "wsl2", ...
  i18n::Text install_text;
  std::vector<std::string> install_commands;
};

struct Commands {
  std::string pip, uv, conda;
  /// The same commands as argv words (`install` runs these; the strings above are them shell-quoted).
  std::vector<std::string> pip_argv, uv_argv, conda_argv;
  bool conda_native = false;  ///< false: `conda` is pip inside a conda environment
  std::optional<i18n::Text> conda_note;
};

struct Recommendation {
  std::string torch, variant, torchvision;
  std::optional<std::string> torchaudio, cuda, toolkit, cudnn;
  std::string python;
  std::optional<Compat> compat;  ///< null for CPU builds
  std::string index_url;
  Commands commands;
  std::vector<i18n::Text> warnings;
  std::vector<i18n::Text> notes;
};

struct Plan {
  Request request;
  std::string platform;  ///< "linux-x86_64"
  std::optional<Recommendation> recommendation;
  std::optional<DriverAdvice> driver_advice;
  std::vector<int> served;  ///< positions in request.gpus of the GPUs the recommendation is for
  std::optional<std::string> cuda_visible_devices;
  std::vector<Candidate> alternatives;  ///< newest first, up to the chosen release
  std::vector<rules::Finding> findings;
};

/// The plan for a request. `req.torch_spec` must parse (check with valid_torch_spec first).
Plan make_plan(const Request& req, const kb::KnowledgeBase& kb);
bool valid_torch_spec(std::string_view spec);

/// The request for a machine read by the probes: its NVIDIA GPUs (CC from the facts or the kb),
/// driver, OS, the Python of its active (else first) environment, installed torch and toolkits.
Request request_from_machine(const facts::Machine& m, const kb::KnowledgeBase& kb);

/// "linux-x86_64", "windows-x86_64", "linux-aarch64" for a request.
std::string platform_of(const Request& req);

}  // namespace gpuenv::plan
