#include "plan/commands.hpp"

#include <algorithm>
#include <vector>

namespace gpuenv::plan {

std::string shell_word(std::string_view s) {
  auto safe = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_+=.,/:@%-").find(c) != std::string_view::npos;
  };
  if (!s.empty() && std::all_of(s.begin(), s.end(), safe)) return std::string(s);
  if (s.find_first_of("\"$`\\!'") == std::string_view::npos) return "\"" + std::string(s) + "\"";
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

namespace {

std::string join_words(const std::vector<std::string>& words) {
  std::string s;
  for (auto& w : words) s += (s.empty() ? "" : " ") + shell_word(w);
  return s;
}

/// "torch==2.5.1", with the local label where the era's index needs it ("torch==1.13.1+cu117").
std::vector<std::string> pins(const kb::TorchRelease& r, const std::string& label, bool conda) {
  std::vector<std::string> out{(conda ? "pytorch==" : "torch==") + r.version + label};
  std::string tv = conda && r.conda_torchvision ? *r.conda_torchvision : r.torchvision;
  out.push_back("torchvision==" + tv + label);
  std::optional<std::string> ta = conda && r.conda_torchaudio ? r.conda_torchaudio : r.torchaudio;
  if (ta) out.push_back("torchaudio==" + *ta);  // torchaudio never carried the label on these indexes
  return out;
}

}  // namespace

Commands make_commands(const kb::KnowledgeBase& kb, const kb::TorchSeries& s, const kb::TorchRelease& r,
                       const kb::TorchVariant& v, std::string_view platform) {
  Commands c;
  bool plain = s.default_variant(platform) == v.name;
  bool labelled = !plain && s.pip_style != "index-url";
  std::string label = labelled ? "+" + v.name : "";
  std::string url = s.index_url(v.name);
  std::vector<std::string> pip{"python", "-m", "pip", "install"};
  std::vector<std::string> uv{"uv", "pip", "install"};
  for (auto& p : pins(r, label, false)) {
    pip.push_back(p);
    uv.push_back(p);
  }
  if (!plain) {
    std::string flag = s.pip_style == "find-links" ? "-f" : "--" + s.pip_style;
    pip.insert(pip.end(), {flag, url});
    bool backend = s.pip_style == "index-url" &&
                   std::find(kb.uv_torch_backends.begin(), kb.uv_torch_backends.end(), v.name) !=
                       kb.uv_torch_backends.end();
    if (backend)
      uv.push_back("--torch-backend=" + v.name);
    else
      uv.insert(uv.end(), {s.pip_style == "find-links" ? "--find-links" : "--" + s.pip_style, url});
  }
  c.pip = join_words(pip);
  c.uv = join_words(uv);
  c.pip_argv = pip;
  c.uv_argv = uv;
  // conda: the pytorch channel (up to 2.5.1; linux-64 and win-64), then conda-forge builds the kb
  // knows, else pip inside the conda environment.
  bool conda_platform = platform == kb::kLinuxX86 || platform == kb::kWindowsX86;
  for (auto& pkg : s.conda) {
    if (!conda_platform || pkg.cuda != v.cuda) continue;
    std::vector<std::string> words{"conda", "install"};
    for (auto& p : pins(r, "", true)) words.push_back(p);
    words.push_back(pkg.package);
    for (auto& ch : pkg.channels) words.insert(words.end(), {"-c", ch});
    c.conda = join_words(words);
    c.conda_argv = words;
    c.conda_native = true;
    return c;
  }
  for (auto& b : s.conda_forge) {
    bool here = std::find(b.platforms.begin(), b.platforms.end(), platform) != b.platforms.end();
    if (b.version != r.version || !v.cuda || b.cuda != *v.cuda || !here) continue;
    std::string digits = b.cuda;
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    c.conda_argv = {"conda", "install", "-c", "conda-forge", "pytorch=" + r.version + "=cuda" + digits + "*"};
    c.conda = join_words(c.conda_argv);
    c.conda_native = true;
    c.conda_note = i18n::Text{"plan.conda.forge_only_torch", {{"torch", r.version}}};
    return c;
  }
  c.conda = c.pip;
  c.conda_argv = c.pip_argv;
  c.conda_note = i18n::Text{"plan.conda.use_pip", {{"torch", r.version}, {"variant", v.name}}};
  return c;
}

}  // namespace gpuenv::plan
