// `gpuenv install`: carry out the planner's recommendation in a new or existing environment, with
// dry-run, confirmation, journal, rollback and verify (issue 8). The work is in install/install.cpp.
#include "install/install.hpp"

#include <unistd.h>

#include <cmath>
#include <iostream>

#include "cli/common.hpp"
#include "facts/dotted.hpp"
#include "i18n/catalog.hpp"
#include "install/journal.hpp"
#include "install/parse.hpp"
#include "install/steps.hpp"
#include "install/verify.hpp"
#include "plan/output.hpp"
#include "plan/plan.hpp"
#include "platform/env.hpp"
#include "platform/process.hpp"
#include "platform/self.hpp"
#include "platform/signals.hpp"
#include "platform/tree.hpp"
#include "platform/writer.hpp"
#include "render/verify.hpp"
#include "rules/finding.hpp"

namespace gpuenv::cli {
namespace {

using i18n::tr;

struct InstallFlags {
  std::string new_dir, conda_env, torch, installer, index_url;
  std::vector<std::string> extra_index_urls, find_links;
  bool no_index = false, dry_run = false, yes = false, no_verify = false;
  bool rollback = false;
  std::string rollback_name;
};

/// Gives a command the Ctrl-C flag, so the child's process group is stopped (verify's probe).
class InterruptibleRunner final : public platform::CommandRunner {
 public:
  InterruptibleRunner(platform::CommandRunner& inner, const std::atomic<bool>* flag)
      : inner_(inner), flag_(flag) {}
  platform::CommandResult run(const platform::Command& c) override {
    platform::Command d = c;
    if (!d.cancel) d.cancel = flag_;
    return inner_.run(d);
  }

