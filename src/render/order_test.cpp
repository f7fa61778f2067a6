#include <gtest/gtest.h>

#include "render/report.hpp"

namespace gpuenv::render {
namespace {

facts::PythonEnv env(const std::string& path, bool active, bool on_path,
                     const std::string& found_by = "walk") {
  facts::PythonEnv e;
  e.path = path;
  e.kind = "venv";
  e.active = active;
  e.on_path = on_path;
  e.found_by = {found_by};
  return e;
}

rules::Finding finding(const std::string& id, rules::Severity sev, std::optional<std::string> where) {
  rules::Finding f;
  f.id = id;
  f.severity = sev;
  f.env = std::move(where);
  return f;
}

std::vector<std::string> ids(const Report& r) {
  std::vector<std::string> out;
  for (auto& f : r.findings) out.push_back(f.id + "@" + f.env.value_or("-"));
  return out;
}

TEST(OrderForUser, ActivatedThenNamedThenOnPathThenTheRest) {
  Report r;
  r.machine.python_envs = {env("/home/a/other", false, false), env("/usr", false, true),
                           env("/home/a/named", false, false, "--env"), env("/home/a/active", true, false)};
  order_for_user(r);
  std::vector<std::string> paths;
  for (auto& e : r.machine.python_envs) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/home/a/active", "/home/a/named", "/usr", "/home/a/other"}));
}

TEST(OrderForUser, SeverityThenMachineThenThePreferredEnvironment) {
  using rules::Severity;
  Report r;
  r.machine.python_envs = {env("/usr", false, true), env("/venv", true, false)};
  r.findings = {finding("torch-not-installed", Severity::info, "/usr"),
                finding("torch-cpu-build", Severity::error, "/usr"),
                finding("gpu-arch-not-in-torch-build", Severity::error, "/venv"),
                finding("toolkit-newer-than-driver", Severity::warning, std::nullopt),
                finding("driver-library-mismatch", Severity::error, std::nullopt)};
  order_for_user(r);
  EXPECT_EQ(ids(r), (std::vector<std::string>{"driver-library-mismatch@-",
                                              "gpu-arch-not-in-torch-build@/venv", "torch-cpu-build@/usr",
                                              "toolkit-newer-than-driver@-", "torch-not-installed@/usr"}));
}

}  // namespace
}  // namespace gpuenv::render
