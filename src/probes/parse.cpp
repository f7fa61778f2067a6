#include "probes/parse.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace gpuenv::probes {

namespace {

bool is_version_text(std::string_view s) {
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s.front()))) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return false;
  return s.back() != '.';
}

std::string_view first_line(std::string_view s) {
  auto nl = s.find('\n');
  return nl == std::string_view::npos ? s : s.substr(0, nl);
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<DriverBanner> parse_driver_banner(std::string_view text) {
  std::string_view line = first_line(text);
  if (line.find("NVRM version:") == std::string_view::npos) return std::nullopt;
  // The version follows "Kernel Module" (proprietary: "... x86_64 Kernel Module  535.104.05  ...";
  // open: "... Open Kernel Module for x86_64  550.144.03  ..."): the first token of digits and dots after it.
  auto km = line.find("Kernel Module");
  if (km == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(km + 13);
  DriverBanner b;
  b.open = line.find("Open Kernel Module") != std::string_view::npos;
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && rest[i] == ' ') ++i;
    std::size_t j = i;
    while (j < rest.size() && rest[j] != ' ') ++j;
    std::string_view tok = rest.substr(i, j - i);
    if (tok.find('.') != std::string_view::npos && is_version_text(tok)) {
      b.version = std::string(tok);
      return b;
    }
    i = j;
  }
  return std::nullopt;
}

std::optional<std::string> parse_driver_version_line(std::string_view text) {
  auto v = trim(first_line(text));
  if (!is_version_text(v) || v.find('.') == std::string_view::npos) return std::nullopt;
  return std::string(v);
}

