#pragma once
// What every reading command shares: the options of design.md §3 and the session that turns them
// into a file system, a knowledge base and a machine snapshot.
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facts/facts.hpp"
#include "facts/redact.hpp"
#include "kb/kb.hpp"
#include "platform/env.hpp"
#include "platform/fs.hpp"

namespace gpuenv::cli {

enum class Format { text, json, markdown };

struct CommonOptions {
  std::string root = "/";
  std::string facts_file;
  bool json = false;
  std::string format;  ///< text | json | markdown (empty: text, or json with --json)
  std::string lang;
  bool no_color = false;
  bool redact = false;
  std::string kb_file;
  bool no_cache = false;
  std::vector<std::string> envs;
  std::vector<std::string> pythons;
  bool verbose = false;

  Format output_format() const;
  bool color() const;  ///< a tty, no --no-color, no NO_COLOR
  /// Terminal columns text output wraps at: COLUMNS when it is a number from 40 to 1000, else 100.
  std::size_t width() const;
};

/// A usage error (exit 2) with a message already localised.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The objects a command works with, built lazily from the options.
class Session {
 public:
  explicit Session(const CommonOptions& opts);
  const CommonOptions& opts() const { return opts_; }
  const platform::FileSystem& fs();
  const platform::Environment& env() const { return env_; }
  const kb::KnowledgeBase& kb();
  /// The snapshot: from --facts, or read from the machine (root) now. Cached.
  const facts::Machine& machine();
  /// Prints the paths read to stderr (-v).
  void report_reads();
  /// Writes a command's output to stdout, redacted when --redact was given (user names, home paths,
  /// host name, GPU UUIDs and serials; design.md §5, issue 11).
  void emit(const std::string& text);
  /// The redactor for this machine (users from its paths and the environment, host, serials).
  facts::Redactor redactor();
  /// gpuenv's cache directory (`$XDG_CACHE_HOME/gpuenv`, else `~/.cache/gpuenv`), or empty when
  /// caching is off: --no-cache, a --root other than "/", or neither variable set.
  std::string cache_dir();

 private:
  CommonOptions opts_;
  platform::ProcessEnvironment env_;
  std::unique_ptr<platform::RootedFileSystem> fs_;
  std::optional<kb::KnowledgeBase> kb_owned_;
  std::optional<facts::Machine> machine_;
};

/// The subcommand registry: each cli/*.cpp registers itself with a static Command object, so adding
/// a command is one new file. `main` creates the subcommand `name` (help text: the catalog entry
/// `description_id`, ordered by `order`); `setup` adds its own options to it and returns the action
/// to run when it was chosen.
struct Command {
  using Action = std::function<int()>;
  using Setup = std::function<Action(CLI::App& sub, CommonOptions& opts)>;
  Command(const char* name, int order, const char* description_id, Setup setup);
};
struct RegisteredCommand {
  std::string name;
  int order;
  std::string description_id;
  Command::Setup setup;
};
std::vector<RegisteredCommand>& command_registry();

/// A JSON document as printed: two-space indent, a final newline; invalid UTF-8 read from the
/// machine is replaced (U+FFFD), never a crash.
std::string json_text(const nlohmann::ordered_json& j);

/// Today's date "YYYY-MM-DD" (UTC), or GPUENV_TODAY when set (tests pin the date for kb-outdated).
std::string today();

/// Writes text to stdout, flushing, through render::terminal_safe: escape sequences and other controls
/// read from the machine (a venv's name, os-release, metadata) reach the terminal as visible `\uXXXX`,
/// invalid UTF-8 as U+FFFD; gpuenv's own colour codes and JSON pass unchanged.
void print(const std::string& s);
/// The same for stderr. `control` is a cursor code of gpuenv's own ("\r\x1b[K" before a progress
/// line), written as is before the safe text.
void eprint(const std::string& s);
void eprint(std::string_view control, const std::string& s);

}  // namespace gpuenv::cli
