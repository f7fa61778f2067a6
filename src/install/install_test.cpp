// install's use case through a fake runner: the uv and conda paths (not installable here), failure
// handling, Ctrl-C and failed verifies — each on a real directory tree standing for the environment.
#include "install/install.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "install/setaside.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::install {
namespace {

using platform::Command;
using platform::CommandResult;
using V = std::vector<std::string>;

class FakeRunner final : public platform::CommandRunner {
 public:
  std::function<CommandResult(const Command&)> handler;
  std::vector<V> seen;
  CommandResult run(const Command& c) override {
    seen.push_back(c.argv);
    return handler(c);
  }
};

CommandResult exited(int code, std::string out = "", std::string err = "") {
  CommandResult r;
  r.status = CommandResult::Status::exited;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

const std::string kSite = "lib/python3.12/site-packages";

/// A distribution as pip leaves it: package files, a bin script, METADATA and RECORD.
void add_dist(const test::TempDir& env, const std::string& name, const std::string& version) {
  std::string di = kSite + "/" + name + "-" + version + ".dist-info";
  env.write(kSite + "/" + name + "/__init__.py", "VERSION = '" + version + "'\n");
  env.write("bin/" + name + "-cli", "#!/bin/sh\necho " + version + "\n");
  env.write(di + "/METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
  env.write(di + "/RECORD", name + "/__init__.py,,\n../../../bin/" + name + "-cli,,\n" + name + "-" +
                                version + ".dist-info/METADATA,,\n" + name + "-" + version +
                                ".dist-info/RECORD,,\n");
}

std::string list_json(const std::string& prefix) {
  std::string out = "[";
  for (auto& d : scan_dists(find_site_packages(prefix)))
    out += std::string(out.size() > 1 ? "," : "") + R"({"name": ")" + d.name + R"(", "version": ")" +
           d.version + "\"}";
  return out + "]";
}

/// What an installer does to the tree: replaces `name` with `version` (pip uninstalls by RECORD).
void replace_dist(const std::string& prefix, const std::string& name, const std::string& version) {
  std::string site = find_site_packages(prefix);
  for (auto& d : scan_dists(site))
    if (d.name == name) remove_dist(d, site, prefix);
  std::filesystem::create_directories(site + "/" + name);
  test::write_file(site + "/" + name + "/__init__.py", "VERSION = '" + version + "'\n");
  std::string di = site + "/" + name + "-" + version + ".dist-info";
  std::filesystem::create_directories(di);
  test::write_file(di + "/METADATA", "Name: " + name + "\nVersion: " + version + "\n");
  test::write_file(di + "/RECORD", name + "/__init__.py,,\n" + name + "-" + version +
                                       ".dist-info/METADATA,,\n" + name + "-" + version +
                                       ".dist-info/RECORD,,\n");
}

plan::Recommendation rec() {
  plan::Recommendation r;
  r.torch = "2.5.1";
  r.variant = "cu124";
  r.torchvision = "0.20.1";
  r.python = "3.12";
  r.commands.pip_argv = {"python", "-m", "pip", "install", "torch==2.5.1", "torchvision==0.20.1"};
  r.commands.uv_argv = {
      "uv", "pip", "install", "torch==2.5.1", "torchvision==0.20.1", "--torch-backend=cu124"};
  r.commands.conda_argv = {
      "conda",   "install", "pytorch==2.5.1", "torchvision==0.20.1", "pytorch-cuda=12.4", "-c",
      "pytorch", "-c",      "nvidia"};
  r.commands.conda_native = true;
  return r;
}

struct Fixture {
  test::TempDir env, state;
  FakeRunner runner;
  Runtime rt{runner};
  Fixture() {
    rt.journal_root = state.path() + "/journal";
    rt.stamp = [] { return std::string("20261130T000000Z"); };
  }
};

TEST(InstallUv, AFailedInstallIsRolledBackFromTheSetAsideFiles) {
  Fixture f;
  add_dist(f.env, "torch", "2.4.0");
  add_dist(f.env, "numpy", "1.26.4");
  add_dist(f.env, "filelock", "3.0");
  Target t;
  t.prefix = f.env.path();
  auto steps = make_steps(rec(), t, Installer::uv, {}, false, false);
  f.runner.handler = [&](const Command& c) {
    if (c.argv[2] == "list") return exited(0, list_json(t.prefix));
    if (c.argv[3] == "--dry-run")
      return exited(0, "", " - numpy==1.26.4\n + numpy==2.1.0\n - torch==2.4.0\n");
    // The install replaces torch and numpy, adds torchvision, then fails.
    replace_dist(t.prefix, "torch", "2.5.1");
    replace_dist(t.prefix, "numpy", "2.1.0");
    replace_dist(t.prefix, "torchvision", "0.20.1");
    return exited(1, "", "error: something broke\n");
  };
  auto res = execute(steps, t, Installer::uv, f.rt);
  EXPECT_EQ(res.outcome, Result::Outcome::failed);
  EXPECT_EQ(res.exit_code(), 1);
  ASSERT_TRUE(res.failure);
  EXPECT_EQ(res.failure->id, "install.fail.step");
  ASSERT_TRUE(res.rollback);
  EXPECT_TRUE(res.rollback->ok) << (res.rollback->problems.empty() ? "" : res.rollback->problems[0].en());
  EXPECT_EQ(
      list_json(t.prefix),
      R"([{"name": "filelock", "version": "3.0"},{"name": "numpy", "version": "1.26.4"},{"name": "torch", "version": "2.4.0"}])");
  EXPECT_EQ(test::read_file(t.prefix + "/" + kSite + "/torch/__init__.py"), "VERSION = '2.4.0'\n");
  EXPECT_EQ(test::read_file(t.prefix + "/bin/torch-cli"), "#!/bin/sh\necho 2.4.0\n");
  EXPECT_FALSE(std::filesystem::exists(t.prefix + "/" + kSite + "/torchvision"));
  ASSERT_EQ(f.runner.seen.size(), 4u);  // list, dry-run, install, list (the check)
  EXPECT_EQ(f.runner.seen[2], (V{"uv", "pip", "install", "--python", t.prefix + "/bin/python", "torch==2.5.1",
                                 "torchvision==0.20.1", "--torch-backend=cu124"}));
  std::string err;
  auto j = load(res.journal_dir, err);
  ASSERT_TRUE(j) << err;
  EXPECT_EQ(j->state, "rolled-back");
  EXPECT_EQ(j->name, "20261130T000000Z-" + std::filesystem::path(t.prefix).filename().string());
  ASSERT_EQ(j->set_aside.size(), 2u);  // numpy (from the dry run) and torch; not filelock
  EXPECT_EQ(j->set_aside[0].name, "numpy");
  EXPECT_EQ(j->set_aside[1].name, "torch");
  EXPECT_NE(test::read_file(res.log_path).find("error: something broke"), std::string::npos);
}

TEST(InstallUv, SuccessCommitsAndKeepsTheJournal) {
  Fixture f;
  add_dist(f.env, "torch", "2.4.0");
  Target t;
  t.prefix = f.env.path();
  auto steps = make_steps(rec(), t, Installer::uv, {}, true, false);
  f.runner.handler = [&](const Command& c) {
    if (c.argv[2] == "list") return exited(0, list_json(t.prefix));
    if (c.argv[3] == "--dry-run") return exited(0);
    replace_dist(t.prefix, "torch", "2.5.1");
    return exited(0);
  };
  std::vector<std::string> verified;
  f.rt.verify = [&](const std::string& py) {
    verified.push_back(py);
    return true;
  };
  std::vector<Progress> seen;
  f.rt.on_progress = [&](const Progress& p) { seen.push_back(p); };
  auto res = execute(steps, t, Installer::uv, f.rt);
  EXPECT_EQ(res.outcome, Result::Outcome::installed);
  EXPECT_FALSE(res.rollback);
  EXPECT_EQ(verified, (V{t.prefix + "/bin/python"}));
  std::string err;
  EXPECT_EQ(load(res.journal_dir, err)->state, "committed");
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().step, 4u);
  EXPECT_EQ(seen.back().total, 4u);
  EXPECT_TRUE(seen.back().finished);
}

TEST(InstallUv, AFailedVerifyRollsBack) {
  Fixture f;
  add_dist(f.env, "torch", "2.4.0");
  Target t;
  t.prefix = f.env.path();
  auto steps = make_steps(rec(), t, Installer::uv, {}, true, true);
  f.runner.handler = [&](const Command& c) {
    if (c.argv[2] == "list") return exited(0, list_json(t.prefix));
    if (c.argv[3] == "--dry-run") return exited(2, "", "error: unexpected argument");
    replace_dist(t.prefix, "torch", "2.5.1");
    return exited(0);
  };
  f.rt.verify = [](const std::string&) { return false; };
  auto res = execute(steps, t, Installer::uv, f.rt);
  EXPECT_EQ(res.outcome, Result::Outcome::failed);
  EXPECT_EQ(res.failure->id, "install.fail.verify");
  ASSERT_TRUE(res.rollback);
  EXPECT_TRUE(res.rollback->ok);
  EXPECT_EQ(list_json(t.prefix), R"([{"name": "torch", "version": "2.4.0"}])");
}

TEST(InstallUv, CtrlCStopsTheInstallerAndRollsBack) {
  Fixture f;
  add_dist(f.env, "torch", "2.4.0");
  Target t;
  t.prefix = f.env.path();
  std::atomic<bool> flag{false};
  f.rt.cancel = &flag;
  auto steps = make_steps(rec(), t, Installer::uv, {}, true, false);
  f.runner.handler = [&](const Command& c) {
    if (c.argv[2] == "list") return exited(0, list_json(t.prefix));
    if (c.argv[3] == "--dry-run") return exited(0);
    EXPECT_EQ(c.cancel, &flag);  // the runner can stop the child's process group
    replace_dist(t.prefix, "torch", "2.5.1");
    flag = true;
    CommandResult r;
    r.status = CommandResult::Status::signaled;
    r.signal = 15;
    r.cancelled = true;
    return r;
  };
  bool verify_ran = false;
  f.rt.verify = [&](const std::string&) { return verify_ran = true; };
  auto res = execute(steps, t, Installer::uv, f.rt);
  EXPECT_EQ(res.outcome, Result::Outcome::interrupted);
  EXPECT_EQ(res.exit_code(), 130);
  EXPECT_FALSE(verify_ran);
  ASSERT_TRUE(res.rollback);
  EXPECT_TRUE(res.rollback->ok);
  EXPECT_EQ(list_json(t.prefix), R"([{"name": "torch", "version": "2.4.0"}])");
}

TEST(InstallUv, ANewEnvironmentThatFailsIsRemovedOnlyWhenCreatedByThisRun) {
  Fixture f;
  Target t;
  t.kind = Target::Kind::new_venv;
  t.exists = false;
  t.prefix = f.env.path() + "/new env";
  t.base_python = "/usr/bin/python3";
  auto steps = make_steps(rec(), t, Installer::uv, {}, false, false);
  f.runner.handler = [&](const Command& c) {
    if (c.argv[1] == "venv") {
      std::filesystem::create_directories(t.prefix + "/" + kSite);
      return exited(0);
    }
    return exited(1);
  };
  auto res = execute(steps, t, Installer::uv, f.rt);
  EXPECT_EQ(res.outcome, Result::Outcome::failed);
  ASSERT_TRUE(res.rollback);
  EXPECT_TRUE(res.rollback->ok);
  EXPECT_FALSE(std::filesystem::exists(t.prefix));
  EXPECT_TRUE(std::filesystem::exists(f.env.path()));
  EXPECT_EQ(f.runner.seen[0], (V{"uv", "venv", "--python", "/usr/bin/python3", t.prefix}));
  // When creating the environment itself fails, there is nothing of ours to remove... but a directory
  // someone else made in the meantime is still ours only if we created it: created_env is recorded
  // before the create step runs, so a rollback removes what the step may have left half-made.
}

TEST(InstallConda, ExistingEnvironmentGoesBackToItsRevision) {
  Fixture f;
  Target t;
  t.kind = Target::Kind::conda;
  t.conda_name = "dl";
  t.prefix = f.env.path();
  auto steps = make_steps(rec(), t, Installer::conda, {}, false, false);
  std::string explicit_before = "# platform: linux-64\n@EXPLICIT\nhttps://conda/python-3.12.conda\n";
  f.runner.handler = [&](const Command& c) {
    if (c.argv[1] == "list" && c.argv[2] == "--explicit") return exited(0, explicit_before);
    if (c.argv[1] == "list" && c.argv[2] == "--revisions")
      return exited(0, "2026-11-01 10:00:00  (rev 0)\n+python\n\n2026-11-02 10:00:00  (rev 3)\n+numpy\n");
    if (c.argv[1] == "install" && c.argv[2] == "--yes" && c.argv.size() > 5 && c.argv[5] == "pytorch==2.5.1")
      return exited(1, "", "CondaHTTPError: HTTP 000 CONNECTION FAILED\n");
    return exited(0);
  };
  auto res = execute(steps, t, Installer::conda, f.rt);
  EXPECT_EQ(res.outcome, Result::Outcome::failed);
  ASSERT_TRUE(res.rollback);
  EXPECT_TRUE(res.rollback->ok);
  ASSERT_EQ(f.runner.seen.size(), 5u);
  EXPECT_EQ(f.runner.seen[2],
            (V{"conda", "install", "--yes", "--name", "dl", "pytorch==2.5.1", "torchvision==0.20.1",
               "pytorch-cuda=12.4", "-c", "pytorch", "-c", "nvidia"}));
  EXPECT_EQ(f.runner.seen[3],
            (V{"conda", "install", "--yes", "--offline", "--name", "dl", "--revision", "3"}));
  EXPECT_EQ(f.runner.seen[4], (V{"conda", "list", "--explicit", "--name", "dl"}));
  std::string err;
  auto j = load(res.journal_dir, err);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->conda_revision_before, 3);
  EXPECT_EQ(j->conda_explicit_before, (V{"@EXPLICIT", "https://conda/python-3.12.conda"}));
}

