#include "install/journal.hpp"

#include <nlohmann/json.hpp>

#include "platform/atomic_write.hpp"
#include "platform/tree.hpp"

namespace gpuenv::install {

using nlohmann::ordered_json;

std::string journal_root(const platform::Environment& env) {
  if (auto s = env.get("XDG_STATE_HOME"); s && !s->empty() && s->front() == '/')
    return *s + "/gpuenv/journal";
  if (auto h = env.get("HOME"); h && !h->empty()) return *h + "/.local/state/gpuenv/journal";
  return {};
}

std::string journal_name(const std::string& stamp, const std::string& target) {
  std::string t = target;
  while (t.size() > 1 && t.back() == '/') t.pop_back();
  auto slash = t.find_last_of('/');
  if (slash != std::string::npos) t = t.substr(slash + 1);
  std::string safe;
  for (char c : t)
    safe += ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
             c == '_' || c == '-')
                ? c
                : '_';
  if (safe.empty() || safe == "." || safe == "..") safe = "env";
  return stamp + "-" + safe;
}

std::string save(const Journal& j) {
  ordered_json o;
  o["schema_version"] = 1;
  o["name"] = j.name;
  o["state"] = j.state;
  o["installer"] = j.installer;
  o["target"] = {{"kind", j.target_kind},
                 {"prefix", j.prefix},
                 {"conda_name", j.conda_name.empty() ? ordered_json() : ordered_json(j.conda_name)},
                 {"created_by_this_run", j.created_env}};
  o["conda_native"] = j.conda_native;
  o["snapshot"] = {{"tool", j.snapshot_tool}, {"argv", j.snapshot_argv}};
  if (j.packages_before) {
    ordered_json p = ordered_json::object();
    for (auto& [k, v] : *j.packages_before) p[k] = v;
    o["packages_before"] = p;
  } else {
    o["packages_before"] = nullptr;
  }
  o["conda_explicit_before"] = j.conda_explicit_before;
  o["conda_revision_before"] =
      j.conda_revision_before ? ordered_json(*j.conda_revision_before) : ordered_json();
  o["pip_temp_before"] = j.pip_temp_before;
  ordered_json sa = ordered_json::array();
  for (auto& d : j.set_aside) sa.push_back({{"name", d.name}, {"version", d.version}, {"files", d.files}});
  o["set_aside"] = sa;
  o["commands"] = j.commands;
  o["started_at"] = j.started_at;
  o["finished_at"] = j.finished_at.empty() ? ordered_json() : ordered_json(j.finished_at);
  o["failure"] = j.failure.empty() ? ordered_json() : ordered_json(j.failure);
  platform::AtomicWriteOptions opt;
  opt.mode = 0600;
  opt.make_parents = true;
  auto err = platform::write_file_atomic(
      j.dir + "/journal.json", o.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", opt);
  return err.value_or("");
}

namespace {

template <class T>
T get_or(const ordered_json& o, const char* key, T fallback) {
  if (!o.is_object() || !o.contains(key)) return fallback;
  try {
    return o.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    return fallback;
  }
}

}  // namespace

std::optional<Journal> load(const std::string& dir, std::string& error) {
  auto text = platform::read_host_file(dir + "/journal.json");
  if (!text) {
    error = dir + "/journal.json: cannot be read";
    return std::nullopt;
  }
  auto o = ordered_json::parse(*text, nullptr, false);
  if (o.is_discarded() || !o.is_object() || !o.contains("state")) {
    error = dir + "/journal.json: not a gpuenv journal";
    return std::nullopt;
  }
  Journal j;
  j.dir = dir;
  j.name = get_or<std::string>(o, "name", "");
  j.state = get_or<std::string>(o, "state", "");
  j.installer = get_or<std::string>(o, "installer", "pip");
  ordered_json t = o.contains("target") ? o["target"] : ordered_json::object();
  j.target_kind = get_or<std::string>(t, "kind", "env");
  j.prefix = get_or<std::string>(t, "prefix", "");
  if (t.contains("conda_name") && t["conda_name"].is_string())
    j.conda_name = t["conda_name"].get<std::string>();
  j.created_env = get_or<bool>(t, "created_by_this_run", false);
  j.conda_native = get_or<bool>(o, "conda_native", false);
  ordered_json snap = o.contains("snapshot") ? o["snapshot"] : ordered_json::object();
  j.snapshot_tool = get_or<std::string>(snap, "tool", "");
  j.snapshot_argv = get_or<std::vector<std::string>>(snap, "argv", {});
  if (o.contains("packages_before") && o["packages_before"].is_object()) {
    PackageSet p;
    for (auto& [k, v] : o["packages_before"].items())
      if (v.is_string()) p[k] = v.get<std::string>();
    j.packages_before = p;
  }
  j.conda_explicit_before = get_or<std::vector<std::string>>(o, "conda_explicit_before", {});
  if (o.contains("conda_revision_before") && o["conda_revision_before"].is_number_integer())
    j.conda_revision_before = o["conda_revision_before"].get<int>();
  j.pip_temp_before = get_or<std::vector<std::string>>(o, "pip_temp_before", {});
  if (o.contains("set_aside") && o["set_aside"].is_array())
    for (auto& d : o["set_aside"])
      j.set_aside.push_back({get_or<std::string>(d, "name", ""), get_or<std::string>(d, "version", ""),
                             get_or<std::vector<std::string>>(d, "files", {})});
  j.commands = get_or<std::vector<std::string>>(o, "commands", {});
  j.started_at = get_or<std::string>(o, "started_at", "");
  if (o.contains("finished_at") && o["finished_at"].is_string())
    j.finished_at = o["finished_at"].get<std::string>();
  if (o.contains("failure") && o["failure"].is_string()) j.failure = o["failure"].get<std::string>();
  if (j.prefix.empty() || j.prefix.front() != '/') {
    error = dir + "/journal.json: no target environment";
    return std::nullopt;
  }
  return j;
}

std::vector<Journal> list_journals(const std::string& root) {
  std::vector<Journal> out;
  for (auto& n : platform::list_names(root)) {
    std::string err;
    if (auto j = load(root + "/" + n, err)) out.push_back(std::move(*j));
  }
  return out;
}

}  // namespace gpuenv::install
