// The fuzz entry points (see entries.hpp). Inputs are split where a parser takes two arguments: the
// first line is one argument, the rest the other.
#include "entries.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "facts/dotted.hpp"
#include "facts/json.hpp"
#include "facts/pep440.hpp"
#include "install/verify_parse.hpp"
#include "platform/binary_file.hpp"
#include "probes/binary_arch.hpp"
#include "probes/conda_parse.hpp"
#include "probes/fatbin.hpp"
#include "probes/parse.hpp"
#include "probes/python_parse.hpp"
#include "render/terminal.hpp"

namespace gpuenv::fuzz {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant failed: %s\n", what);
  std::abort();
}

namespace {

using namespace gpuenv::probes;

// Splits "first line\nrest" (no newline: the whole input is `first`, `rest` is empty).
std::pair<std::string_view, std::string_view> split_first_line(std::string_view d) {
  auto nl = d.find('\n');
  if (nl == std::string_view::npos) return {d, {}};
  return {d.substr(0, nl), d.substr(nl + 1)};
}

// Calls `f` on each line of `d`.
template <class F>
void each_line(std::string_view d, F f) {
  for (;;) {
    auto nl = d.find('\n');
    f(d.substr(0, nl));
    if (nl == std::string_view::npos) return;
    d.remove_prefix(nl + 1);
  }
}

// A version string a parser returned must be non-empty.
void check_version(const std::optional<std::string>& v, const char* what) {
  if (v) check(!v->empty(), what);
}

// Driver banners, /proc/modules, /proc/driver/nvidia/gpus/*/information, pci.ids, the glibc banner,
// the Secure Boot EFI variable.
void run_driver(std::string_view d) {
  if (auto b = parse_driver_banner(d)) check(!b->version.empty(), "driver banner: empty version");
  check_version(parse_driver_version_line(d), "driver version line: empty");
  for (auto& m : parse_proc_modules(d)) check(!m.empty(), "proc modules: empty module name");
  (void)parse_gpu_information(d);
  (void)parse_pci_ids(d, "10de", "2204");
  auto [ids, table] = split_first_line(d);
  if (ids.size() >= 9) (void)parse_pci_ids(table, ids.substr(0, 4), ids.substr(5, 4));
  check_version(parse_glibc_banner(d), "glibc banner: empty");
  (void)parse_secure_boot_efivar(d);
}

// sysfs values, os-release, ld.so.conf, versioned library names, dist-info names.
void run_sysfs(std::string_view d) {
  (void)parse_sysfs_hex(d);
  for (auto key : {"ID", "VERSION_ID", "PRETTY_NAME", ""}) (void)parse_key_value(d, key);
  (void)parse_ld_so_conf(d);
  auto [stem, name] = split_first_line(d);
  (void)library_version(name, stem);
  (void)library_version(d, "libcuda.so");
  (void)parse_dist_info_name(d);
  auto t = trim(d);
  check(t.size() <= d.size(), "trim grew");
}

// CUDA toolkit version.json, version.txt, cuda.h.
void run_cuda(std::string_view d) {
  check_version(parse_cuda_version_json(d), "version.json: empty");
  check_version(parse_cuda_version_txt(d), "version.txt: empty");
  check_version(parse_cuda_h(d), "cuda.h: empty");
}

// cudnn_version.h / cudnn.h.
void run_cudnn(std::string_view d) {
  check_version(parse_cudnn_header(d), "cudnn header: empty");
}

// Core metadata (METADATA, PKG-INFO), requirement lines, RECORD-like line lists, torch/version.py,
// .pth files, patchlevel.h, dpkg status, dist-info directory names.
void run_metadata(std::string_view d) {
  if (auto m = py::parse_core_metadata(d)) {
    for (auto& r : m->requires_dist)
      if (auto req = py::parse_requirement(r)) {
        (void)py::applies_on_linux(*req);
        (void)req->str();
      }
  }
  each_line(d, [](std::string_view line) {
    if (auto req = py::parse_requirement(line)) {
      (void)py::applies_on_linux(*req);
      (void)req->str();
    }
    (void)py::parse_dist_dir_name(line);
  });
  (void)py::parse_py_assignments(d);
  (void)py::parse_torch_version_py(d);
  (void)py::parse_pth(d);
  (void)py::parse_patchlevel_h(d);
  auto [pkg, status] = split_first_line(d);
  (void)py::parse_dpkg_status_version(status, pkg);
  (void)py::parse_dpkg_status_version(d, "python3");
  (void)py::debian_upstream_version(d);
}

// conda-meta records and their file names, channels, environments.txt.
void run_conda(std::string_view d) {
  (void)py::parse_conda_record(d);
  (void)py::parse_conda_meta_filename(d);
  (void)py::conda_channel_name(d);
  (void)py::parse_environments_txt(d);
}

// pyvenv.cfg, pyenv version files, interpreter and directory names.
void run_pyvenv(std::string_view d) {
  (void)py::parse_pyvenv_cfg(d);
  (void)py::parse_pyenv_version_file(d);
  (void)py::python_dir_version(d);
  (void)py::is_python_executable_name(d);
  (void)py::uv_python_dir_version(d);
  (void)py::python_version_prefix(d);
}

// PEP 440 versions and specifier sets, NVIDIA's dotted versions. First line: a version; the rest: a
// specifier set. The normal form of a version parses back to the same version.
void run_pep440(std::string_view d) {
  auto [vtext, stext] = split_first_line(d);
  auto v = facts::Pep440Version::parse(vtext);
  if (v) {
    auto again = facts::Pep440Version::parse(v->str());
    check(again.has_value(), "pep440: normal form does not parse");
    check(*again == *v, "pep440: normal form parses to another version");
    (void)v->public_version();
    (void)v->base_version();
    (void)v->release_prefix(3);
    (void)v->local_label();
  }
  auto set = facts::Pep440SpecifierSet::parse(stext);
  if (set) {
    (void)set->str();
    if (v) (void)set->contains(*v);
    (void)set->contains(vtext, true);
  }
  if (auto one = facts::Pep440Specifier::parse(stext)) {
    (void)one->str();
    (void)one->names_prerelease();
    if (v) (void)one->matches(*v);
  }
  (void)facts::normalize_package_name(d);
  (void)facts::compare_dotted(vtext, stext);
}

// ELF section tables and the fat binaries in them, and their summary.
void run_fatbin(std::string_view d) {
  platform::MemoryBytes bytes(d);
  auto listing = list_fatbin(bytes);
  for (auto& e : listing.entries) (void)e.target();
  auto archs = summarize(listing);
  (void)archs.arch_list();
}

// The verify probe's stdout (JSON document) and stderr (progress lines).
void run_verify(std::string_view d) {
  facts::VerifyRun run;
  (void)install::parse_probe_output(d, run);
  (void)install::last_progress_step(d);
  auto tail = install::stderr_tail(d, 20, 4000);
  check(tail.size() <= 4000 + 5, "verify: stderr tail over its bound");
}

// A `facts --json` document (what --facts reads).
void run_facts_json(std::string_view d) {
  auto j = nlohmann::json::parse(d, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return;
  try {
    auto m = facts::machine_from_json(j);
    (void)facts::to_json(m).dump();
  } catch (const std::exception&) {
    // Malformed documents are reported by the CLI as a usage error; throwing is the contract.
  }
}

// Anything printed (render::terminal_safe): the result is safe, escaping is idempotent, safe text is
// left alone, and no control byte, C1 CSI or invalid UTF-8 survives.
void run_terminal(std::string_view d) {
  auto out = render::terminal_safe(d);
  check(render::is_terminal_safe(out), "terminal: output not safe");
  check(render::terminal_safe(out) == out, "terminal: escaping not idempotent");
  check(render::is_terminal_safe(d) == (out == d),
        "terminal: changed text that was safe, or kept unsafe text");
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c == 0x1b) {
      auto rest = std::string_view(out).substr(i);
      bool own = false;
      for (std::string_view code : {"\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m"})
        own = own || rest.starts_with(code);
      check(own, "terminal: an escape sequence that is not gpuenv's own colour code");
    } else {
      check(c >= 0x20 || c == '\n' || c == '\t', "terminal: a control byte survived");
      check(c != 0x7f && c != 0xff && c != 0xfe, "terminal: DEL or a byte that is never UTF-8 survived");
      check(!(c == 0xc2 && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(out[i + 1]) <= 0x9f),
            "terminal: a C1 control survived");
    }
  }
}

constexpr std::array<Target, 12> kTargets{{
    {"driver", run_driver},
    {"sysfs", run_sysfs},
    {"cuda", run_cuda},
    {"cudnn", run_cudnn},
    {"metadata", run_metadata},
    {"conda", run_conda},
    {"pyvenv", run_pyvenv},
    {"pep440", run_pep440},
    {"fatbin", run_fatbin},
    {"verify", run_verify},
    {"facts_json", run_facts_json},
    {"terminal", run_terminal},
}};

}  // namespace

std::span<const Target> targets() {
  return kTargets;
}

const Target* find_target(std::string_view name) {
  for (auto& t : kTargets)
    if (name == t.name) return &t;
  return nullptr;
}

}  // namespace gpuenv::fuzz