TEST(InstallConda, AMismatchAfterRollbackIsReported) {
  Fixture f;
  Target t;
  t.kind = Target::Kind::conda;
  t.conda_name = "dl";
  t.prefix = f.env.path();
  auto steps = make_steps(rec(), t, Installer::conda, {}, false, false);
  int lists = 0;
  f.runner.handler = [&](const Command& c) {
    if (c.argv[1] == "list" && c.argv[2] == "--explicit")
      return exited(0, ++lists == 1 ? "@EXPLICIT\na\n" : "@EXPLICIT\nb\n");
    if (c.argv[1] == "list") return exited(0, "(rev 1)\n");
    if (c.argv.size() > 5 && c.argv[5] == "pytorch==2.5.1") return exited(1);
    return exited(0);
  };
  auto res = execute(steps, t, Installer::conda, f.rt);
  ASSERT_TRUE(res.rollback);
  EXPECT_FALSE(res.rollback->ok);
  ASSERT_EQ(res.rollback->problems.size(), 1u);
  EXPECT_EQ(res.rollback->problems[0].id, "install.rollback.conda_differs");
  std::string err;
  EXPECT_EQ(load(res.journal_dir, err)->state, "rollback-incomplete");
}

TEST(InstallConda, ANewEnvironmentIsRemovedThroughConda) {
  Fixture f;
  Target t;
  t.kind = Target::Kind::conda;
  t.conda_name = "fresh";
  t.prefix = f.env.path() + "/envs/fresh";
  t.exists = false;
  t.python_version = "3.12";
  auto steps = make_steps(rec(), t, Installer::conda, {}, false, false);
  f.runner.handler = [&](const Command& c) { return exited(c.argv[1] == "install" ? 1 : 0); };
  auto res = execute(steps, t, Installer::conda, f.rt);
  ASSERT_TRUE(res.rollback);
  EXPECT_TRUE(res.rollback->ok);
  EXPECT_EQ(f.runner.seen.back(), (V{"conda", "env", "remove", "--yes", "--name", "fresh"}));
}

