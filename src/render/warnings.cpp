#include "render/warnings.hpp"

#include <algorithm>

namespace gpuenv::render {

using oj = nlohmann::ordered_json;

std::string warning_message(const facts::ProbeWarning& w, i18n::Lang lang) {
  const auto& cat = i18n::Catalog::builtin();
  if (w.id.empty() || !cat.has(w.id)) return w.message;
  const auto& e = cat.entries().find(w.id)->second;
  for (const auto* pattern : {&e.en, &e.ja})
    for (auto& name : i18n::placeholders(*pattern))
      if (std::none_of(w.args.begin(), w.args.end(), [&](auto& a) { return a.first == name; }))
        return w.message;
  return i18n::Text{w.id, w.args}.render(lang);
}

void localize_env_warnings(oj& env, const facts::PythonEnv& e, i18n::Lang lang) {
  if (lang == i18n::Lang::en) return;
  oj localized = oj::array();
  for (auto& w : e.warnings) localized.push_back(warning_message(w, lang));
  env["warnings_localized"] = localized;
}

void localize_warnings(oj& machine, const facts::Machine& m, i18n::Lang lang) {
  if (lang == i18n::Lang::en) return;
  if (machine.contains("warnings") && machine["warnings"].size() == m.warnings.size()) {
    oj out = oj::array();
    for (std::size_t i = 0; i < m.warnings.size(); ++i) {
      // message_localized right after message, the rest (id, args) after it.
      oj w = oj::object();
      for (auto& [k, v] : machine["warnings"][i].items()) {
        w[k] = v;
        if (k == "message") w["message_localized"] = warning_message(m.warnings[i], lang);
      }
      out.push_back(std::move(w));
    }
    machine["warnings"] = std::move(out);
  }
  if (machine.contains("python_envs") && machine["python_envs"].size() == m.python_envs.size())
    for (std::size_t i = 0; i < m.python_envs.size(); ++i)
      localize_env_warnings(machine["python_envs"][i], m.python_envs[i], lang);
}

}  // namespace gpuenv::render
