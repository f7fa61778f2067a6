#include "render/verify.hpp"

#include <cmath>
#include <cstdio>

#include "facts/json.hpp"
#include "i18n/width.hpp"
#include "render/style.hpp"

namespace gpuenv::render {

using oj = nlohmann::ordered_json;
using i18n::tr;

namespace {

oj opt(const facts::Opt& v) {
  return v ? oj(*v) : oj(nullptr);
}

/// `v` to 1/scale: divided last, so 0.0588 prints as 0.0588 and not 0.058800000000000005.
oj rounded(std::optional<double> v, double scale) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return std::round(*v * scale) / scale;
}

const facts::VerifyStep* find_step(const facts::VerifyRun& run, std::string_view name) {
  for (auto& s : run.steps)
    if (s.name == name) return &s;
  return nullptr;
}

std::string sci(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1e", x);
  return buf;
}

std::string mib_text(std::int64_t mib) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(mib) / 1024.0);
  return buf;
}

}  // namespace

std::string format_speedup(double x) {
  char buf[32];
  if (x >= 10)
    std::snprintf(buf, sizeof buf, "%.0f", x);
  else if (x >= 1)
    std::snprintf(buf, sizeof buf, "%.1f", x);
  else
    std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string format_seconds(double s) {
  char buf[32];
  if (s >= 1)
    std::snprintf(buf, sizeof buf, "%.2f s", s);
  else if (s >= 1e-3)
    std::snprintf(buf, sizeof buf, "%.1f ms", s * 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f µs", s * 1e6);
  return buf;
}

oj verify_json(const VerifyOutput& v, i18n::Lang lang) {
  const auto& run = v.run;
  oj torch = nullptr;
  if (run.torch_imported) {
    oj arch = run.arch_list ? oj(*run.arch_list) : oj(nullptr);
    torch = {{"version", opt(run.torch_version)}, {"cuda", opt(run.torch_cuda)},
             {"cudnn", opt(run.torch_cudnn)},     {"arch_list", arch},
             {"hip", opt(run.torch_hip)},         {"location", opt(run.torch_location)}};
  }
  oj devices = oj::array();
  for (auto& d : run.devices)
    devices.push_back({{"index", d.index},
                       {"name", opt(d.name)},
                       {"compute_capability", opt(d.compute_capability)},
                       {"memory_mib", d.memory_mib ? oj(*d.memory_mib) : oj(nullptr)}});
  oj steps = oj::array();
  for (auto& s : run.steps) {
    oj step{{"name", s.name},
            {"device", opt(s.device)},
            {"ok", s.ok},
            {"seconds", rounded(s.seconds, 1e4)},
            {"error", opt(s.error)}};
    if (!s.detail.is_null()) step["detail"] = s.detail;
    steps.push_back(std::move(step));
  }
  oj warnings = oj::array();
  for (auto& w : run.warnings)
    warnings.push_back({{"category", w.category}, {"message", w.message}, {"source", opt(w.source)}});
  oj findings = oj::array();
  for (auto& f : v.verdict.findings) findings.push_back(finding_json(f, lang));
  const auto* bench = find_step(run, "benchmark");

  oj j{{"schema_version", facts::kSchemaVersion},
       {"tool", {{"name", "gpuenv"}, {"version", tool_version()}}},
       {"python", run.python},
       {"python_version", opt(run.python_version)},
       {"env", opt(run.env)},
       {"found_by", run.found_by},
       {"torch", torch},
       {"torchvision", run.torchvision_version ? oj{{"version", *run.torchvision_version}} : oj(nullptr)},
       {"cuda_available", run.cuda_available ? oj(*run.cuda_available) : oj(nullptr)},
       {"device_count", run.device_count ? oj(*run.device_count) : oj(nullptr)},
       {"devices", devices},
       {"steps", steps},
       {"speedup", rounded(run.speedup, 100)},
       {"benchmark", bench && !bench->detail.is_null() ? oj(bench->detail) : oj(nullptr)},
       {"warnings", warnings},
       {"findings", findings},
       {"ok", v.verdict.ok},
       {"quick", run.quick},
       {"cpu_ok", v.cpu_ok},
       {"probe_failure", opt(run.probe_failure)}};
  if (run.probe_failure || run.internal_error) j["stderr_tail"] = run.stderr_tail;
  if (run.internal_error) j["internal_error"] = *run.internal_error;
  return j;
}

namespace {

struct Text {
  std::string s;
  const TextOptions& opt;
  Style st;
  /// Each paragraph of `text` wrapped at the width, every line indented.
  void para(const std::string& text, std::size_t indent, const std::string& first_prefix = {}) {
    std::size_t avail = opt.width > indent + 20 ? opt.width - indent : 60;
    bool first = true;
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string piece = text.substr(start, end - start);
      auto lines = i18n::wrap(piece, avail);
      if (lines.empty()) lines.push_back("");
      for (auto& l : lines) {
        s += std::string(indent, ' ');
        if (first && !first_prefix.empty()) s += first_prefix + " ";
        first = false;
        s += l + "\n";
      }
      start = end + 1;
    }
  }
};

std::string marker(rules::Severity sev, const Style& st) {
  switch (sev) {
    case rules::Severity::error:
      return st.bad(tr("verify.marker.error"));
    case rules::Severity::warning:
      return st.warn(tr("verify.marker.warning"));
    case rules::Severity::info:
      return tr("verify.marker.info");
  }
  return {};
}

std::string step_detail(const facts::VerifyStep& s) {
  if (!s.ok) return s.error ? s.error->substr(0, s.error->find('\n')) : std::string();
  const auto& d = s.detail;
  if (d.is_object() && d.contains("rel_error") && d["rel_error"].is_number() && d.contains("bound") &&
      d["bound"].is_number())
    return tr("verify.text.check",
              {{"error", sci(d["rel_error"].get<double>())}, {"bound", sci(d["bound"].get<double>())}});
  return {};
}

}  // namespace

std::string verify_text(const VerifyOutput& v, const TextOptions& opt) {
  const auto& run = v.run;
  Text o{{}, opt, Style{opt.color}};
  o.s += o.st.bold(tr("verify.text.header", {{"python", run.python},
                                             {"version", run.python_version.value_or("?")},
                                             {"found_by", run.found_by}})) +
         "\n";
  if (run.torch_imported) {
    o.para(tr("verify.text.torch", {{"version", run.torch_version.value_or("?")},
                                    {"cuda", run.torch_cuda.value_or("None")},
                                    {"cudnn", run.torch_cudnn.value_or("None")}}),
           2);
    if (run.torchvision_version)
      o.para(tr("verify.text.torchvision", {{"version", *run.torchvision_version}}), 2);
    if (run.cuda_available.value_or(false))
      o.para(tr("verify.text.cuda_yes", {{"count", std::to_string(run.device_count.value_or(0))}}), 2);
    else
      o.para(tr("verify.text.cuda_no"), 2);
    for (auto& d : run.devices)
      o.para(tr("verify.text.device", {{"device", "cuda:" + std::to_string(d.index)},
                                       {"name", d.name.value_or("?")},
                                       {"cc", d.compute_capability.value_or("?")},
                                       {"memory", d.memory_mib ? mib_text(*d.memory_mib) : "?"}}),
             4);
    if (run.arch_list && !run.arch_list->empty()) {
      std::string list;
      for (auto& a : *run.arch_list) list += (list.empty() ? "" : " ") + a;
      o.para(tr("verify.text.arch_list", {{"list", list}}), 2);
    }
  } else {
    o.para(tr("verify.text.torch_none"), 2);
  }

  o.s += "\n" + o.st.bold(tr("verify.text.steps")) + "\n";
  std::size_t label_w = 0;
  for (auto& s : run.steps)
    label_w = std::max(label_w, i18n::display_width(s.name + (s.device ? " (" + *s.device + ")" : "")));
  for (auto& s : run.steps) {
    std::string label = s.name + (s.device ? " (" + *s.device + ")" : "");
    std::string line = "  " + (s.ok ? o.st.ok("✓") : o.st.bad("✗")) + " " + i18n::pad_right(label, label_w) +
                       "  " + i18n::pad_right(s.seconds ? format_seconds(*s.seconds) : "", 9);
    auto detail = step_detail(s);
    if (!detail.empty()) line += "  " + detail;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    o.s += line + "\n";
  }
  if (run.speedup) {
    const auto* b = find_step(run, "benchmark");
    auto num = [&](const char* k) {
      auto it = b->detail.find(k);
      return it != b->detail.end() && it->is_number() ? it->get<double>() : 0.0;
    };
    if (b && b->detail.is_object() && num("cpu_seconds") > 0 && num("gpu_seconds") > 0) {
      o.s += "\n";
      o.para(o.st.bold(tr("verify.text.speedup", {{"speedup", format_speedup(*run.speedup)},
                                                  {"n", std::to_string(static_cast<long long>(num("n")))},
                                                  {"cpu", format_seconds(num("cpu_seconds"))},
                                                  {"gpu", format_seconds(num("gpu_seconds"))}})),
             2);
    }
  }
  if (!run.warnings.empty()) {
    o.s += "\n" + o.st.bold(tr("verify.text.warnings")) + "\n";
    for (auto& w : run.warnings) o.para(w.category + ": " + w.message, 2, "-");
  }
  if (!v.verdict.findings.empty()) {
    o.s += "\n" + o.st.bold(tr("verify.text.findings")) + "\n";
    for (auto& f : v.verdict.findings) {
      o.para(o.st.bold(f.title.localized()), 2, marker(f.severity, o.st));
      o.para(f.explanation.localized(), 4);
      for (auto& fx : f.fixes) {
        o.para(tr("verify.text.fix", {{"text", fx.text.localized()}}), 4);
        for (auto& c : fx.commands) o.s += "      $ " + c + "\n";
      }
      if (opt.verbose)
        for (auto& e : f.evidence) o.para(o.st.dim(e), 6, "·");
    }
  }
  o.s += "\n";
  if (v.verdict.ok && v.verdict.ran_on_gpu)
    o.s += o.st.ok(tr("verify.text.result.gpu")) + "\n";
  else if (v.verdict.ok)
    o.s += o.st.warn(tr("verify.text.result.cpu")) + "\n";
  else
    o.s += o.st.bad(tr("verify.text.result.failed")) + "\n";
  return o.s;
}

}  // namespace gpuenv::render
