// `gpuenv matrix [torch|cuda|drivers|gpus]`: print the knowledge base (design.md §3); its full JSON
// is what `--kb FILE` reads back.
#include "render/matrix.hpp"

#include "cli/common.hpp"
#include "i18n/catalog.hpp"

namespace gpuenv::cli {
namespace {

int run_matrix(CommonOptions& opts, const std::string& section) {
  if (!render::matrix_section_known(section))
    throw UsageError(i18n::tr("matrix.error.section", {{"section", section}}));
  Session s(opts);
  if (opts.output_format() == Format::json)
    print(json_text(render::matrix_json(s.kb(), section)));
  else
    print(render::matrix_text(s.kb(), section));
  return 0;
}

const Command matrix_cmd(
    "matrix", 60, "cli.cmd.matrix", [](CLI::App& sub, CommonOptions& opts) -> Command::Action {
      auto section = std::make_shared<std::string>();
      sub.add_option("table", *section, i18n::tr("matrix.opt.table"))->type_name("torch|cuda|drivers|gpus");
      return [&opts, section] { return run_matrix(opts, *section); };
    });

}  // namespace
}  // namespace gpuenv::cli
