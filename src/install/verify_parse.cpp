#include "install/verify_parse.hpp"

#include <vector>

namespace gpuenv::install {

namespace {

using nlohmann::json;

constexpr std::string_view kProgress = "gpuenv-verify: step ";

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t i = 0;
  while (i < text.size()) {
    auto j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    auto line = text.substr(i, j - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    i = j + 1;
  }
  return lines;
}

facts::Opt str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<double> num(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<bool> boolean(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

const json& array(const json& j, const char* key) {
  static const json empty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : empty;
}

void read_torch(const json& t, facts::VerifyRun& run) {
  if (!t.is_object()) return;
  run.torch_version = str(t, "version");
  run.torch_cuda = str(t, "cuda");
  run.torch_hip = str(t, "hip");
  run.torch_location = str(t, "location");
  auto cudnn = t.find("cudnn");
  if (cudnn != t.end() && cudnn->is_number_integer())
    run.torch_cudnn = cudnn_version_text(cudnn->get<std::int64_t>());
  auto arch = t.find("arch_list");
  if (arch != t.end() && arch->is_array()) {
    std::vector<std::string> list;
    for (auto& a : *arch)
      if (a.is_string()) list.push_back(a.get<std::string>());
    run.arch_list = std::move(list);
  }
}

}  // namespace

std::optional<std::string> cudnn_version_text(std::int64_t v) {
  if (v <= 0) return std::nullopt;
  std::int64_t major, minor, patch;
  if (v >= 10000) {  // cuDNN 9+: 90100
    major = v / 10000;
    minor = v % 10000 / 100;
  } else {  // cuDNN <= 8: 8907
    major = v / 1000;
    minor = v % 1000 / 100;
  }
  patch = v % 100;
  if (major == 0) return std::nullopt;
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<std::string> parse_probe_output(std::string_view out, facts::VerifyRun& run) {
  auto lines = split_lines(out);
  json doc;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (it->empty() || it->front() != '{') continue;
    json j = json::parse(*it, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains("probe")) {
      doc = std::move(j);
      break;
    }
  }
  if (doc.is_null()) return std::string("no JSON document in the output");
  if (!doc["probe"].is_number_integer() || doc["probe"].get<int>() != 1)
    return "probe format " + doc["probe"].dump() + " is not understood";

  run.executable = str(doc, "python");
  run.python_version = str(doc, "python_version");
  if (auto t = doc.find("torch"); t != doc.end()) read_torch(*t, run);
  if (auto tv = doc.find("torchvision"); tv != doc.end() && tv->is_object())
    run.torchvision_version = str(*tv, "version");
  run.cuda_available = boolean(doc, "cuda_available");
  if (auto n = num(doc, "device_count")) run.device_count = static_cast<int>(*n);
  for (auto& d : array(doc, "devices")) {
    if (!d.is_object()) continue;
    facts::VerifyDevice dev;
    dev.index = static_cast<int>(num(d, "index").value_or(static_cast<double>(run.devices.size())));
    dev.name = str(d, "name");
    dev.compute_capability = str(d, "compute_capability");
    if (auto m = num(d, "memory_mib")) dev.memory_mib = static_cast<std::int64_t>(*m);
    run.devices.push_back(std::move(dev));
  }
  for (auto& s : array(doc, "steps")) {
    if (!s.is_object() || !s.contains("name") || !s["name"].is_string()) continue;
    facts::VerifyStep step;
    step.name = s["name"].get<std::string>();
    step.device = str(s, "device");
    step.ok = boolean(s, "ok").value_or(false);
    step.seconds = num(s, "seconds");
    step.error = str(s, "error");
    step.traceback = str(s, "traceback");
    if (auto d = s.find("detail"); d != s.end() && d->is_object()) step.detail = *d;
    run.steps.push_back(std::move(step));
  }
  run.torch_imported = run.torch_version.has_value() ||
                       (!run.steps.empty() && run.steps.front().name == "import" && run.steps.front().ok);
  run.speedup = num(doc, "speedup");
  for (auto& w : array(doc, "warnings")) {
    if (!w.is_object()) continue;
    auto message = str(w, "message");
    if (!message) continue;
    run.warnings.push_back({str(w, "category").value_or("Warning"), *message, str(w, "source")});
  }
  for (auto& e : array(doc, "info_errors"))
    if (e.is_string()) run.info_errors.push_back(e.get<std::string>());
  run.internal_error = str(doc, "internal_error");
  return std::nullopt;
}

std::optional<std::string> last_progress_step(std::string_view err) {
  std::optional<std::string> last;
  for (auto line : split_lines(err)) {
    if (!line.starts_with(kProgress)) continue;
    auto step = line.substr(kProgress.size());
    if (step == "done")
      last.reset();
    else
      last = std::string(step);
  }
  return last;
}

std::string stderr_tail(std::string_view err, std::size_t max_lines, std::size_t max_chars) {
  std::vector<std::string_view> kept;
  for (auto line : split_lines(err))
    if (!line.starts_with(kProgress)) kept.push_back(line);
  while (!kept.empty() && kept.back().empty()) kept.pop_back();
  std::size_t first = kept.size() > max_lines ? kept.size() - max_lines : 0;
  std::string out;
  for (std::size_t i = first; i < kept.size(); ++i) {
    out.append(kept[i]);
    if (i + 1 < kept.size()) out += '\n';
  }
  if (out.size() > max_chars) {
    std::size_t cut = out.size() - max_chars;
    // Start on a character, not inside a UTF-8 sequence (continuation bytes are 10xxxxxx).
    while (cut < out.size() && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) ++cut;
    out = "[...]" + out.substr(cut);
  }
  return out;
}

}  // namespace gpuenv::install
