#include "probes/python_parse.hpp"

#include <algorithm>
#include <cctype>

#include "facts/pep440.hpp"

namespace gpuenv::probes::py {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Calls f(line) for each line (without its '\n' or '\r').
template <class F>
void for_each_line(std::string_view text, F f) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!f(line)) return;
    if (nl == std::string_view::npos) return;
    start = nl + 1;
  }
}

// A Python string literal at the start of `s` ('x' or "x", no escapes needed for what we read).
std::optional<std::string> py_string(std::string_view s) {
  if (s.size() < 2 || (s[0] != '\'' && s[0] != '"')) return std::nullopt;
  char q = s[0];
  auto end = s.find(q, 1);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(s.substr(1, end - 1));
}

// A path line with a NUL or another control character is junk, never a path to look at.
bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; });
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

Opt python_version_prefix(std::string_view text) {
  text = trim(text);
  std::string out;
  int parts = 0;
  std::size_t i = 0;
  while (i < text.size() && parts < 3) {
    if (!is_digit(text[i])) break;
    std::size_t j = i;
    while (j < text.size() && is_digit(text[j])) ++j;
    if (parts) out += '.';
    out += text.substr(i, j - i);
    ++parts;
    if (j < text.size() && text[j] == '.' && j + 1 < text.size() && is_digit(text[j + 1]))
      i = j + 1;
    else
      break;
  }
  if (parts == 0) return std::nullopt;
  return out;
}

std::optional<PyvenvCfg> parse_pyvenv_cfg(std::string_view text) {
  PyvenvCfg cfg;
  bool any = false;
  for_each_line(text, [&](std::string_view line) {
    auto eq = line.find('=');
    if (eq == std::string_view::npos) return true;
    std::string key = lower(trim(line.substr(0, eq)));
    std::string_view value = trim(line.substr(eq + 1));
    if (key.empty() || key.find_first_of(" \t") != std::string::npos) return true;
    any = true;
    std::string v(value);
    if (key == "home")
      cfg.home = v;
    else if (key == "version" || key == "version_info") {
      if (!cfg.version || key == "version") cfg.version = python_version_prefix(value);
    } else if (key == "include-system-site-packages")
      cfg.include_system_site = lower(value) == "true";
    else if (key == "executable" || key == "base-executable") {
      if (!cfg.executable || key == "executable") cfg.executable = v;
    } else if (key == "base-prefix")
      cfg.base_prefix = v;
    else if (key == "prompt")
      cfg.prompt = v;
    else if (key == "uv")
      cfg.uv = v;
    else if (key == "virtualenv")
      cfg.virtualenv = v;
    return true;
  });
  if (!any) return std::nullopt;
  return cfg;
}

std::optional<CoreMetadata> parse_core_metadata(std::string_view text) {
  CoreMetadata md;
  std::string* last = nullptr;  // the header a continuation line extends
  for_each_line(text, [&](std::string_view line) {
    if (line.empty()) return false;  // the body (long description) starts here
    if (is_space(line.front())) {
      if (last) *last += " " + std::string(trim(line));
      return true;
    }
    last = nullptr;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return true;
    std::string key = lower(line.substr(0, colon));
    std::string value(trim(line.substr(colon + 1)));
    if (key == "name" && !md.name) {
      md.name = value;
      last = &*md.name;
    } else if (key == "version" && !md.version) {
      md.version = value;
      last = &*md.version;
    } else if (key == "requires-dist") {
      md.requires_dist.push_back(value);
      last = &md.requires_dist.back();
    }
    return true;
  });
  if (!md.name && !md.version) return std::nullopt;
  return md;
}

std::string Requirement::str() const {
  return name + (extras.empty() ? "" : "[" + extras + "]") + specifier;
}

