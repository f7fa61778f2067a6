// The answer to `fleet --torch SPEC --variant cuXYZ`: which nodes can run it, grouped by what they
// would install, and why the others cannot, grouped by reason.
#include <algorithm>
#include <map>

#include "fleet/hostlist.hpp"
#include "fleet/render.hpp"
#include "i18n/width.hpp"

namespace gpuenv::fleet {

namespace {

std::string text(i18n::Lang lang, std::string_view id, const i18n::Args& args = {}) {
  return i18n::Catalog::builtin().text(lang, id, args);
}

}  // namespace

std::vector<QueryGroup> query_groups(const Fleet& f) {
  std::map<std::string, QueryGroup> by_key;
  for (auto& r : f.rows) {
    if (!r.verdict) continue;
    const auto& v = *r.verdict;
    std::string key = v.can ? "0|" + v.torch + "|" + v.variant + "|" + v.compat.value_or("") + "|" +
                                  v.cuda_visible_devices.value_or("")
                            : "1|" + v.driver_hint.value_or("");
    if (!v.can)
      for (auto& reason : v.reasons) key += "|" + reason.id + "|" + reason.text.en();
    auto [it, fresh] = by_key.try_emplace(key);
    if (fresh) it->second.verdict = v;
    it->second.nodes.push_back(r.name);
  }
  std::vector<QueryGroup> out;
  for (auto& [k, g] : by_key) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const QueryGroup& a, const QueryGroup& b) {
    if (a.verdict.can != b.verdict.can) return a.verdict.can;
    return a.nodes.size() > b.nodes.size();
  });
  return out;
}

std::string query_title(const Fleet& f, i18n::Lang lang) {
  const auto& q = *f.query;
  int can = 0, total = 0;
  for (auto& r : f.rows) {
    ++total;
    if (r.verdict && r.verdict->can) ++can;
  }
  return text(lang, "fleet.query.title",
              {{"spec", q.spec.empty() ? text(lang, "fleet.query.any") : q.spec},
               {"with", q.variant ? text(lang, "fleet.query.with", {{"variant", *q.variant}}) : ""},
               {"n", std::to_string(can)},
               {"total", std::to_string(total)}});
}

std::string query_detail(const TorchVerdict& v, i18n::Lang lang) {
  if (v.can) {
    std::string s = text(lang, "fleet.query.yes",
                         {{"torch", v.torch},
                          {"variant", v.variant},
                          {"compat", v.compat == "minor" ? text(lang, "fleet.group.minor") : ""}});
    if (v.cuda_visible_devices)
      s += text(lang, "fleet.query.only_gpus", {{"devices", *v.cuda_visible_devices}});
    return s;
  }
  std::string s;
  for (auto& r : v.reasons) s += (s.empty() ? "" : "; ") + r.id + ": " + r.text.render(lang);
  if (v.driver_hint) s += text(lang, "fleet.query.hint", {{"driver", *v.driver_hint}});
  return s;
}

std::string query_text(const Fleet& f, i18n::Lang lang) {
  if (!f.query) return "";
  std::string out = query_title(f, lang) + "\n";
  auto groups = query_groups(f);
  std::size_t w = 0;
  std::size_t mw = std::max(i18n::display_width(text(lang, "fleet.query.can")),
                            i18n::display_width(text(lang, "fleet.query.cannot")));
  for (auto& g : groups) w = std::max(w, compress_hostlist(g.nodes).size());
  for (auto& g : groups) {
    std::string mark = text(lang, g.verdict.can ? "fleet.query.can" : "fleet.query.cannot");
    out += "  " + i18n::pad_right(mark, mw + 2) + i18n::pad_right(compress_hostlist(g.nodes), w + 2) +
           query_detail(g.verdict, lang) + "\n";
  }
  std::vector<std::string> down;
  for (auto& r : f.rows)
    if (!r.verdict) down.push_back(r.name);
  if (!down.empty())
    out += "  " + text(lang, "fleet.query.not_asked", {{"nodes", compress_hostlist(down)}}) + "\n";
  return out;
}

}  // namespace gpuenv::fleet
