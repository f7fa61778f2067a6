#include "install/steps.hpp"

#include <nlohmann/json.hpp>

#include "install/parse.hpp"

namespace gpuenv::install {

const char* installer_name(Installer i) {
  switch (i) {
    case Installer::pip:
      return "pip";
    case Installer::uv:
      return "uv";
    case Installer::conda:
      return "conda";
  }
  return "pip";
}

const char* step_kind_name(StepKind k) {
  switch (k) {
    case StepKind::create:
      return "create";
    case StepKind::snapshot:
      return "snapshot";
    case StepKind::resolve:
      return "resolve";
    case StepKind::install:
      return "install";
    case StepKind::verify:
      return "verify";
  }
  return "install";
}

namespace {

bool takes_url(const std::string& w) {
  return w == "--index-url" || w == "--extra-index-url" || w == "-f" || w == "--find-links" || w == "-i";
}

std::string map_url(const std::string& url, const IndexOptions& idx) {
  for (auto& [from, to] : idx.mirrors)
    if (!from.empty() && url.starts_with(from)) return to + url.substr(from.size());
  return url;
}

std::vector<std::string> tail(const std::vector<std::string>& v, std::size_t from) {
  return from < v.size() ? std::vector<std::string>(v.begin() + static_cast<long>(from), v.end())
                         : std::vector<std::string>{};
}

}  // namespace

std::vector<std::string> apply_index_options(std::vector<std::string> args, const IndexOptions& idx,
                                             bool uv) {
  std::vector<std::string> out;
  bool has_index = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& w = args[i];
    if (takes_url(w) && i + 1 < args.size()) {
      bool index = w == "--index-url" || w == "-i";
      if (index && idx.index_url) {
        out.insert(out.end(), {"--index-url", *idx.index_url});
        has_index = true;
      } else {
        out.insert(out.end(), {w, map_url(args[i + 1], idx)});
        has_index = has_index || index;
      }
      ++i;
      continue;
    }
    if (uv && w.starts_with("--torch-backend=")) {
      // uv picks the PyTorch index itself; a mirror or an explicit index has to be named instead.
      std::string variant = w.substr(std::string_view("--torch-backend=").size());
      std::string url = std::string(kPytorchIndex) + "/" + variant;
      if (idx.index_url) {
        out.insert(out.end(), {"--index-url", *idx.index_url});
        has_index = true;
      } else if (map_url(url, idx) != url) {
        out.insert(out.end(), {"--index-url", map_url(url, idx)});
        has_index = true;
      } else {
        out.push_back(w);
      }
      continue;
    }
    out.push_back(w);
  }
  if (idx.index_url && !has_index) out.insert(out.end(), {"--index-url", *idx.index_url});
  for (auto& u : idx.extra_index_urls) out.insert(out.end(), {"--extra-index-url", u});
  for (auto& f : idx.find_links) out.insert(out.end(), {"--find-links", f});
  if (idx.no_index) out.push_back("--no-index");
  return out;
}

