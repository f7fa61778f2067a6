#pragma once
// CLI11's own words in the chosen language (issue 9): the labels and group names of `--help`, the
// help flag, the footer, and the parse errors a user sees.
#include <CLI/CLI.hpp>
#include <string>

namespace gpuenv::cli {

/// Before options and subcommands are added: the labels, option group and help flag of the help text
/// come from the message catalog (subcommands inherit them).
void localize_help(CLI::App& app);
/// The group name subcommands are listed under.
std::string subcommand_group();
/// The message for a command-line parse error (without the "error: " prefix), in the chosen language;
/// what the parser said about the argument is kept where it names the argument.
std::string parse_error_message(const CLI::ParseError& e);

}  // namespace gpuenv::cli
