#include "cli/common.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "facts/json.hpp"
#include "i18n/catalog.hpp"
#include "platform/nvml.hpp"
#include "probes/machine.hpp"
#include "render/terminal.hpp"

namespace gpuenv::cli {

using i18n::tr;

std::vector<RegisteredCommand>& command_registry() {
  static std::vector<RegisteredCommand> r;
  return r;
}

Command::Command(const char* name, int order, const char* description_id, Setup setup) {
  command_registry().push_back({name, order, description_id, std::move(setup)});
}

Format CommonOptions::output_format() const {
  if (format.empty()) return json ? Format::json : Format::text;
  if (format == "text") return Format::text;
  if (format == "json") return Format::json;
  if (format == "markdown" || format == "md") return Format::markdown;
  throw UsageError(tr("cli.error.format", {{"format", format}}));
}

bool CommonOptions::color() const {
  if (no_color) return false;
  const char* nc = std::getenv("NO_COLOR");
  if (nc && *nc) return false;
  return ::isatty(1) == 1;
}

std::size_t CommonOptions::width() const {
  const char* c = std::getenv("COLUMNS");
  if (!c || !*c) return 100;
  std::size_t n = 0;
  for (const char* p = c; *p; ++p) {
    if (*p < '0' || *p > '9' || n > 100000) return 100;
    n = n * 10 + static_cast<std::size_t>(*p - '0');
  }
  return n >= 40 && n <= 1000 ? n : 100;
}

std::string json_text(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string today() {
  if (const char* t = std::getenv("GPUENV_TODAY"); t && *t) return t;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

void print(const std::string& s) {
  auto safe = render::terminal_safe(s);
  std::fwrite(safe.data(), 1, safe.size(), stdout);
  std::fflush(stdout);
}

void eprint(std::string_view control, const std::string& s) {
  auto safe = render::terminal_safe(s);
  if (!control.empty()) std::fwrite(control.data(), 1, control.size(), stderr);  // data() may be null
  std::fwrite(safe.data(), 1, safe.size(), stderr);
  std::fflush(stderr);
}

void eprint(const std::string& s) {
  eprint({}, s);
}

Session::Session(const CommonOptions& opts) : opts_(opts) {}

const platform::FileSystem& Session::fs() {
  if (!fs_) {
    struct stat st {};
    if (::stat(opts_.root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      throw UsageError(tr("cli.error.root", {{"path", opts_.root}}));
    fs_ = std::make_unique<platform::RootedFileSystem>(opts_.root);
  }
  return *fs_;
}

const kb::KnowledgeBase& Session::kb() {
  if (opts_.kb_file.empty()) return kb::KnowledgeBase::builtin();
  if (!kb_owned_) {
    std::ifstream in(opts_.kb_file, std::ios::binary);
    if (!in)
      throw UsageError(
          tr("cli.error.kb_file", {{"path", opts_.kb_file}, {"reason", tr("cli.error.cannot_open")}}));
    std::stringstream ss;
    ss << in.rdbuf();
    try {
      kb_owned_ = kb::KnowledgeBase::from_json(nlohmann::json::parse(ss.str()));
    } catch (const std::exception& e) {
      throw UsageError(tr("cli.error.kb_file", {{"path", opts_.kb_file}, {"reason", e.what()}}));
    }
  }
  return *kb_owned_;
}

const facts::Machine& Session::machine() {
  if (machine_) return *machine_;
  if (!opts_.facts_file.empty()) {
    std::ifstream in(opts_.facts_file, std::ios::binary);
    if (!in)
      throw UsageError(
          tr("cli.error.facts_file", {{"path", opts_.facts_file}, {"reason", tr("cli.error.cannot_open")}}));
    std::stringstream ss;
    ss << in.rdbuf();
    try {
      machine_ = facts::machine_from_json(nlohmann::json::parse(ss.str()));
    } catch (const std::exception& e) {
      throw UsageError(tr("cli.error.facts_file", {{"path", opts_.facts_file}, {"reason", e.what()}}));
    }
    return *machine_;
  }
  const auto& filesystem = fs();
  probes::ProbeContext ctx{filesystem, env_, kb(), std::nullopt, opts_.envs, opts_.pythons, {}, {}};
  if (filesystem.is_live()) {
    // NVML only on the live machine: nothing is ever loaded from a --root tree (design.md §4).
    ctx.nvml = platform::read_nvml();
  }
  ctx.cache_dir = cache_dir();
  machine_ = probes::probe_machine(ctx);
  return *machine_;
}

facts::Redactor Session::redactor() {
  std::vector<std::string> users;
  for (const char* var : {"USER", "LOGNAME", "SUDO_USER"})
    if (auto v = env_.get(var); v && !v->empty()) users.push_back(*v);
  if (auto home = env_.get("HOME"); home && home->size() > 1) {
    auto name = home->substr(home->find_last_of('/') + 1);
    if (!name.empty()) users.push_back(name);
  }
  // Homes the probes searched, also of users without an environment (the -v access list names them).
  if (fs_)
    for (auto& a : fs_->accesses()) {
      if (!a.path.starts_with("/home/")) continue;
      auto slash = a.path.find('/', 6);
      auto name = a.path.substr(6, slash == std::string::npos ? std::string::npos : slash - 6);
      if (!name.empty()) users.push_back(name);
    }
  return facts::redactor_for(machine(), users);
}

void Session::emit(const std::string& text) {
  print(opts_.redact ? redactor().apply(text) : text);
}

std::string Session::cache_dir() {
  if (opts_.no_cache || !fs().is_live()) return {};
  auto xdg = env_.get("XDG_CACHE_HOME");
  auto home = env_.get("HOME");
  if (xdg && !xdg->empty()) return *xdg + "/gpuenv";
  if (home && !home->empty()) return *home + "/.cache/gpuenv";
  return {};
}

void Session::report_reads() {
  if (!opts_.verbose || !fs_) return;
  auto acc = fs_->accesses();
  std::string text = tr("cli.verbose.read", {{"n", std::to_string(acc.size())}}) + "\n";
  for (auto& a : acc) {
    const char* k = a.kind == platform::Access::Kind::read   ? "cli.verbose.kind.read"
                    : a.kind == platform::Access::Kind::list ? "cli.verbose.kind.list"
                    : a.kind == platform::Access::Kind::link ? "cli.verbose.kind.link"
                                                             : "cli.verbose.kind.stat";
    text += "  " + tr(k) + " " + a.path + "\n";
  }
  // The access list names home directories too: --redact covers it like every other output.
  eprint(opts_.redact ? redactor().apply(text) : text);
}

}  // namespace gpuenv::cli
