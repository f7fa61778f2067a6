// kb-outdated: say so instead of guessing when the machine is newer than what the knowledge base knows.
#include "facts/dotted.hpp"
#include "rules/machine_rules.hpp"

namespace gpuenv::rules {

namespace {

// Days since 1970-01-01 for "YYYY-MM-DD" (civil calendar); nullopt when malformed.
std::optional<long> days(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  int y = 0, mo = 0, d = 0;
  try {
    y = std::stoi(iso.substr(0, 4));
    mo = std::stoi(iso.substr(5, 2));
    d = std::stoi(iso.substr(8, 2));
  } catch (...) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  y -= mo <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

void kb_rules(const RuleInput& in, std::vector<Finding>& out) {
  const auto& m = in.machine;
  std::vector<std::string> evidence;
  if (m.driver.version) {
    auto v = facts::Dotted::parse(*m.driver.version);
    int newest = in.kb.newest_branch();
    if (v && newest > 0 && v->major() > newest)
      evidence.push_back("driver " + *m.driver.version +
                         " is newer than the newest branch the knowledge base knows (" +
                         std::to_string(newest) + ")");
  }
  for (auto& g : m.gpus)
    if (g.pci_device_id && !g.compute_capability)
      evidence.push_back("GPU " + *g.pci_device_id + " is not in the knowledge base");
  auto kb_day = days(in.kb.meta.date), today = days(in.today);
  bool old = kb_day && today && *today - *kb_day > 183;
  if (old) evidence.push_back("knowledge base dated " + in.kb.meta.date + ", today " + in.today);
  if (evidence.empty()) return;
  Finding f;
  f.id = "kb-outdated";
  f.severity = Severity::info;
  f.title = {"finding.kb-outdated.title", {}};
  f.explanation = {"finding.kb-outdated.explanation",
                   {{"date", in.kb.meta.date}, {"version", in.kb.meta.version}}};
  f.evidence = std::move(evidence);
  f.fixes.push_back({{"fix.kb.update", {}}, {}});
  out.push_back(std::move(f));
}

}  // namespace gpuenv::rules
