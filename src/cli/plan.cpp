// `gpuenv plan`: choose torch + CUDA variant (+ driver advice) for this machine or a described one
// (design.md §3 what-if options), and print pip, uv and conda commands.
#include "plan/plan.hpp"

#include "cli/common.hpp"
#include "facts/dotted.hpp"
#include "i18n/catalog.hpp"
#include "plan/output.hpp"
#include "render/report.hpp"
#include "rules/finding.hpp"

namespace gpuenv::cli {
namespace {

using i18n::tr;

struct PlanOptions {
  std::vector<std::string> gpus;
  std::string cc, driver, python_version, os, arch, torch, cuda, installer;
};

void need_version(const std::string& option, const std::string& value, std::size_t parts,
                  const char* example) {
  auto d = facts::Dotted::parse(value);
  if (!d || (parts && d->parts.size() != parts))
    throw UsageError(tr("plan.error.version", {{"option", option}, {"value", value}, {"example", example}}));
}

void need_choice(const std::string& option, const std::string& value,
                 std::initializer_list<const char*> choices) {
  std::string list;
  for (const char* c : choices) {
    if (value == c) return;
    list += (list.empty() ? "" : ", ") + std::string(c);
  }
  throw UsageError(tr("plan.error.choice", {{"option", option}, {"value", value}, {"choices", list}}));
}

bool looks_like_pci_id(std::string_view s) {
  if (s.starts_with("0x") || s.starts_with("0X")) s.remove_prefix(2);
  return s.size() == 4 && s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

/// --gpu NAME|PCI-ID, resolved through the knowledge base; with --cc an unknown name is accepted.
plan::PlanGpu described_gpu(const kb::KnowledgeBase& kb, const std::string& query, int index,
                            const std::string& cc) {
  const kb::GpuModel* m = looks_like_pci_id(query) ? kb.gpu_by_pci_id(query) : kb.gpu_by_name(query);
  plan::PlanGpu g;
  g.index = index;
  if (m) {
    g.name = m->name;
    g.cc = m->compute_capability;
    g.architecture = m->architecture;
    g.chip = m->chip;
  } else if (!cc.empty()) {
    g.name = query;
  } else {
    throw UsageError(tr("plan.error.gpu", {{"gpu", query}}));
  }
  return g;
}

int run_plan(CommonOptions& opts, const PlanOptions& po) {
  if (!po.cc.empty()) need_version("--cc", po.cc, 2, "8.9");
  if (!po.driver.empty()) need_version("--driver", po.driver, 0, "535.104.05");
  if (!po.python_version.empty()) need_version("--python-version", po.python_version, 0, "3.12");
  if (!po.cuda.empty()) need_version("--cuda", po.cuda, 2, "12.6");
  if (!po.os.empty()) need_choice("--os", po.os, {"linux", "windows"});
  if (!po.arch.empty()) need_choice("--arch", po.arch, {"x86_64", "aarch64"});
  if (!po.installer.empty()) need_choice("--installer", po.installer, {"pip", "uv", "conda"});
  if (!plan::valid_torch_spec(po.torch)) throw UsageError(tr("plan.error.spec", {{"spec", po.torch}}));

  Session s(opts);
  const kb::KnowledgeBase& kb = s.kb();
  plan::Request req = plan::request_from_machine(s.machine(), kb);
  if (!po.gpus.empty()) {
    req.gpus.clear();
    for (std::size_t i = 0; i < po.gpus.size(); ++i)
      req.gpus.push_back(described_gpu(kb, po.gpus[i], static_cast<int>(i), po.cc));
  }
  if (!po.cc.empty()) {
    if (req.gpus.empty()) req.gpus.push_back({0, "GPU " + po.cc, "", "", "", std::nullopt});
    for (auto& g : req.gpus) {
      g.cc = po.cc;
      g.architecture = kb.architecture_for_cc(po.cc).value_or("");
      g.chip.clear();
    }
  }
  if (!po.driver.empty()) req.driver = po.driver;
  if (!po.python_version.empty()) {
    auto d = facts::Dotted::parse(po.python_version);
    req.python = std::to_string(d->major()) + "." + std::to_string(d->minor());
  }
  if (!po.os.empty()) {
    req.os = po.os == "windows" ? plan::Os::windows : plan::Os::linux;
    if (req.os == plan::Os::windows) req.wsl = false;
  }
  if (!po.arch.empty()) req.arch = po.arch;
  req.torch_spec = po.torch;
  if (!po.cuda.empty()) req.cuda = po.cuda;
  req.today = today();

  plan::Plan p = plan::make_plan(req, kb);
  if (opts.output_format() == Format::json) {
    auto j = plan::plan_json(p, kb.meta, i18n::language());
    j["findings"] = nlohmann::ordered_json::array();
    for (auto& f : p.findings) j["findings"].push_back(render::finding_json(f, i18n::language()));
    s.emit(json_text(j));
  } else {
    plan::TextOptions t;
    t.width = opts.width();
    if (!po.installer.empty()) t.installer = po.installer;
    s.emit(plan::plan_text(p, t));
  }
  s.report_reads();
  return rules::exit_code_for(p.findings);
}

const Command plan_cmd("plan", 40, "cli.cmd.plan", [](CLI::App& sub, CommonOptions& opts) -> Command::Action {
  auto po = std::make_shared<PlanOptions>();
  sub.add_option("--gpu", po->gpus, tr("plan.opt.gpu"))->type_name("NAME|PCI-ID")->allow_extra_args(false);
  sub.add_option("--cc", po->cc, tr("plan.opt.cc"))->type_name("X.Y");
  sub.add_option("--driver", po->driver, tr("plan.opt.driver"))->type_name("VERSION");
  sub.add_option("--python-version", po->python_version, tr("plan.opt.python_version"))->type_name("X.Y");
  sub.add_option("--os", po->os, tr("plan.opt.os"))->type_name("OS");
  sub.add_option("--arch", po->arch, tr("plan.opt.arch"))->type_name("ARCH");
  sub.add_option("--torch", po->torch, tr("plan.opt.torch"))->type_name("SPEC");
  sub.add_option("--cuda", po->cuda, tr("plan.opt.cuda"))->type_name("X.Y");
  sub.add_option("--installer", po->installer, tr("plan.opt.installer"))->type_name("NAME");
  return [&opts, po] { return run_plan(opts, *po); };
});

}  // namespace
}  // namespace gpuenv::cli
