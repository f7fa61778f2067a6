// What every gpuenv process pays before it reads a file (issue 10): the embedded knowledge base and
// message catalog are parsed at start-up.
#include <benchmark/benchmark.h>

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "i18n/catalog.hpp"
#include "kb/kb.hpp"

namespace gpuenv::embedded {
std::span<const std::pair<std::string_view, std::string_view>> kb_files();
std::span<const std::pair<std::string_view, std::string_view>> messages();
}  // namespace gpuenv::embedded

namespace {

using namespace gpuenv;

std::vector<std::pair<std::string, std::string>> files_of(
    std::span<const std::pair<std::string_view, std::string_view>> embedded) {
  std::vector<std::pair<std::string, std::string>> files;
  for (auto& [name, text] : embedded) files.emplace_back(name, text);
  return files;
}

void BM_KnowledgeBaseFromEmbedded(benchmark::State& state) {
  auto files = files_of(embedded::kb_files());
  std::size_t bytes = 0;
  for (auto& f : files) bytes += f.second.size();
  for (auto _ : state) benchmark::DoNotOptimize(kb::KnowledgeBase::from_files(files));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_KnowledgeBaseFromEmbedded)->Unit(benchmark::kMicrosecond);

void BM_MessageCatalogFromEmbedded(benchmark::State& state) {
  auto files = files_of(embedded::messages());
  std::size_t bytes = 0;
  for (auto& f : files) bytes += f.second.size();
  for (auto _ : state) benchmark::DoNotOptimize(i18n::Catalog::parse(files));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_MessageCatalogFromEmbedded)->Unit(benchmark::kMicrosecond);

// The same through nlohmann's document, as every start-up did before the catalog's own scanner.
void BM_MessageCatalogThroughNlohmann(benchmark::State& state) {
  auto files = files_of(embedded::messages());
  for (auto _ : state) benchmark::DoNotOptimize(i18n::Catalog::parse_reference(files));
}
BENCHMARK(BM_MessageCatalogThroughNlohmann)->Unit(benchmark::kMicrosecond);

}  // namespace