std::optional<Requirement> parse_requirement(std::string_view line) {
  line = trim(line);
  Requirement r;
  auto semi = line.find(';');
  if (semi != std::string_view::npos) {
    r.marker = std::string(trim(line.substr(semi + 1)));
    line = trim(line.substr(0, semi));
  }
  std::size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '-' ||
                             line[i] == '_' || line[i] == '.'))
    ++i;
  if (i == 0) return std::nullopt;
  r.name = facts::normalize_package_name(line.substr(0, i));
  std::string_view rest = trim(line.substr(i));
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    for (char c : rest.substr(1, close - 1))
      if (!is_space(c)) r.extras += c;
    rest = trim(rest.substr(close + 1));
  }
  if (rest.starts_with('(')) {
    if (!rest.ends_with(')')) return std::nullopt;
    rest = trim(rest.substr(1, rest.size() - 2));
  }
  if (rest.starts_with('@')) return r;  // a direct URL reference: no version specifier
  for (char c : rest)
    if (!is_space(c)) r.specifier += c;
  if (!r.specifier.empty() && !facts::Pep440SpecifierSet::parse(r.specifier)) return std::nullopt;
  return r;
}

bool applies_on_linux(const Requirement& r) {
  if (r.marker.empty()) return true;
  std::string m = lower(r.marker);
  std::replace(m.begin(), m.end(), '\'', '"');
  std::erase_if(m, [](char c) { return c == ' ' || c == '\t'; });
  if (m.find("extra==") != std::string::npos) return false;
  for (const char* other : {"platform_system==\"windows\"", "platform_system==\"darwin\"",
                            "sys_platform==\"win32\"", "sys_platform==\"darwin\"", "os_name==\"nt\""})
    if (m.find(other) != std::string::npos) return false;
  return true;
}

std::vector<PyAssignment> parse_py_assignments(std::string_view text) {
  std::vector<PyAssignment> out;
  for_each_line(text, [&](std::string_view line) {
    if (line.empty() || is_space(line.front()) || line.front() == '#') return true;
    auto eq = line.find('=');
    if (eq == std::string_view::npos || (eq + 1 < line.size() && line[eq + 1] == '=')) return true;
    std::string_view lhs = trim(line.substr(0, eq));
    if (auto colon = lhs.find(':'); colon != std::string_view::npos) lhs = trim(lhs.substr(0, colon));
    if (lhs.empty() || !std::all_of(lhs.begin(), lhs.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        }))
      return true;
    std::string_view rhs = trim(line.substr(eq + 1));
    if (rhs == "None") {
      out.push_back({std::string(lhs), std::nullopt});
    } else if (auto s = py_string(rhs)) {
      out.push_back({std::string(lhs), std::move(*s)});
    }
    return true;
  });
  return out;
}

std::optional<TorchVersionPy> parse_torch_version_py(std::string_view text) {
  TorchVersionPy t;
  bool any = false;
  for (auto& a : parse_py_assignments(text)) {
    if (a.name == "__version__") {
      t.version = a.value;
      any = true;
    } else if (a.name == "cuda") {
      t.cuda = a.value;
      t.cuda_known = true;
      any = true;
    } else if (a.name == "hip") {
      t.hip = a.value;
    } else if (a.name == "xpu") {
      t.xpu = a.value;
    } else if (a.name == "git_version") {
      t.git_version = a.value;
    }
  }
  if (!any) return std::nullopt;
  return t;
}

std::vector<std::string> parse_pth(std::string_view text) {
  std::vector<std::string> out;
  for_each_line(text, [&](std::string_view line) {
    std::string_view t = trim(line);
    if (t.empty() || t.front() == '#') return true;
    if (t.starts_with("import ") || t.starts_with("import\t") || has_control(t)) return true;
    out.emplace_back(t);
    return true;
  });
  return out;
}

Opt parse_patchlevel_h(std::string_view text) {
  Opt out;
  for_each_line(text, [&](std::string_view line) {
    line = trim(line);
    if (!line.starts_with("#")) return true;
    line = trim(line.substr(1));
    if (!line.starts_with("define")) return true;
    line = trim(line.substr(6));
    if (!line.starts_with("PY_VERSION") || line.size() < 11 || !is_space(line[10])) return true;
    auto s = py_string(trim(line.substr(10)));
    if (!s) return true;
    std::string v = *s;
    while (!v.empty() && v.back() == '+') v.pop_back();
    if (python_version_prefix(v)) out = v;
    return false;
  });
  return out;
}