 private:
  platform::CommandRunner& inner_;
  const std::atomic<bool>* flag_;
};

void say(const std::string& line) {
  eprint(line + "\n");
}

std::string why_text(const platform::CommandResult& r) {
  if (r.status == platform::CommandResult::Status::exited) {
    std::string e = r.err;
    while (!e.empty() && (e.back() == '\n' || e.back() == '\r')) e.pop_back();
    auto nl = e.find_last_of('\n');
    return tr("install.why.exit", {{"code", std::to_string(r.exit_code)}}) +
           (e.empty() ? "" : ": " + (nl == std::string::npos ? e : e.substr(nl + 1)));
  }
  return r.error.empty() ? tr("install.why.signal", {{"signal", std::to_string(r.signal)}}) : r.error;
}

/// "3.11" from running the interpreter (a read: it writes nothing).
std::string python_version_of(platform::CommandRunner& runner, const std::string& python) {
  platform::Command c;
  c.argv = {python, "-B", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"};
  c.timeout = std::chrono::seconds(60);
  auto r = runner.run(c);
  std::string v = r.out;
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  if (!r.ok() || !facts::Dotted::parse(v))
    throw UsageError(tr("install.error.python_version", {{"python", python}, {"why", why_text(r)}}));
  return v;
}

std::vector<std::pair<std::string, std::string>> mirrors(const platform::Environment& env) {
  std::string path;
  if (auto x = env.get("XDG_CONFIG_HOME"); x && !x->empty())
    path = *x + "/gpuenv/config.json";
  else if (auto h = env.get("HOME"); h && !h->empty())
    path = *h + "/.config/gpuenv/config.json";
  std::optional<std::string> text;
  if (!path.empty() && platform::path_exists(path)) {
    text = platform::read_host_file(path, 1u << 20);
    if (!text) say(tr("install.warn.config", {{"path", path}, {"reason", tr("install.reason.unreadable")}}));
  }
  std::string error;
  auto m = install::parse_mirrors(env.get("GPUENV_INDEX_MIRROR"), text, error);
  if (!m) {
    say(tr("install.warn.config", {{"path", path}, {"reason", error}}));
    m = install::parse_mirrors(env.get("GPUENV_INDEX_MIRROR"), std::nullopt, error);
  }
  return m.value_or(std::vector<std::pair<std::string, std::string>>{});
}

void print_rollback(const install::RollbackReport& rep) {
  for (auto& a : rep.actions) say("  " + a.localized());
  if (rep.ok) {
    say(tr("install.text.rolled_back"));
  } else {
    say(tr("install.text.rollback_incomplete"));
    for (auto& p : rep.problems) say("  - " + p.localized());
  }
}

int run_rollback(const InstallFlags& f, const std::string& root) {
  std::optional<install::Journal> j;
  if (!f.rollback_name.empty()) {
    std::string dir =
        f.rollback_name.find('/') != std::string::npos ? f.rollback_name : root + "/" + f.rollback_name;
    std::string err;
    j = install::load(dir, err);
    if (!j) throw UsageError(tr("install.rollback.not_found", {{"name", f.rollback_name}, {"reason", err}}));
  } else {
    for (auto& x : install::list_journals(root))
      if (x.unfinished()) j = x;  // the newest: names start with a UTC stamp
    if (!j) {
      say(tr("install.rollback.none", {{"path", root}}));
      return 1;
    }
  }
  say(tr("install.rollback.start", {{"name", j->name}, {"path", j->prefix}}));
  platform::RealCommandRunner real;
  install::Runtime rt(real);
  rt.journal_root = root;
  auto rep = install::rollback(*j, rt);
  print_rollback(rep);
  if (rep.ok) say(tr("install.rollback.ok", {{"path", j->prefix}, {"name", j->name}}));
  return rep.ok ? 0 : 1;
}

int run_install(CommonOptions& opts, const InstallFlags& f) {
  if (opts.root != "/" || !opts.facts_file.empty()) throw UsageError(tr("install.error.root"));
  platform::ProcessEnvironment penv;
  std::string root = install::journal_root(penv);
  if (root.empty()) throw UsageError(tr("install.error.no_journal_dir"));
  if (f.rollback) return run_rollback(f, root);

  // The target.
  int targets = (!opts.envs.empty()) + (!f.new_dir.empty()) + (!f.conda_env.empty());
  if (targets == 0) throw UsageError(tr("install.error.no_target"));
  if (targets > 1 || opts.envs.size() > 1) throw UsageError(tr("install.error.targets"));
  install::Installer inst = f.conda_env.empty() ? install::Installer::pip : install::Installer::conda;
  if (f.installer == "uv") inst = install::Installer::uv;
  if (f.installer == "pip") inst = install::Installer::pip;
  if (f.installer == "conda") {
    if (f.conda_env.empty()) throw UsageError(tr("install.error.conda_installer"));
    inst = install::Installer::conda;
  }

  platform::RealCommandRunner real;
  install::Target t;
  std::optional<std::string> python_version;
  if (!opts.envs.empty()) {
    t.kind = install::Target::Kind::env;
    t.prefix = platform::absolute_path(opts.envs.front());
    if (!platform::path_exists(t.prefix + "/bin/python"))
      throw UsageError(tr("install.error.env_no_python", {{"path", opts.envs.front()}}));
    python_version = python_version_of(real, t.prefix + "/bin/python");
  } else if (!f.new_dir.empty()) {
    t.kind = install::Target::Kind::new_venv;
    t.exists = false;
    t.prefix = platform::absolute_path(f.new_dir);
    if (!platform::absent_or_empty_dir(t.prefix))
      throw UsageError(tr("install.error.new_not_empty", {{"path", f.new_dir}}));
    if (!opts.pythons.empty())
      t.base_python = opts.pythons.front();
    else if (auto p = platform::find_program("python3", penv.get("PATH").value_or("")))
      t.base_python = *p;
    else
      throw UsageError(tr("install.error.no_base_python"));
    python_version = python_version_of(real, t.base_python);
  } else {
    t.kind = install::Target::Kind::conda;
    t.conda_name = f.conda_env;
    platform::Command c;
    c.argv = {"conda", "info", "--json"};
    auto r = real.run(c);
    std::optional<install::CondaInfo> info =
        r.ok() ? install::parse_conda_info(r.out, f.conda_env) : std::nullopt;
    if (!info || (!info->existing && !info->new_prefix))
      throw UsageError(tr("install.error.conda_info", {{"why", why_text(r)}}));
    t.exists = info->existing.has_value();
    t.prefix = info->existing ? *info->existing : *info->new_prefix;
    if (t.exists) python_version = python_version_of(real, t.prefix + "/bin/python");
  }

  // Unfinished journals: the same target must be put back first.
  for (auto& j : install::list_journals(root)) {
    if (!j.unfinished()) continue;
    if (j.prefix == t.prefix && !f.dry_run)
      throw UsageError(tr("install.error.unfinished_same", {{"path", j.prefix}, {"name", j.name}}));
    say(tr("install.warn.unfinished", {{"path", j.prefix}, {"name", j.name}}));
  }

  // The plan: the same request `gpuenv plan` builds, for the target's Python.
  opts.no_cache = true;  // install writes only the target and its journal (design.md §3)
  Session s(opts);
  const kb::KnowledgeBase& kb = s.kb();
  plan::Request req = plan::request_from_machine(s.machine(), kb);
  if (python_version) req.python = python_version;
  req.torch_spec = f.torch;
  req.today = today();
  plan::Plan p = plan::make_plan(req, kb);
  plan::TextOptions topt;
  topt.installer = install::installer_name(inst);
  s.emit(plan::plan_text(p, topt));
  if (!p.recommendation) {
    say(tr("cli.error.prefix") + tr("install.error.no_plan"));
    return 1;
  }
  const plan::Recommendation& rec = *p.recommendation;
  if (!t.exists && t.kind == install::Target::Kind::conda) t.python_version = rec.python;

  install::IndexOptions idx;
  if (!f.index_url.empty()) idx.index_url = f.index_url;
  idx.extra_index_urls = f.extra_index_urls;
  for (auto& d : f.find_links)
    idx.find_links.push_back(d.find("://") == std::string::npos ? platform::absolute_path(d) : d);
  idx.no_index = f.no_index;
  idx.mirrors = mirrors(penv);
  bool cpu_ok = rec.variant == "cpu" && req.gpus.empty();
  auto steps = install::make_steps(rec, t, inst, idx, !f.no_verify, cpu_ok);
  if (steps.conda_native &&
      (idx.index_url || !idx.extra_index_urls.empty() || !idx.find_links.empty() || idx.no_index))
    say(tr("install.warn.conda_index"));

  print("\n" +
        tr("install.text.target", {{"path", t.prefix},
                                   {"python", python_version.value_or(rec.python)},
                                   {"installer", install::installer_name(inst)}}) +
        "\n" + tr("install.text.commands") + "\n");
  std::string listing;
  for (auto& st : steps.steps) listing += "  " + platform::quote_argv(st.argv) + "\n";
  print(listing);
  if (f.dry_run) {
    print(tr("install.text.dry_run") + "\n");
    return 0;
  }

  if (platform::running_as_root() && t.prefix.starts_with("/home/"))
    say(tr("install.warn.root_home", {{"path", t.prefix}}));
  if (!f.yes) {
    eprint(tr("install.prompt"));
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes" && answer != "YES") {
      say(tr("install.text.cancelled"));
      return 1;
    }
  }

  const std::atomic<bool>& flag = platform::catch_interrupts();
  // Installer steps get the flag from the Runtime; rollback commands must run to the end even after
  // Ctrl-C, so only verify's probe is wrapped.
  InterruptibleRunner runner(real, &flag);
  install::Runtime rt(real);
  rt.journal_root = root;
  rt.cancel = &flag;
  bool tty = ::isatty(2) == 1;
  std::string what = steps.what;
  rt.on_progress = [tty, what](const install::Progress& pr) {
    std::string head = tr(std::string("install.progress.") + install::step_kind_name(pr.kind),
                          {{"n", std::to_string(pr.step)}, {"m", std::to_string(pr.total)}, {"what", what}});
    if (tty) {
      std::string line = head;
      if (pr.seconds >= 1)
        line +=
            " … " + tr("install.progress.elapsed", {{"seconds", std::to_string(std::lround(pr.seconds))}});
      if (!pr.line.empty() && !pr.finished) line += "  " + pr.line.substr(0, 60);
      eprint("\r\x1b[K", line + (pr.finished ? "\n" : ""));
    } else if (pr.seconds == 0 && !pr.finished) {
      eprint(head + "\n");
    }
  };
  const facts::Machine& machine = s.machine();
  rt.verify = [&](const std::string& python) {
    install::VerifyRequest vr;
    vr.cpu_ok = cpu_ok;
    install::Interpreter py{python, t.prefix, "--env", "--env " + platform::shell_quote(t.prefix)};
    auto result = install::run_verify(runner, py, vr, penv, &machine);
    render::VerifyOutput out{result.run, result.verdict, vr.cpu_ok};
    print(render::verify_text(out, {opts.color(), 100, opts.verbose}));
    return result.verdict.ok;
  };

  auto res = install::execute(steps, t, inst, rt);
  if (res.outcome == install::Result::Outcome::installed) {
    say(tr("install.text.done", {{"what", steps.what}, {"path", t.prefix}}));
  } else {
    say(tr("cli.error.prefix") +
        tr("install.text.failed", {{"why", res.failure ? res.failure->localized() : ""}}));
    if (res.rollback) print_rollback(*res.rollback);
  }
  if (!res.journal_dir.empty()) say(tr("install.text.journal", {{"path", res.journal_dir}}));
  return res.exit_code();
}

const Command install_cmd("install", 50, "install.cli.description", [](CLI::App& sub, CommonOptions& opts) {
  auto f = std::make_shared<InstallFlags>();
  sub.add_option("--new", f->new_dir, tr("install.opt.new"))->type_name("DIR");
  sub.add_option("--conda-env", f->conda_env, tr("install.opt.conda_env"))->type_name("NAME");
  sub.add_option("--torch", f->torch, tr("install.opt.torch"))->type_name("SPEC");
  sub.add_option("--installer", f->installer, tr("install.opt.installer"))
      ->type_name("NAME")
      ->check(CLI::IsMember({"pip", "uv", "conda"}));
  sub.add_option("--index-url", f->index_url, tr("install.opt.index_url"))->type_name("URL");
  sub.add_option("--extra-index-url", f->extra_index_urls, tr("install.opt.extra_index_url"))
      ->type_name("URL")
      ->allow_extra_args(false);
  sub.add_option("--find-links", f->find_links, tr("install.opt.find_links"))
      ->type_name("DIR")
      ->allow_extra_args(false);
  sub.add_flag("--no-index", f->no_index, tr("install.opt.no_index"));
  sub.add_flag("--dry-run", f->dry_run, tr("install.opt.dry_run"));
  sub.add_flag("-y,--yes", f->yes, tr("install.opt.yes"));
  sub.add_flag("--no-verify", f->no_verify, tr("install.opt.no_verify"));
  auto* rb = sub.add_option("--rollback", f->rollback_name, tr("install.opt.rollback"))
                 ->type_name("[NAME]")
                 ->expected(0, 1);
  return Command::Action([&opts, f, rb] {
    f->rollback = rb->count() > 0;
    if (!plan::valid_torch_spec(f->torch)) throw UsageError(tr("plan.error.spec", {{"spec", f->torch}}));
    return run_install(opts, *f);
  });
});

}  // namespace
}  // namespace gpuenv::cli
