// `gpuenv capture DIR`: the files the probes read, redacted, as a tree usable with --root.
#include "install/capture.hpp"

#include <iostream>

#include "cli/common.hpp"
#include "i18n/catalog.hpp"
#include "platform/writer.hpp"

namespace gpuenv::cli {
namespace {

struct CaptureOptions {
  std::string dir;
};

int run_capture(CommonOptions& opts, const CaptureOptions& co) {
  using i18n::tr;
  if (!platform::absent_or_empty_dir(co.dir))
    throw UsageError(tr("capture.error.not_empty", {{"dir", co.dir}}));
  Session s(opts);
  (void)s.machine();  // reads the machine: every access is recorded
  auto accesses = s.fs().accesses();
  auto redactor = s.redactor();  // capture always redacts
  if (auto e = platform::make_dirs(co.dir); !e.empty())
    throw UsageError(tr("capture.error.create", {{"reason", e}}));
  auto res = install::capture_tree(s.fs(), accesses, co.dir, redactor);
  for (auto& e : res.errors) std::cerr << tr("capture.warning", {{"reason", e}}) << "\n";
  print(tr("capture.done",
           {{"files", std::to_string(res.files)}, {"links", std::to_string(res.links)}, {"dir", co.dir}}) +
        "\n");
  return 0;
}

CaptureOptions g_capture;

const Command capture_cmd(
    "capture", 90, "cli.cmd.capture", [](CLI::App& sub, CommonOptions& opts) -> Command::Action {
      sub.add_option("DIR", g_capture.dir, i18n::tr("capture.opt.dir"))->required()->type_name("DIR");
      return [&opts] { return run_capture(opts, g_capture); };
    });

}  // namespace
}  // namespace gpuenv::cli
