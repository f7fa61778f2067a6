#include "fleet/labels.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <set>

#include "facts/dotted.hpp"
#include "facts/json.hpp"

namespace gpuenv::fleet {

namespace {

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool name_char(char c) {
  return alnum(c) || c == '-' || c == '_' || c == '.';
}

std::optional<std::string> check_name_part(std::string_view s, const char* what) {
  if (s.empty()) return std::string(what) + " is empty";
  if (s.size() > 63) return std::string(what) + " is longer than 63 characters";
  if (!alnum(s.front()) || !alnum(s.back()))
    return std::string(what) + " must begin and end with a letter or digit";
  for (char c : s)
    if (!name_char(c)) return std::string(what) + " holds '" + std::string(1, c) + "'";
  return std::nullopt;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string short_model(const std::string& name) {
  std::string s = name;
  for (std::string_view p : {"NVIDIA ", "GeForce "})
    if (s.size() > p.size() && s.compare(0, p.size(), p) == 0) s = s.substr(p.size());
  return s;
}

/// "9.0" → "90", "12.0" → "120": the digits of a compute capability.
std::string cc_digits(const std::string& cc) {
  std::string out;
  for (char c : cc)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

}  // namespace

std::string sanitize_label_value(std::string_view v) {
  std::string s;
  for (char c : v) s += name_char(c) ? c : '-';
  if (s.size() > 63) s.resize(63);
  auto b = std::find_if(s.begin(), s.end(), alnum);
  auto e = std::find_if(s.rbegin(), s.rend(), alnum).base();
  if (b >= e) return "";
  return std::string(b, e);
}

std::optional<std::string> check_label(const Label& l) {
  auto slash = l.name.find('/');
  if (slash == std::string::npos) return "name " + l.name + " has no prefix (PREFIX/NAME)";
  std::string_view prefix = std::string_view(l.name).substr(0, slash);
  std::string_view name = std::string_view(l.name).substr(slash + 1);
  if (prefix.empty() || prefix.size() > 253) return "prefix of " + l.name + " must be 1 to 253 characters";
  std::size_t start = 0;
  while (start <= prefix.size()) {
    auto dot = prefix.find('.', start);
    if (dot == std::string_view::npos) dot = prefix.size();
    std::string_view part = prefix.substr(start, dot - start);
    if (part.empty() || part.size() > 63) return "prefix of " + l.name + " is not a DNS subdomain";
    for (char c : part)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
        return "prefix of " + l.name + " is not a DNS subdomain";
    if (part.front() == '-' || part.back() == '-') return "prefix of " + l.name + " is not a DNS subdomain";
    start = dot + 1;
  }
  if (auto e = check_name_part(name, "name")) return l.name + ": " + *e;
  if (!l.value.empty())
    if (auto e = check_name_part(l.value, "value")) return l.name + "=" + l.value + ": " + *e;
  return std::nullopt;
}

std::vector<Label> nfd_labels(const NodeReport& r, std::string_view prefix) {
  std::vector<Label> out;
  std::string p(prefix);
  auto add = [&](const char* name, const std::optional<std::string>& value) {
    if (!value) return;
    std::string v = sanitize_label_value(*value);
    if (!v.empty()) out.push_back({p + "/" + name, v});
  };
  add("status", r.status);
  add("healthy", std::string(r.count("error") == 0 ? "true" : "false"));
  add("gpu.count", std::to_string(r.gpu_count));
  if (!r.gpus.empty()) {
    add("gpu.model", lower(short_model(r.gpus.front().name)));
    if (r.gpus.front().architecture) add("gpu.arch", lower(*r.gpus.front().architecture));
    add("gpu.cc", r.min_compute_capability());
    std::set<std::string> ccs;
    for (auto& g : r.gpus)
      if (g.compute_capability) ccs.insert(*g.compute_capability);
    if (ccs.size() > 1) add("gpu.cc-mixed", std::string("true"));
    std::optional<std::int64_t> mem;
    for (auto& g : r.gpus)
      if (g.memory_mib && (!mem || *g.memory_mib < *mem)) mem = g.memory_mib;
    if (mem) add("gpu.memory-mib", std::to_string(*mem));
  }
  add("driver.version", r.driver_version);
  add("driver.branch", r.driver_branch());
  add("cuda.max", r.cuda_max);
  if (r.recommendation) {
    add("torch.version", r.recommendation->torch);
    add("torch.variant", r.recommendation->variant);
    add("torch.compatibility", r.recommendation->compatibility);
  }
  return out;
}

std::string nfd_file(const std::vector<Label>& labels, const std::optional<std::string>& expiry_rfc3339,
                     std::string_view header) {
  std::string out;
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto nl = header.find('\n', pos);
    if (nl == std::string_view::npos) nl = header.size();
    out += "# " + std::string(header.substr(pos, nl - pos)) + "\n";
    pos = nl + 1;
  }
  if (expiry_rfc3339) out += "# +expiry-time=" + *expiry_rfc3339 + "\n";
  for (auto& l : labels) out += l.name + "=" + l.value + "\n";
  return out;
}

std::vector<std::string> slurm_features(const NodeReport& r) {
  std::vector<std::string> out;
  if (r.gpus.empty()) return out;
  std::set<std::string> seen;
  auto add = [&](std::string t) {
    t = sanitize_label_value(t);
    if (!t.empty() && seen.insert(t).second) out.push_back(t);
  };
  std::vector<std::string> ccs;
  for (auto& g : r.gpus)
    if (g.compute_capability) ccs.push_back(*g.compute_capability);
  std::sort(ccs.begin(), ccs.end(), [](auto& a, auto& b) { return facts::compare_dotted(a, b) < 0; });
  for (auto& cc : ccs) add("cc" + cc_digits(cc));
  if (auto b = r.driver_branch()) add("drv" + *b);
  if (r.cuda_max) add("cuda" + *r.cuda_max);
  if (r.recommendation && r.recommendation->variant) add(*r.recommendation->variant);
  return out;
}

nlohmann::ordered_json ansible_facts(const NodeReport& r, const std::string& tool_version) {
  using oj = nlohmann::ordered_json;
  auto opt = [](const std::optional<std::string>& v) { return v ? oj(*v) : oj(nullptr); };
  oj gpus = oj::array();
  for (auto& g : r.gpus)
    gpus.push_back({{"name", g.name},
                    {"count", g.count},
                    {"compute_capability", opt(g.compute_capability)},
                    {"architecture", opt(g.architecture)},
                    {"memory_mib", g.memory_mib ? oj(*g.memory_mib) : oj(nullptr)}});
  oj rec = nullptr;
  if (r.recommendation)
    rec = {{"torch", opt(r.recommendation->torch)},
           {"variant", opt(r.recommendation->variant)},
           {"compatibility", opt(r.recommendation->compatibility)},
           {"driver_advice", r.recommendation->driver_advice
                                 ? oj{{"minimum", opt(r.recommendation->advice_driver)},
                                      {"torch", opt(r.recommendation->advice_torch)},
                                      {"variant", opt(r.recommendation->advice_variant)}}
                                 : oj(nullptr)}};
  std::vector<std::string> errors, warnings;
  for (auto& f : r.findings) {
    if (f.severity == "error") errors.push_back(f.id);
    if (f.severity == "warning") warnings.push_back(f.id);
  }
  return oj{{"schema_version", facts::kSchemaVersion},
            {"tool_version", tool_version},
            {"status", r.status},
            {"healthy", r.count("error") == 0},
            {"gpu_count", r.gpu_count},
            {"gpus", gpus},
            {"driver_version", opt(r.driver_version)},
            {"driver_branch", opt(r.driver_branch())},
            {"cuda_max", opt(r.cuda_max)},
            {"compute_capability_min", opt(r.min_compute_capability())},
            {"recommendation", rec},
            {"envs", {{"total", r.envs}, {"broken", r.envs_broken}}},
            {"errors", errors},
            {"warnings", warnings},
            {"slurm_features", slurm_features(r)}};
}

std::string rfc3339_utc(std::int64_t epoch_seconds) {
  using namespace std::chrono;
  sys_seconds t{seconds{epoch_seconds}};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<std::int64_t> parse_duration(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  std::int64_t unit = 0;
  switch (s.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return std::nullopt;
  }
  std::int64_t n = 0;
  auto digits = s.substr(0, s.size() - 1);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || p != digits.data() + digits.size() || n <= 0 || n > 3650LL * 86400 / unit)
    return std::nullopt;
  return n * unit;
}

}  // namespace gpuenv::fleet
