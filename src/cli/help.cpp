#include "cli/help.hpp"

#include "i18n/catalog.hpp"

namespace gpuenv::cli {

using i18n::tr;

void localize_help(CLI::App& app) {
  auto f = app.get_formatter();
  f->label("Usage", tr("cli.help.usage"));
  f->label("OPTIONS", tr("cli.help.options_badge"));
  f->label("SUBCOMMAND", tr("cli.help.command_badge"));
  f->label("SUBCOMMANDS", tr("cli.help.command_badge"));
  f->label("Positionals", tr("cli.help.positionals"));
  f->label("REQUIRED", tr("cli.help.required"));
  f->label("Needs", tr("cli.help.needs"));
  f->label("Excludes", tr("cli.help.excludes"));
  f->label("Env", tr("cli.help.env"));
  app.option_defaults()->group(tr("cli.help.options"));
  app.set_help_flag("-h,--help", tr("cli.opt.help"));
}

std::string subcommand_group() {
  return tr("cli.help.commands");
}

namespace {

// CLI11 2.1 words its errors in English; the argument they name is kept, the sentence is ours.
// "The following arguments were not expected: --bogus x" → "--bogus x"
std::string after(const std::string& what, std::string_view marker) {
  auto pos = what.find(marker);
  return pos == std::string::npos ? std::string() : what.substr(pos + marker.size());
}

// "--root: 1 required DIR missing" → "--root"
std::string option_name(const std::string& what) {
  auto colon = what.find(':');
  return colon == std::string::npos ? std::string() : what.substr(0, colon);
}

}  // namespace

std::string parse_error_message(const CLI::ParseError& e) {
  const std::string what = e.what();
  // The kind of error by its exit code: CLI11 sets the name of some errors to the app's name.
  const int code = e.get_exit_code();
  auto is = [code](CLI::ExitCodes c) { return code == static_cast<int>(c); };
  if (is(CLI::ExitCodes::ExtrasError)) {
    if (auto args = after(what, "not expected: "); !args.empty())
      return tr("cli.error.unexpected", {{"args", args}});
  }
  if (is(CLI::ExitCodes::RequiredError)) {
    if (what.find("subcommand") != std::string::npos) return tr("cli.error.need_command");
    if (auto pos = what.find(" is required"); pos != std::string::npos)
      return tr("cli.error.required", {{"option", what.substr(0, pos)}});
  }
  if (is(CLI::ExitCodes::ArgumentMismatch)) {
    if (auto opt = option_name(what); !opt.empty()) return tr("cli.error.needs_value", {{"option", opt}});
  }
  if (is(CLI::ExitCodes::ConversionError)) {
    // "Could not convert: --timeout = abc" / "The value abc is not an allowed value for --timeout"
    if (auto rest = after(what, "Could not convert: "); !rest.empty()) {
      auto eq = rest.find(" = ");
      if (eq != std::string::npos)
        return tr("cli.error.bad_value", {{"option", rest.substr(0, eq)}, {"value", rest.substr(eq + 3)}});
    }
    constexpr std::string_view lead = "The value ";
    if (auto opt = after(what, " is not an allowed value for "); !opt.empty() && what.starts_with(lead)) {
      auto value = what.substr(lead.size(), what.find(" is not an allowed") - lead.size());
      return tr("cli.error.bad_value", {{"option", opt}, {"value", value}});
    }
  }
  if (is(CLI::ExitCodes::ValidationError) || is(CLI::ExitCodes::ConversionError)) {
    // "target: yaml not in {nfd,slurm,ansible}": the parser's detail is kept verbatim
    if (auto opt = option_name(what); !opt.empty() && opt.find(' ') == std::string::npos) {
      std::string detail = what.substr(opt.size() + 1);  // after the colon
      if (detail.starts_with(' ')) detail.erase(0, 1);
      // "Value abc not in range 0.000000 to 1797…": the range is noise, the value is what matters.
      constexpr std::string_view value_lead = "Value ";
      if (auto end = detail.find(" not in range"); detail.starts_with(value_lead) && end != std::string::npos)
        return tr("cli.error.bad_value",
                  {{"option", opt}, {"value", detail.substr(value_lead.size(), end - value_lead.size())}});
      return tr("cli.error.invalid_value", {{"option", opt}, {"detail", detail}});
    }
  }
  return tr("cli.error.parse", {{"detail", what}});
}

}  // namespace gpuenv::cli