Steps make_steps(const plan::Recommendation& rec, const Target& t, Installer inst, const IndexOptions& idx,
                 bool verify, bool cpu_ok) {
  Steps s;
  s.python = t.prefix + "/bin/python";
  s.packages = {"torch", "torchvision"};
  if (rec.torchaudio) s.packages.push_back("torchaudio");
  s.what = "torch " + rec.torch + " (" + rec.variant + ")";
  const plan::Commands& c = rec.commands;
  bool conda = inst == Installer::conda;
  s.conda_native = conda && c.conda_native;

  // Create the environment.
  if (!t.exists) {
    if (conda)
      s.steps.push_back({StepKind::create,
                         {"conda", "create", "--yes", "--name", t.conda_name, "python=" + t.python_version}});
    else if (inst == Installer::uv)
      s.steps.push_back({StepKind::create, {"uv", "venv", "--python", t.base_python, t.prefix}});
    else
      s.steps.push_back({StepKind::create, {t.base_python, "-m", "venv", t.prefix}});
  }

  // Record what is there, ask what would be replaced, install.
  if (s.conda_native) {
    if (t.exists) {
      s.steps.push_back({StepKind::snapshot, {"conda", "list", "--explicit", "--name", t.conda_name}});
      s.steps.push_back({StepKind::snapshot, {"conda", "list", "--revisions", "--name", t.conda_name}});
    }
    std::vector<std::string> argv{"conda", "install", "--yes", "--name", t.conda_name};
    auto rest = tail(c.conda_argv, 2);
    argv.insert(argv.end(), rest.begin(), rest.end());
    s.steps.push_back({StepKind::install, argv});
  } else if (inst == Installer::uv) {
    auto args = apply_index_options(tail(c.uv_argv, 3), idx, true);
    if (t.exists) {
      s.steps.push_back(
          {StepKind::snapshot, {"uv", "pip", "list", "--format", "json", "--python", s.python}});
      std::vector<std::string> dry{"uv", "pip", "install", "--dry-run", "--python", s.python};
      dry.insert(dry.end(), args.begin(), args.end());
      s.steps.push_back({StepKind::resolve, dry});
    }
    std::vector<std::string> argv{"uv", "pip", "install", "--python", s.python};
    argv.insert(argv.end(), args.begin(), args.end());
    s.steps.push_back({StepKind::install, argv});
  } else {
    // pip, also inside a conda environment when conda has no build of this release.
    auto args = apply_index_options(tail(c.pip_argv, 4), idx, false);
    if (t.exists) {
      s.steps.push_back({StepKind::snapshot, {s.python, "-m", "pip", "inspect"}});
      std::vector<std::string> dry{s.python, "-m", "pip", "install", "--dry-run", "--quiet", "--report", "-"};
      dry.insert(dry.end(), args.begin(), args.end());
      s.steps.push_back({StepKind::resolve, dry});
    }
    std::vector<std::string> argv{s.python, "-m", "pip", "install"};
    argv.insert(argv.end(), args.begin(), args.end());
    s.steps.push_back({StepKind::install, argv});
  }

  if (verify) {
    std::vector<std::string> argv{s.python, "-B", "-c", "<probe.py>"};
    if (cpu_ok) argv.push_back("--cpu-ok");
    s.steps.push_back({StepKind::verify, argv});
  }
  return s;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_mirrors(
    const std::optional<std::string>& env_value, const std::optional<std::string>& config_text,
    std::string& error) {
  std::vector<std::pair<std::string, std::string>> out;
  if (env_value && !env_value->empty()) {
    std::string_view v = *env_value;
    while (!v.empty()) {
      auto sp = v.find(' ');
      std::string word(v.substr(0, sp));
      v = sp == std::string_view::npos ? std::string_view() : v.substr(sp + 1);
      if (word.empty()) continue;
      auto eq = word.find('=');
      // A URL's query may hold '=' too: only "FROM=TO" where FROM looks like a URL counts as a pair.
      if (eq != std::string::npos && word.find("://") < eq)
        out.emplace_back(word.substr(0, eq), word.substr(eq + 1));
      else
        out.emplace_back(kPytorchIndex, word);
    }
  }
  if (config_text) {
    auto j = nlohmann::json::parse(*config_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      error = "not a JSON object";
      return std::nullopt;
    }
    if (j.contains("index_mirror")) {
      const auto& m = j["index_mirror"];
      if (!m.is_object()) {
        error = "\"index_mirror\" is not an object of URL prefixes";
        return std::nullopt;
      }
      for (auto& [from, to] : m.items()) {
        if (!to.is_string()) {
          error = "\"index_mirror\": \"" + from + "\" is not a string";
          return std::nullopt;
        }
        out.emplace_back(from, to.get<std::string>());
      }
    }
  }
  // Trailing slashes would double up or vanish when a prefix is swapped.
  for (auto& [from, to] : out) {
    while (from.size() > 1 && from.back() == '/') from.pop_back();
    while (to.size() > 1 && to.back() == '/') to.pop_back();
  }
  return out;
}

}  // namespace gpuenv::install
