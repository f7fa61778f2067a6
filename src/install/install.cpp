#include "install/install.hpp"

#include <set>

#include "install/setaside.hpp"
#include "platform/tree.hpp"
#include "platform/writer.hpp"

namespace gpuenv::install {
namespace {

using i18n::Text;
using platform::CommandResult;

bool cancelled(const Runtime& rt) {
  return rt.cancel && rt.cancel->load();
}

Text why(const CommandResult& r) {
  using S = CommandResult::Status;
  if (r.cancelled) return {"install.why.interrupted", {}};
  switch (r.status) {
    case S::exited:
      return {"install.why.exit", {{"code", std::to_string(r.exit_code)}}};
    case S::signaled:
      return {"install.why.signal", {{"signal", std::to_string(r.signal)}}};
    case S::timed_out:
      return {"install.why.timeout", {}};
    case S::not_found:
    case S::spawn_failed:
      break;
  }
  return {"install.why.spawn", {{"error", r.error}}};
}

/// Runs one step: its output to the log, its latest line to the progress callback.
CommandResult run_step(Runtime& rt, const Journal& j, const Step& step, std::size_t n, std::size_t total) {
  platform::append_file(j.log_path(), "\n$ " + platform::quote_argv(step.argv) + "\n");
  Progress p{n, total, step.kind, "", 0, false};
  auto start = std::chrono::steady_clock::now();
  if (rt.on_progress) rt.on_progress(p);
  std::string partial;
  bool streamed = false;
  platform::Command cmd;
  cmd.argv = step.argv;
  cmd.timeout = rt.timeout;
  cmd.cancel = rt.cancel;
  cmd.output_cap = 64u << 20;
  cmd.on_output = [&](bool, std::string_view chunk) {
    platform::append_file(j.log_path(), chunk);
    streamed = true;
    partial.append(chunk);
    auto nl = partial.find_last_of("\r\n");
    if (nl == std::string::npos) return;
    std::string_view done(partial.data(), nl);
    auto prev = done.find_last_of("\r\n");
    std::string_view line = prev == std::string_view::npos ? done : done.substr(prev + 1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!line.empty()) p.line = std::string(line.substr(0, 200));
    partial.erase(0, nl + 1);
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (rt.on_progress) rt.on_progress(p);
  };
  CommandResult r = rt.runner.run(cmd);
  if (!streamed) platform::append_file(j.log_path(), r.out + r.err);  // a runner that does not stream
  std::string tail = r.ok() ? "[ok]" : "[failed: " + why(r).en() + "]";
  platform::append_file(j.log_path(), "\n" + tail + "\n");
  p.finished = true;
  p.seconds = r.seconds;
  if (rt.on_progress) rt.on_progress(p);
  return r;
}

void finish(Journal& j, const std::string& state) {
  j.state = state;
  j.finished_at = platform::utc_iso();
  save(j);
}

std::optional<PackageSet> snapshot_now(Runtime& rt, const Journal& j, std::string& output) {
  platform::Command cmd;
  cmd.argv = j.snapshot_argv;
  cmd.timeout = std::chrono::minutes(5);
  auto r = rt.runner.run(cmd);
  output = r.out;
  if (!r.ok()) return std::nullopt;
  return parse_package_set(r.out);
}

/// Records the package set: `pip inspect`, else (old pip) `pip list --format json`.
bool record_packages(Runtime& rt, Journal& j, const Step& step, const CommandResult& r) {
  j.snapshot_argv = step.argv;
  j.snapshot_tool = step.argv.size() > 3 ? step.argv[1] + " " + step.argv[2] + " " + step.argv[3] : "";
  if (r.ok()) j.packages_before = parse_package_set(r.out);
  if (!j.packages_before && step.argv.size() >= 4 && step.argv[3] == "inspect") {
    j.snapshot_argv = {step.argv[0], "-m", "pip", "list", "--format", "json"};
    j.snapshot_tool = "pip list";
    platform::append_file(j.log_path(), "\n$ " + platform::quote_argv(j.snapshot_argv) + "\n");
    std::string out;
    j.packages_before = snapshot_now(rt, j, out);
  }
  return j.packages_before.has_value();
}

}  // namespace

RollbackReport rollback(Journal& j, Runtime& rt) {
  RollbackReport rep;
  auto run = [&](std::vector<std::string> argv) {
    platform::Command cmd;
    cmd.argv = std::move(argv);
    cmd.timeout = std::chrono::minutes(30);
    platform::append_file(j.log_path(), "\n$ " + platform::quote_argv(cmd.argv) + "\n");
    auto r = rt.runner.run(cmd);
    platform::append_file(j.log_path(), r.out + r.err);
    return r;
  };
  if (j.created_env) {
    if (j.target_kind == "conda") {
      auto r = run({"conda", "env", "remove", "--yes", "--name", j.conda_name});
      if (!r.ok())
        rep.problems.push_back(
            {"install.rollback.command_failed",
             {{"command", "conda env remove --yes --name " + j.conda_name}, {"why", why(r).en()}}});
    } else if (auto e = platform::remove_tree(j.prefix); !e.empty()) {
      rep.problems.push_back({"install.rollback.remove_failed", {{"path", j.prefix}, {"reason", e}}});
    }
    if (j.target_kind != "conda" && platform::path_exists(j.prefix) && rep.problems.empty())
      rep.problems.push_back(
          {"install.rollback.remove_failed", {{"path", j.prefix}, {"reason", "still there"}}});
    if (rep.problems.empty()) rep.actions.push_back({"install.rollback.removed_env", {{"path", j.prefix}}});
  } else if (j.conda_native) {
    if (!j.conda_revision_before) {
      rep.problems.push_back({"install.rollback.no_revision", {{"name", j.conda_name}}});
    } else {
      std::string rev = std::to_string(*j.conda_revision_before);
      auto r = run({"conda", "install", "--yes", "--offline", "--name", j.conda_name, "--revision", rev});
      if (!r.ok())
        rep.problems.push_back({"install.rollback.command_failed",
                                {{"command", "conda install --revision " + rev}, {"why", why(r).en()}}});
      auto now = run({"conda", "list", "--explicit", "--name", j.conda_name});
      if (!now.ok() || parse_conda_explicit(now.out) != j.conda_explicit_before)
        rep.problems.push_back({"install.rollback.conda_differs", {{"name", j.conda_name}}});
      else
        rep.actions.push_back({"install.rollback.conda_revision", {{"revision", rev}}});
    }
  } else if (j.packages_before) {
    std::string site = find_site_packages(j.prefix);
    if (site.empty()) {
      rep.problems.push_back({"install.rollback.no_site", {{"path", j.prefix}}});
    } else {
      std::set<std::string> kept;
      for (auto& d : j.set_aside) kept.insert(d.name);
      for (auto& d : scan_dists(site)) {
        auto it = j.packages_before->find(d.name);
        bool changed = it == j.packages_before->end() || it->second != d.version || kept.count(d.name);
        if (!changed) continue;
        if (auto e = remove_dist(d, site, j.prefix); !e.empty())
          rep.problems.push_back({"install.rollback.remove_failed", {{"path", d.dist_info}, {"reason", e}}});
      }
      for (auto& d : j.set_aside) {
        if (auto e = restore(d, j.prefix, j.files_dir()); !e.empty())
          rep.problems.push_back({"install.rollback.restore_failed", {{"package", d.name}, {"reason", e}}});
        else
          rep.actions.push_back({"install.rollback.restored", {{"package", d.name}, {"version", d.version}}});
      }
      for (auto& n : pip_temp_entries(site))
        if (std::find(j.pip_temp_before.begin(), j.pip_temp_before.end(), n) == j.pip_temp_before.end())
          platform::remove_tree(site + "/" + n);
      std::string out;
      auto now = snapshot_now(rt, j, out);
      if (!now) {
        rep.problems.push_back(
            {"install.rollback.check_failed", {{"command", platform::quote_argv(j.snapshot_argv)}}});
      } else {
        for (auto& [name, version] : *j.packages_before) {
          auto it = now->find(name);
          if (it == now->end())
            rep.problems.push_back({"install.rollback.missing", {{"package", name}, {"version", version}}});
          else if (it->second != version)
            rep.problems.push_back(
                {"install.rollback.differs", {{"package", name}, {"before", version}, {"now", it->second}}});
        }
        for (auto& [name, version] : *now)
          if (!j.packages_before->count(name))
            rep.problems.push_back({"install.rollback.extra", {{"package", name}, {"version", version}}});
      }
    }
  }
  rep.ok = rep.problems.empty();
  finish(j, rep.ok ? "rolled-back" : "rollback-incomplete");
  return rep;
}

Result execute(const Steps& s, const Target& t, Installer inst, Runtime& rt) {
  Result res;
  Journal j;
  std::string stamp = rt.stamp ? rt.stamp() : platform::utc_stamp();
  std::string base = journal_name(stamp, t.kind == Target::Kind::conda ? t.conda_name : t.prefix);
  j.name = base;
  for (int k = 2; platform::path_exists(rt.journal_root + "/" + j.name); ++k)
    j.name = base + "-" + std::to_string(k);
  j.dir = rt.journal_root + "/" + j.name;
  j.installer = installer_name(inst);
  j.target_kind = t.kind == Target::Kind::env        ? "env"
                  : t.kind == Target::Kind::new_venv ? "new_venv"
                                                     : "conda";
  j.prefix = t.prefix;
  j.conda_name = t.conda_name;
  j.conda_native = s.conda_native;
  for (auto& st : s.steps) j.commands.push_back(platform::quote_argv(st.argv));
  j.started_at = platform::utc_iso();
  res.journal_dir = j.dir;
  res.log_path = j.log_path();
  std::string err = platform::make_dirs(j.dir);
  if (err.empty()) err = save(j);
  if (err.empty()) err = platform::append_file(j.log_path(), "gpuenv install " + j.started_at + "\n");
  if (!err.empty()) {
    res.failure = Text{"install.fail.journal", {{"reason", err}}};
    return res;
  }

  std::set<std::string> replace(s.packages.begin(), s.packages.end());
  bool set_aside_done = false;
  auto fail = [&](Text why_text, bool interrupted) {
    j.failure = why_text.en();
    res.failure = std::move(why_text);
    res.outcome = interrupted ? Result::Outcome::interrupted : Result::Outcome::failed;
    res.rollback = rollback(j, rt);
    return res;
  };
  std::size_t total = s.steps.size();
  for (std::size_t i = 0; i < total; ++i) {
    const Step& step = s.steps[i];
    std::string n = std::to_string(i + 1), m = std::to_string(total);
    if (cancelled(rt)) return fail({"install.fail.interrupted", {{"n", n}, {"m", m}}}, true);

    if (step.kind == StepKind::verify) {
      j.state = "applied";
      save(j);
      platform::append_file(j.log_path(), "\n$ " + platform::quote_argv(step.argv) + "\n");
      if (rt.on_progress) rt.on_progress({i + 1, total, step.kind, "", 0, false});
      bool ok = rt.verify && rt.verify(s.python);
      if (rt.on_progress) rt.on_progress({i + 1, total, step.kind, "", 0, true});
      if (cancelled(rt)) return fail({"install.fail.interrupted", {{"n", n}, {"m", m}}}, true);
      if (!ok) return fail({"install.fail.verify", {{"python", s.python}}}, false);
      continue;
    }
    if (step.kind == StepKind::install && !set_aside_done && t.exists && !s.conda_native) {
      set_aside_done = true;
      std::string site = find_site_packages(t.prefix);
      if (!site.empty()) {
        j.pip_temp_before = pip_temp_entries(site);
        for (auto& d : scan_dists(site)) {
          if (!replace.count(d.name)) continue;
          SetAsideDist kept;
          if (auto e = set_aside(d, site, t.prefix, j.files_dir(), kept); !e.empty()) {
            save(j);
            return fail({"install.fail.set_aside", {{"package", d.name}, {"reason", e}}}, false);
          }
          j.set_aside.push_back(std::move(kept));
        }
      }
      if (auto e = save(j); !e.empty()) return fail({"install.fail.journal", {{"reason", e}}}, false);
    }
    if (step.kind == StepKind::create) {
      j.created_env = true;
      if (auto e = save(j); !e.empty()) return fail({"install.fail.journal", {{"reason", e}}}, false);
    }

    CommandResult r = run_step(rt, j, step, i + 1, total);
    if (r.cancelled || cancelled(rt)) return fail({"install.fail.interrupted", {{"n", n}, {"m", m}}}, true);
    Text failed{"install.fail.step",
                {{"n", n}, {"m", m}, {"command", platform::quote_argv(step.argv)}, {"why", why(r).en()}}};
    switch (step.kind) {
      case StepKind::snapshot:
        if (s.conda_native) {
          if (!r.ok()) return fail(failed, false);
          if (step.argv.size() > 2 && step.argv[2] == "--explicit")
            j.conda_explicit_before = parse_conda_explicit(r.out);
          else
            j.conda_revision_before = parse_conda_revision(r.out);
        } else if (!record_packages(rt, j, step, r)) {
          return fail(failed, false);
        }
        if (auto e = save(j); !e.empty()) return fail({"install.fail.journal", {{"reason", e}}}, false);
        break;
      case StepKind::resolve:
        // What the installer would replace besides the plan's packages (dependencies); when it cannot
        // say (old pip, no --report), the plan's packages are set aside.
        if (r.ok()) {
          if (inst == Installer::uv) {
            for (auto& name : parse_uv_dry_run(r.err + "\n" + r.out)) replace.insert(name);
          } else if (auto names = parse_pip_report(r.out)) {
            replace.insert(names->begin(), names->end());
          }
        }
        break;
      case StepKind::create:
      case StepKind::install:
        if (!r.ok()) return fail(failed, false);
        break;
      case StepKind::verify:
        break;
    }
  }
  finish(j, "committed");
  res.outcome = Result::Outcome::installed;
  return res;
}

}  // namespace gpuenv::install
