#include "fleet/fleet.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "facts/dotted.hpp"
#include "fleet/hostlist.hpp"

namespace gpuenv::fleet {

namespace {

using i18n::Catalog;

std::string text(i18n::Lang lang, std::string_view id, const i18n::Args& args = {}) {
  return Catalog::builtin().text(lang, id, args);
}

/// The key that puts GPU nodes in one group: same driver branch, same newest CUDA, same advice.
using GpuKey = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, bool>;

GpuKey gpu_key(const NodeReport& r) {
  const auto& rec = r.recommendation;
  return {r.driver_branch().value_or(""),
          r.cuda_max.value_or(""),
          rec ? rec->torch.value_or("") : "",
          rec ? rec->variant.value_or("") : "",
          rec ? rec->compatibility.value_or("") : "",
          rec && rec->driver_advice
              ? "advice:" + rec->advice_driver.value_or("") + ":" + rec->advice_torch.value_or("") + ":" +
                    rec->advice_variant.value_or("")
              : "",
          rec.has_value()};
}

}  // namespace

const char* state_name(NodeState s) {
  switch (s) {
    case NodeState::surveyed:
      return "surveyed";
    case NodeState::unreachable:
      return "unreachable";
    case NodeState::busy:
      return "busy";
    case NodeState::failed:
      return "failed";
    case NodeState::silent:
      return "silent";
    case NodeState::garbled:
      return "garbled";
  }
  return "failed";
}

std::string NodeRow::status() const {
  if (state != NodeState::surveyed || !report) return "problems";
  return report->status;
}

std::string nodes_phrase(std::size_t n, i18n::Lang lang) {
  return text(lang, n == 1 ? "fleet.nodes.one" : "fleet.nodes.many", {{"n", std::to_string(n)}});
}

std::string Group::sentence(i18n::Lang lang) const {
  std::string nodes_s = nodes_phrase(nodes.size(), lang);
  switch (kind) {
    case Kind::not_surveyed:
      return text(lang, std::string("fleet.group.state.") + state_name(state), {{"nodes", nodes_s}});
    case Kind::no_gpu:
      return text(lang, "fleet.group.no_gpu", {{"nodes", nodes_s}});
    case Kind::gpu:
      break;
  }
  if (!driver_branch) return text(lang, "fleet.group.no_driver", {{"nodes", nodes_s}});
  i18n::Args args{{"nodes", nodes_s},
                  {"branch", *driver_branch},
                  {"cuda", cuda_max ? *cuda_max : text(lang, "fleet.unknown")}};
  if (!recommendation) return text(lang, "fleet.group.no_rec", args);
  const auto& rec = *recommendation;
  args.emplace_back("torch", rec.torch.value_or("?"));
  args.emplace_back("variant", rec.variant.value_or("?"));
  args.emplace_back("compat", rec.compatibility == "minor" ? text(lang, "fleet.group.minor") : "");
  if (!rec.driver_advice) return text(lang, "fleet.group.rec", args);
  if (!rec.advice_driver || !rec.advice_torch || !rec.advice_variant)
    return text(lang, "fleet.group.rec_at_most", args);
  args.emplace_back("driver", *rec.advice_driver);
  args.emplace_back("torch2", *rec.advice_torch);
  args.emplace_back("variant2", *rec.advice_variant);
  // "At most" only when the newer driver unlocks a newer release, not just a better build of it.
  bool newer = rec.torch && facts::compare_dotted(*rec.advice_torch, *rec.torch) > 0;
  return text(lang, newer ? "fleet.group.rec_unlock" : "fleet.group.rec_better", args);
}

void add_documents(const std::vector<InputDoc>& docs, const kb::KnowledgeBase& kb, std::vector<NodeRow>& rows,
                   std::vector<InputProblem>& skipped) {
  for (auto& d : docs) {
    auto parsed = parse_report(d.text, kb);
    if (!parsed.report) {
      skipped.push_back({d.source, parsed.error->reason});
      continue;
    }
    NodeRow row;
    row.name = d.node ? *d.node : parsed.report->host ? *parsed.report->host : d.name_hint;
    row.source = d.source;
    row.report = std::move(parsed.report);
    rows.push_back(std::move(row));
  }
}

Fleet aggregate(std::vector<NodeRow> rows, std::vector<InputProblem> skipped) {
  Fleet f;
  std::stable_sort(rows.begin(), rows.end(), [](const NodeRow& a, const NodeRow& b) {
    if (a.name != b.name) return natural_less(a.name, b.name);
    return a.source < b.source;
  });
  f.rows = std::move(rows);
  f.skipped = std::move(skipped);

  std::map<GpuKey, Group> gpu_groups;
  Group no_gpu{Group::Kind::no_gpu, {}, {}, {}, NodeState::surveyed, {}, {}};
  std::map<NodeState, Group> down;
  for (auto& r : f.rows) {
    if (r.state != NodeState::surveyed || !r.report) {
      ++f.not_surveyed;
      auto [it, fresh] = down.try_emplace(r.state);
      if (fresh) {
        it->second.kind = Group::Kind::not_surveyed;
        it->second.state = r.state;
      }
      it->second.nodes.push_back(r.name);
      continue;
    }
    const auto& rep = *r.report;
    if (rep.status == "problems") ++f.problems;
    if (rep.status == "ok") ++f.ok;
    if (rep.status == "no-gpu") ++f.no_gpu;
    Group* g = &no_gpu;
    if (rep.gpu_count > 0) {
      auto [it, fresh] = gpu_groups.try_emplace(gpu_key(rep));
      g = &it->second;
      if (fresh) {
        g->kind = Group::Kind::gpu;
        g->driver_branch = rep.driver_branch();
        g->cuda_max = rep.cuda_max;
        g->recommendation = rep.recommendation;
      }
    }
    g->nodes.push_back(r.name);
    if (rep.status == "problems") g->with_problems.push_back(r.name);
  }
  std::vector<Group> gpus;
  for (auto& [k, g] : gpu_groups) gpus.push_back(std::move(g));
  // Largest groups first; among equals, the newer driver first.
  std::stable_sort(gpus.begin(), gpus.end(), [](const Group& a, const Group& b) {
    if (a.nodes.size() != b.nodes.size()) return a.nodes.size() > b.nodes.size();
    return facts::compare_dotted(a.driver_branch.value_or(""), b.driver_branch.value_or("")) > 0;
  });
  f.groups = std::move(gpus);
  if (!no_gpu.nodes.empty()) f.groups.push_back(std::move(no_gpu));
  for (auto& [s, g] : down) f.groups.push_back(std::move(g));

  if (f.rows.empty() || f.problems > 0 || f.not_surveyed > 0)
    f.status = "problems";
  else if (f.ok > 0)
    f.status = "ok";
  else
    f.status = "no-gpu";
  return f;
}

void answer_query(Fleet& f, const kb::KnowledgeBase& kb, const TorchQuery& q) {
  f.query = q;
  for (auto& r : f.rows)
    if (r.state == NodeState::surveyed && r.report && r.report->machine)
      r.verdict = ask(*r.report->machine, kb, q);
}

int exit_code(const Fleet& f) {
  return f.status == "problems" ? 1 : 0;
}

}  // namespace gpuenv::fleet