TEST(InstallJournal, ASnapshotThatCannotBeTakenChangesNothing) {
  Fixture f;
  add_dist(f.env, "torch", "2.4.0");
  Target t;
  t.prefix = f.env.path();
  auto steps = make_steps(rec(), t, Installer::pip, {}, false, false);
  f.runner.handler = [&](const Command&) { return exited(1, "", "No module named pip"); };
  auto res = execute(steps, t, Installer::pip, f.rt);
  EXPECT_EQ(res.outcome, Result::Outcome::failed);
  // pip inspect, then pip list: both failed, nothing was installed.
  ASSERT_EQ(f.runner.seen.size(), 2u);
  EXPECT_EQ(f.runner.seen[1], (V{t.prefix + "/bin/python", "-m", "pip", "list", "--format", "json"}));
  EXPECT_EQ(list_json(t.prefix), R"([{"name": "torch", "version": "2.4.0"}])");
}

TEST(InstallJournal, RoundTripsAndNames) {
  test::TempDir d;
  Journal j;
  j.dir = d.path() + "/x";
  j.name = "x";
  j.prefix = "/e";
  j.packages_before = PackageSet{{"torch", "2.4.0"}};
  j.set_aside = {{"torch", "2.4.0", {"lib/a.py"}}};
  j.conda_revision_before = 4;
  ASSERT_EQ(save(j), "");
  std::string err;
  auto back = load(j.dir, err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->packages_before, j.packages_before);
  EXPECT_EQ(back->set_aside[0].files, (V{"lib/a.py"}));
  EXPECT_EQ(back->conda_revision_before, 4);
  EXPECT_TRUE(back->unfinished());
  EXPECT_EQ(journal_name("S", "/tmp/x/my env's \"dir\"/"), "S-my_env_s__dir_");
  d.write("bad/journal.json", "{");
  EXPECT_FALSE(load(d.path() + "/bad", err));
  EXPECT_NE(err.find("bad/journal.json"), std::string::npos);
  platform::MapEnvironment env(std::map<std::string, std::string>{{"HOME", "/home/a"}});
  EXPECT_EQ(journal_root(env), "/home/a/.local/state/gpuenv/journal");
  env.set("XDG_STATE_HOME", "/s");
  EXPECT_EQ(journal_root(env), "/s/gpuenv/journal");
}

}  // namespace
}  // namespace gpuenv::install
