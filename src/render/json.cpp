#include "facts/json.hpp"

#include <nlohmann/json.hpp>

#include "render/report.hpp"
#include "render/warnings.hpp"

namespace gpuenv::render {

using oj = nlohmann::ordered_json;

const char* tool_version() {
  return GPUENV_VERSION;
}

oj finding_json(const rules::Finding& f, i18n::Lang lang) {
  oj fixes = oj::array();
  for (auto& fx : f.fixes) fixes.push_back({{"text", fx.text.en()}, {"commands", fx.commands}});
  oj j{{"id", f.id},
       {"severity", rules::severity_name(f.severity)},
       {"env", f.env ? oj(*f.env) : oj(nullptr)},
       {"title", f.title.en()},
       {"explanation", f.explanation.en()}};
  if (lang != i18n::Lang::en) {
    j["title_localized"] = f.title.render(lang);
    j["explanation_localized"] = f.explanation.render(lang);
  }
  j["evidence"] = f.evidence;
  j["fix"] = fixes;
  return j;
}

oj facts_json(const facts::Machine& m) {
  oj j{{"schema_version", facts::kSchemaVersion},
       {"tool", {{"name", "gpuenv"}, {"version", tool_version()}}}};
  j["machine"] = facts::to_json(m);
  return j;
}

oj report_json(const Report& r, i18n::Lang lang) {
  oj findings = oj::array();
  for (auto& f : r.findings) findings.push_back(finding_json(f, lang));
  oj machine = facts::to_json(r.machine);
  localize_warnings(machine, r.machine, lang);
  return oj{{"schema_version", facts::kSchemaVersion},
            {"tool", {{"name", "gpuenv"}, {"version", tool_version()}}},
            {"kb", {{"version", r.kb.version}, {"date", r.kb.date}}},
            {"status", r.status},
            {"machine", machine},
            {"findings", findings},
            {"recommendation", r.recommendation}};
}

}  // namespace gpuenv::render
