#include "fleet/report.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "facts/dotted.hpp"
#include "facts/json.hpp"
#include "facts/redact.hpp"
#include "plan/output.hpp"
#include "rules/rules.hpp"

namespace gpuenv::fleet {

using nlohmann::json;

namespace {

int rank(std::string_view severity) {
  if (severity == "error") return 0;
  if (severity == "warning") return 1;
  return 2;
}

Opt opt_string(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw std::runtime_error(where + "." + key + ": expected a string");
  return it->get<std::string>();
}

std::vector<FindingRef> findings_from(const json& arr) {
  std::vector<FindingRef> out;
  if (arr.is_null()) return out;
  if (!arr.is_array()) throw std::runtime_error("findings: expected an array");
  int i = 0;
  for (auto& f : arr) {
    std::string where = "findings[" + std::to_string(i++) + "]";
    if (!f.is_object()) throw std::runtime_error(where + ": expected an object");
    auto id = opt_string(f, "id", where);
    auto sev = opt_string(f, "severity", where);
    if (!id || id->empty()) throw std::runtime_error(where + ".id: missing");
    if (!sev || (*sev != "error" && *sev != "warning" && *sev != "info"))
      throw std::runtime_error(where + ".severity: expected error, warning or info");
    out.push_back({*id, *sev, opt_string(f, "env", where)});
  }
  return out;
}

std::optional<Recommendation> recommendation_from(const json& rec) {
  if (rec.is_null()) return std::nullopt;
  if (!rec.is_object()) throw std::runtime_error("recommendation: expected an object or null");
  Recommendation r;
  r.torch = opt_string(rec, "torch", "recommendation");
  r.variant = opt_string(rec, "variant", "recommendation");
  r.compatibility = opt_string(rec, "compatibility", "recommendation");
  auto adv = rec.find("driver_advice");
  if (adv != rec.end() && !adv->is_null()) {
    r.driver_advice = true;
    if (adv->is_object()) {
      // {"minimum": "580.65.06", "unlocks": {"torch": "2.14.1", "variant": "cu130", ...}, ...}
      r.advice_driver = opt_string(*adv, "minimum", "recommendation.driver_advice");
      auto un = adv->find("unlocks");
      if (un != adv->end() && un->is_object()) {
        r.advice_torch = opt_string(*un, "torch", "recommendation.driver_advice.unlocks");
        r.advice_variant = opt_string(*un, "variant", "recommendation.driver_advice.unlocks");
      }
    }
  }
  return r;
}

void summarize_machine(const facts::Machine& m, NodeReport& r) {
  r.host = m.host.name;
  for (auto& g : m.gpus) {
    std::string name = g.name ? *g.name : g.pci_device_id ? *g.pci_device_id : "GPU";
    auto same = [&](const GpuModelCount& c) {
      return c.name == name && c.compute_capability == g.compute_capability;
    };
    auto it = std::find_if(r.gpus.begin(), r.gpus.end(), same);
    if (it == r.gpus.end()) {
      r.gpus.push_back({name, g.compute_capability, g.architecture, g.memory_mib, 0});
      it = r.gpus.end() - 1;
    }
    ++it->count;
    ++r.gpu_count;
  }
  r.driver_version = m.driver.version;
  r.cuda_max = m.driver.cuda_max;
  if (m.os.id && m.os.version)
    r.os = *m.os.id + " " + *m.os.version;
  else
    r.os = m.os.pretty_name ? m.os.pretty_name : m.os.id;
  r.arch = m.os.arch;
  r.envs = static_cast<int>(m.python_envs.size());
  r.users = facts::redactor_for(m, {}).users();
  std::set<std::string> broken;
  for (auto& f : r.findings)
    if (f.severity == "error" && f.env) broken.insert(*f.env);
  for (auto& e : m.python_envs)
    if (broken.count(e.path)) ++r.envs_broken;
}

ReportError error(ReportError::Kind kind, const char* id,
                  std::vector<std::pair<std::string, std::string>> args = {}) {
  return {kind, i18n::Text{id, std::move(args)}};
}

}  // namespace

const FindingRef* NodeReport::worst() const {
  const FindingRef* best = nullptr;
  for (auto& f : findings)
    if (!best || rank(f.severity) < rank(best->severity)) best = &f;
  return best;
}

int NodeReport::count(std::string_view severity) const {
  int n = 0;
  for (auto& f : findings) n += f.severity == severity;
  return n;
}

Opt NodeReport::driver_branch() const {
  if (!driver_version) return std::nullopt;
  auto d = facts::Dotted::parse(*driver_version);
  if (!d || d->parts.empty()) return std::nullopt;
  return std::to_string(d->parts[0]);
}

Opt NodeReport::min_compute_capability() const {
  Opt low;
  for (auto& g : gpus) {
    if (!g.compute_capability) continue;
    if (!low || facts::compare_dotted(*g.compute_capability, *low) < 0) low = g.compute_capability;
  }
  return low;
}

ParsedReport read_report(const json& doc, const kb::KnowledgeBase& kb) {
  ParsedReport out;
  if (!doc.is_object()) {
    out.error = error(ReportError::Kind::not_report, "fleet.input.not_object");
    return out;
  }
  auto sv = doc.find("schema_version");
  if (sv == doc.end()) {
    out.error = error(ReportError::Kind::not_report, "fleet.input.no_schema");
    return out;
  }
  if (!sv->is_number_integer() || sv->get<std::int64_t>() != facts::kSchemaVersion) {
    out.error = error(ReportError::Kind::schema, "fleet.input.schema",
                      {{"found", sv->dump()}, {"supported", std::to_string(facts::kSchemaVersion)}});
    return out;
  }
  auto mit = doc.find("machine");
  if (mit == doc.end() || !mit->is_object()) {
    out.error = error(ReportError::Kind::not_report, "fleet.input.no_machine");
    return out;
  }
  try {
    NodeReport r;
    facts::Machine m = facts::machine_from_json(*mit);
    if (auto t = doc.find("tool"); t != doc.end() && t->is_object())
      r.tool_version = opt_string(*t, "version", "tool");
    if (auto k = doc.find("kb"); k != doc.end() && k->is_object())
      r.kb_version = opt_string(*k, "version", "kb");
    if (doc.contains("findings")) {
      r.findings = findings_from(doc["findings"]);
      auto status = opt_string(doc, "status", "report");
      if (status && *status != "ok" && *status != "problems" && *status != "no-gpu")
        throw std::runtime_error("status: expected ok, problems or no-gpu");
      bool error_found = r.count("error") > 0;
      r.status = status ? *status : error_found ? "problems" : m.gpus.empty() ? "no-gpu" : "ok";
      if (auto rec = doc.find("recommendation"); rec != doc.end())
        r.recommendation = recommendation_from(*rec);
    } else {
      // A snapshot without a diagnosis (`facts --json`): diagnose it here.
      auto findings = rules::evaluate(m, kb);
      for (auto& f : findings) r.findings.push_back({f.id, rules::severity_name(f.severity), f.env});
      r.status = rules::report_status(findings, !m.gpus.empty());
      r.recommendation = recommendation_from(json(plan::recommend_for_report(m, kb, "")));
      r.diagnosed_here = true;
    }
    summarize_machine(m, r);
    r.machine = std::make_shared<const facts::Machine>(std::move(m));
    out.report = std::move(r);
  } catch (const std::exception& e) {
    out.error = error(ReportError::Kind::malformed, "fleet.input.malformed", {{"detail", e.what()}});
  }
  return out;
}

ParsedReport parse_report(std::string_view text, const kb::KnowledgeBase& kb) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // nlohmann's message says where it broke: "[json.exception.parse_error.101] parse error at
    // line 3, column 1: ..."; the bracketed tag means nothing to a reader.
    std::string detail = e.what();
    if (!detail.empty() && detail.front() == '[' && detail.find("] ") != std::string::npos)
      detail = detail.substr(detail.find("] ") + 2);
    ParsedReport out;
    out.error = error(ReportError::Kind::not_json, "fleet.input.not_json", {{"detail", detail}});
    return out;
  }
  return read_report(doc, kb);
}

}  // namespace gpuenv::fleet