std::vector<std::string> parse_proc_modules(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    auto sp = line.find(' ');
    if (sp != std::string_view::npos && sp > 0) out.emplace_back(line.substr(0, sp));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

GpuInformation parse_gpu_information(std::string_view text) {
  GpuInformation info;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      auto key = trim(line.substr(0, colon));
      auto val = std::string(trim(line.substr(colon + 1)));
      if (!val.empty()) {
        if (key == "Model")
          info.model = val;
        else if (key == "GPU UUID")
          info.uuid = val;
        else if (key == "Bus Location")
          info.bus_location = val;
      }
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return info;
}

std::optional<unsigned long> parse_sysfs_hex(std::string_view text) {
  auto t = trim(text);
  if (t.starts_with("0x") || t.starts_with("0X")) t.remove_prefix(2);
  if (t.empty() || t.size() > 8) return std::nullopt;
  unsigned long v = 0;
  for (char c : t) {
    int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
            : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
            : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                        : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<unsigned long>(d);
  }
  return v;
}

std::optional<PciIdsEntry> parse_pci_ids(std::string_view text, std::string_view vendor,
                                         std::string_view device) {
  // Vendor lines start in column 0 ("10de  NVIDIA Corporation"); device lines with one tab;
  // subsystem lines with two tabs. Ids are lower-case hex in the file.
  bool in_vendor = false;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line[0] != '#') {
      if (line[0] != '\t') {
        if (in_vendor) return std::nullopt;  // the next vendor: not found
        in_vendor = line.size() > 4 && line.substr(0, 4) == vendor && line[4] == ' ';
      } else if (in_vendor && line.size() > 6 && line[1] != '\t' && line.substr(1, 4) == device &&
                 line[5] == ' ') {
        PciIdsEntry e;
        e.text = std::string(trim(line.substr(6)));
        auto lb = e.text.find('[');
        auto rb = e.text.rfind(']');
        if (lb != std::string::npos && rb != std::string::npos && rb > lb) {
          e.product = e.text.substr(lb + 1, rb - lb - 1);
          auto chip = std::string(trim(std::string_view(e.text).substr(0, lb)));
          if (!chip.empty()) e.chip = chip;
        } else {
          auto sp = e.text.find(' ');
          e.chip = e.text.substr(0, sp);
        }
        return e;
      }
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return std::nullopt;
}

std::optional<std::string> parse_cuda_version_json(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto component = [&](const char* name) -> std::optional<std::string> {
    auto it = j.find(name);
    if (it == j.end() || !it->is_object()) return std::nullopt;
    auto v = it->find("version");
    if (v == it->end() || !v->is_string()) return std::nullopt;
    std::string s = v->get<std::string>();
    if (!is_version_text(s)) return std::nullopt;
    return s;
  };
  auto sdk = component("cuda");
  if (sdk) {
    // "12.1.20230222": a date where the patch should be → use a component's version instead.
    auto last_dot = sdk->rfind('.');
    bool dated = std::count(sdk->begin(), sdk->end(), '.') == 2 && sdk->size() - last_dot - 1 >= 8;
    if (!dated) return sdk;
  }
  if (auto v = component("cuda_nvcc")) return v;
  if (auto v = component("cuda_cudart")) return v;
  if (sdk) return sdk->substr(0, sdk->rfind('.'));
  return std::nullopt;
}

std::optional<std::string> parse_cuda_version_txt(std::string_view text) {
  auto line = trim(first_line(text));
  constexpr std::string_view prefix = "CUDA Version ";
  if (!line.starts_with(prefix)) return std::nullopt;
  auto v = trim(line.substr(prefix.size()));
  if (!is_version_text(v)) return std::nullopt;
  return std::string(v);
}

namespace {
std::optional<long> define_value(std::string_view text, std::string_view name) {
  std::size_t pos = 0;
  while ((pos = text.find("#define", pos)) != std::string_view::npos) {
    pos += 7;
    std::size_t i = pos;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (text.substr(i, name.size()) != name) continue;
    i += name.size();
    if (i >= text.size() || (text[i] != ' ' && text[i] != '\t')) continue;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j == i || j - i > 9) return std::nullopt;
    return std::strtol(std::string(text.substr(i, j - i)).c_str(), nullptr, 10);
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string> parse_cuda_h(std::string_view text) {
  auto v = define_value(text, "CUDA_VERSION");
  if (!v || *v < 1000) return std::nullopt;
  return std::to_string(*v / 1000) + "." + std::to_string((*v % 1000) / 10);
}

std::optional<std::string> parse_cudnn_header(std::string_view text) {
  auto ma = define_value(text, "CUDNN_MAJOR");
  auto mi = define_value(text, "CUDNN_MINOR");
  auto pl = define_value(text, "CUDNN_PATCHLEVEL");
  if (!ma || !mi || !pl) return std::nullopt;
  return std::to_string(*ma) + "." + std::to_string(*mi) + "." + std::to_string(*pl);
}

std::optional<std::string> library_version(std::string_view file_name, std::string_view stem) {
  if (!file_name.starts_with(stem) || file_name.size() <= stem.size() + 1 || file_name[stem.size()] != '.')
    return std::nullopt;
  auto v = file_name.substr(stem.size() + 1);
  if (!is_version_text(v)) return std::nullopt;
  return std::string(v);
}

std::optional<std::string> parse_key_value(std::string_view text, std::string_view key) {
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == '=') {
      auto v = trim(line.substr(key.size() + 1));
      if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
        v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return std::nullopt;
}

LdSoConf parse_ld_so_conf(std::string_view text) {
  LdSoConf out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.starts_with("include") && line.size() > 7 && std::isspace(static_cast<unsigned char>(line[7]))) {
      out.includes.emplace_back(trim(line.substr(8)));
    } else if (line.starts_with("/")) {
      out.dirs.emplace_back(line);
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> parse_dist_info_name(std::string_view dir_name) {
  constexpr std::string_view suffix = ".dist-info";
  if (!dir_name.ends_with(suffix)) return std::nullopt;
  auto base = dir_name.substr(0, dir_name.size() - suffix.size());
  auto dash = base.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= base.size()) return std::nullopt;
  return std::pair{std::string(base.substr(0, dash)), std::string(base.substr(dash + 1))};
}

std::optional<std::string> parse_glibc_banner(std::string_view bytes) {
  constexpr std::string_view marker = "release version ";
  auto pos = bytes.find(marker);
  if (pos == std::string_view::npos) return std::nullopt;
  pos += marker.size();
  std::size_t j = pos;
  while (j < bytes.size() && (std::isdigit(static_cast<unsigned char>(bytes[j])) || bytes[j] == '.')) ++j;
  auto v = bytes.substr(pos, j - pos);
  while (!v.empty() && v.back() == '.') v.remove_suffix(1);
  if (!is_version_text(v)) return std::nullopt;
  return std::string(v);
}

std::optional<bool> parse_secure_boot_efivar(std::string_view bytes) {
  if (bytes.size() < 5) return std::nullopt;
  return bytes[4] == 1;
}

}  // namespace gpuenv::probes
