#pragma once
// The findings a plan carries: kb-outdated, and why nothing passes when no candidate does.
#include <vector>

#include "facts/pep440.hpp"
#include "plan/gates.hpp"
#include "plan/plan.hpp"

namespace gpuenv::plan {

/// kb-outdated (info): versions on the machine or in the spec newer than the kb knows, or a kb
/// checked more than six months before `today`.
void add_outdated_findings(Plan& p, const kb::KnowledgeBase& kb, const facts::Pep440SpecifierSet& spec);
/// torch-version-unknown: the spec matches no release the kb knows.
void add_no_release_finding(Plan& p, const kb::KnowledgeBase& kb);
struct ReleaseRef {
  const kb::TorchSeries* series;
  const kb::TorchRelease* release;
};
/// cuda-variant-unavailable: --cuda names a CUDA no matching release was built with.
void add_no_variant_finding(Plan& p, const kb::KnowledgeBase& kb, const std::vector<ReleaseRef>& rels);
/// Nothing passes: a finding for each reason every alternative has (else the newest release's).
void add_failure_findings(Plan& p, const kb::KnowledgeBase& kb);
/// The plan serves only some GPUs: say which, and how to select them.
void add_subset_note(Plan& p, Recommendation& r);

}  // namespace gpuenv::plan