std::vector<std::string> parse_pyenv_version_file(std::string_view text) {
  std::vector<std::string> out;
  for_each_line(text, [&](std::string_view line) {
    line = trim(line);
    if (line.empty() || line.front() == '#') return true;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && is_space(line[i])) ++i;
      std::size_t j = i;
      while (j < line.size() && !is_space(line[j])) ++j;
      auto word = line.substr(i, j - i);
      // pyenv ignores words that could leave its versions directory.
      if (!word.empty() && word.find("..") == std::string_view::npos &&
          word.find('/') == std::string_view::npos)
        out.emplace_back(word);
      i = j;
    }
    return true;
  });
  return out;
}

Opt parse_dpkg_status_version(std::string_view status, std::string_view package) {
  // Stanzas are separated by empty lines; within the package's stanza, Status and Version (any order).
  bool in_pkg = false, installed = false, has_version = false, found = false;
  std::string version;
  for_each_line(status, [&](std::string_view line) {
    if (line.empty() || line.starts_with("Package:")) {
      if (in_pkg && installed && has_version) {
        found = true;
        return false;
      }
      in_pkg = line.starts_with("Package:") && trim(line.substr(8)) == package;
      installed = has_version = false;
    } else if (in_pkg && line.starts_with("Status:")) {
      installed = trim(line.substr(7)).ends_with(" installed");
    } else if (in_pkg && line.starts_with("Version:")) {
      version.assign(trim(line.substr(8)));
      has_version = true;
    }
    return true;
  });
  if (found || (in_pkg && installed && has_version)) return version;
  return std::nullopt;
}

std::string debian_upstream_version(std::string_view version) {
  version = trim(version);
  if (auto colon = version.find(':'); colon != std::string_view::npos) version = version.substr(colon + 1);
  if (auto dash = version.rfind('-'); dash != std::string_view::npos) version = version.substr(0, dash);
  return std::string(version);
}

std::optional<DistDirName> parse_dist_dir_name(std::string_view entry) {
  DistDirName d;
  if (entry.ends_with(".dist-info")) {
    entry.remove_suffix(10);
  } else if (entry.ends_with(".egg-info")) {
    entry.remove_suffix(9);
    d.egg = true;
  } else {
    return std::nullopt;
  }
  auto dash = entry.find('-');
  std::string_view name = entry.substr(0, dash);
  if (name.empty()) return std::nullopt;
  d.name = facts::normalize_package_name(name);
  if (dash != std::string_view::npos) {
    std::string_view rest = entry.substr(dash + 1);
    auto dash2 = rest.find('-');  // "foo-1.0-py3.11.egg-info"
    if (dash2 != std::string_view::npos) rest = rest.substr(0, dash2);
    if (!rest.empty()) d.version = std::string(rest);
  }
  return d;
}

Opt python_dir_version(std::string_view name) {
  if (!name.starts_with("python")) return std::nullopt;
  name.remove_prefix(6);
  if (name.ends_with('t')) name.remove_suffix(1);  // free-threaded build: python3.13t
  auto dot = name.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return std::nullopt;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (i != dot && !is_digit(name[i])) return std::nullopt;
  return std::string(name);
}

bool is_python_executable_name(std::string_view name) {
  if (name == "python" || name == "python3" || name == "python2") return true;
  return python_dir_version(name).has_value() && !name.ends_with('t');
}

Opt uv_python_dir_version(std::string_view name) {
  auto dash = name.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view impl = name.substr(0, dash);
  if (impl != "cpython" && impl != "pypy" && impl != "graalpy") return std::nullopt;
  return python_version_prefix(name.substr(dash + 1));
}

}  // namespace gpuenv::probes::py
