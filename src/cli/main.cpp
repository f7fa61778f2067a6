// gpuenv's entry point: builds the command line from the registry, runs the chosen command, and maps
// every error to an exit code in one place (0 ok, 1 problem found, 2 usage, 3 internal, 130 interrupted).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstring>
#include <iostream>

#include "cli/common.hpp"
#include "cli/help.hpp"
#include "i18n/catalog.hpp"
#include "render/report.hpp"

using namespace gpuenv;

namespace {

// The language must be known before the help text is built: look for --lang among the arguments.
std::string lang_from_argv(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    if (a == "--lang" && i + 1 < argc) return argv[i + 1];
    if (a.starts_with("--lang=")) return std::string(a.substr(7));
  }
  return {};
}

void add_common_options(CLI::App& app, cli::CommonOptions& o) {
  using i18n::tr;
  app.add_option("--root", o.root, tr("cli.opt.root"))->type_name("DIR");
  app.add_option("--facts", o.facts_file, tr("cli.opt.facts"))->type_name("FILE");
  app.add_flag("--json", o.json, tr("cli.opt.json"));
  app.add_option("--format", o.format, tr("cli.opt.format"))->type_name("FMT");
  app.add_option("--lang", o.lang, tr("cli.opt.lang"))->type_name("LANG");
  app.add_flag("--no-color", o.no_color, tr("cli.opt.no_color"));
  app.add_flag("--redact", o.redact, tr("cli.opt.redact"));
  app.add_option("--kb", o.kb_file, tr("cli.opt.kb"))->type_name("FILE");
  app.add_flag("--no-cache", o.no_cache, tr("cli.opt.no_cache"));
  app.add_option("--env", o.envs, tr("cli.opt.env"))->type_name("DIR")->allow_extra_args(false);
  app.add_option("--python", o.pythons, tr("cli.opt.python"))->type_name("PATH")->allow_extra_args(false);
  app.add_flag("-v,--verbose", o.verbose, tr("cli.opt.verbose"));
}

}  // namespace

int main(int argc, char** argv) {
  std::string flag = lang_from_argv(argc, argv);
  i18n::set_language(
      i18n::choose_language(flag, std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"), std::getenv("LANG")));

  CLI::App app{i18n::tr("cli.description"), "gpuenv"};
  cli::localize_help(app);
  app.set_version_flag("--version", std::string("gpuenv ") + render::tool_version(),
                       i18n::tr("cli.opt.version"));
  app.require_subcommand(0, 1);
  app.fallthrough();
  cli::CommonOptions opts;
  add_common_options(app, opts);

  auto registry = cli::command_registry();
  std::sort(registry.begin(), registry.end(), [](auto& a, auto& b) { return a.order < b.order; });
  std::vector<std::pair<CLI::App*, cli::Command::Action>> actions;
  cli::Command::Action default_action;
  for (auto& c : registry) {
    CLI::App* sub = app.add_subcommand(c.name, i18n::tr(c.description_id));
    sub->group(cli::subcommand_group());
    if (auto* h = sub->get_help_ptr()) h->group(i18n::tr("cli.help.options"));  // made before the defaults
    auto action = c.setup(*sub, opts);
    actions.emplace_back(sub, action);
    if (c.name == "doctor") default_action = action;
  }

  app.footer(i18n::tr("cli.help.footer"));  // after the subcommands: theirs would not fit

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    cli::eprint(i18n::tr("cli.error.prefix") + cli::parse_error_message(e) + "\n" +
                i18n::tr("cli.error.usage_hint") + "\n");
    return 2;
  }

  try {
    if (!opts.lang.empty()) i18n::set_language(i18n::parse_lang(opts.lang));
    (void)opts.output_format();  // validates --format early: a usage error, not a late failure
    for (auto& [sub, action] : actions)
      if (sub->parsed()) return action();
    if (default_action) return default_action();
    std::cout << app.help();
    return 0;
  } catch (const cli::UsageError& e) {
    cli::eprint(i18n::tr("cli.error.prefix") + e.what() + "\n");
    return 2;
  } catch (const std::exception& e) {
    cli::eprint(i18n::tr("cli.error.prefix") + i18n::tr("cli.error.internal", {{"what", e.what()}}) + "\n");
    return 3;
  }
}
