// `gpuenv capture DIR`: the files the probes read, redacted, as a tree usable with --root.
#include "install/capture.hpp"

#include <iostream>
#include <set>

#include "cli/common.hpp"
#include "i18n/catalog.hpp"
#include "platform/atomic_write.hpp"
#include "platform/cache_store.hpp"
#include "platform/writer.hpp"
#include "probes/binary_arch.hpp"
#include "probes/fatbin_stub.hpp"

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
  // Libraries whose GPU code the probes read (torch, cupy, jax plugins) are never copied whole: a small
  // stand-in with the same targets takes the empty placeholder's place, so the capture diagnoses alike.
  std::set<std::string> done;
  for (auto& a : accesses) {
    if (a.kind != platform::Access::Kind::stat || a.path.find(".so") == std::string::npos) continue;
    auto real = s.fs().real_path(a.path);
    if (!real || !done.insert(*real).second) continue;
    if (s.fs().stat(*real).kind != platform::FileKind::regular) continue;
    auto host = s.fs().host_path(*real);
    if (!host) continue;
    auto archs = probes::read_binary_archs(*host, platform::CacheStore(""));
    auto list = archs.arch_list();
    if (archs.error || list.empty()) continue;
    if (auto e = platform::write_file_atomic(co.dir + redactor.apply(*real), probes::fatbin_stub_elf(list),
                                             {0644, true, false}))
      res.errors.push_back(*e);
  }
  for (auto& e : res.errors) eprint(tr("capture.warning", {{"reason", e}}) + "\n");
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
