// Every finding id of design.md §6 has a fixture root that triggers it and a near miss that must not
// (issue 5): tests/fixtures/scenarios/id-<id> and near-<id>, made by tests/fixtures/make_id_scenarios.py.
// Each scenario.json names the exit code, the first finding (the root cause), the ids that must be
// there and those that must not; the doctor runs on the root against the frozen knowledge base.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "support/testsupport.hpp"

namespace gpuenv {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// design.md §6, in its order (the tests' copy; the test below also checks it against the design).
const std::vector<std::string>& design_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> v;
    for (auto& f : test::design_findings()) v.push_back(f.id);
    return v;
  }();
  return ids;
}

std::string scenarios_dir() {
  return test::source_dir() + "/tests/fixtures/scenarios";
}

std::vector<std::string> finding_scenarios() {
  std::vector<std::string> out;
  for (auto& e : fs::directory_iterator(scenarios_dir())) {
    std::string name = e.path().filename().string();
    if ((name.starts_with("id-") || name.starts_with("near-")) && fs::exists(e.path() / "scenario.json"))
      out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FindingIds, EveryDesignIdHasATriggerAndANearMiss) {
  std::vector<std::string> missing;
  for (auto& id : design_ids())
    for (const char* prefix : {"id-", "near-"}) {
      fs::path d = fs::path(scenarios_dir()) / (prefix + id);
      if (!fs::exists(d / "scenario.json") || !fs::exists(d / "root")) missing.push_back(prefix + id);
    }
  EXPECT_TRUE(missing.empty()) << ::testing::PrintToString(missing);
}

TEST(FindingIds, TheListIsDesignSection6) {
  // The design lives beside the repository in the project's workspace; in a bare checkout only the
  // list above is checked (by the test before).
  auto section = test::design_section6();
  if (!section) GTEST_SKIP() << "no ../shared/design.md beside the checkout";
  std::set<std::string> in_design;
  for (auto& f : *section) in_design.insert(f.id);
  std::set<std::string> ours(design_ids().begin(), design_ids().end());
  EXPECT_EQ(in_design, ours);
}

TEST(FindingIds, EachScenarioRaisesWhatItNamesAndNothingItMustNot) {
  auto names = finding_scenarios();
  ASSERT_GE(names.size(), 2 * design_ids().size());
  const std::string kb = test::source_dir() + "/tests/fixtures/kb/frozen.json";
  for (auto& name : names) {
    SCOPED_TRACE(name);
    fs::path dir = fs::path(scenarios_dir()) / name;
    json sc = json::parse(test::read_file((dir / "scenario.json").string()));
    std::vector<std::string> args{"doctor", "--json", "--no-cache",           "--kb",
                                  kb,       "--root", (dir / "root").string()};
    const json none = json::array(), no_env = json::object();
    const json& sc_args = sc.contains("args") ? sc["args"] : none;
    const json& sc_env = sc.contains("env") ? sc["env"] : no_env;
    for (auto& a : sc_args) args.push_back(a.get<std::string>());
    std::map<std::string, std::string> env;
    for (auto& [k, v] : sc_env.items()) env[k] = v.get<std::string>();
    auto r = test::run_gpuenv(args, env);
    json report;
    try {
      report = json::parse(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not JSON: " << e.what() << "\n" << r.out << r.err;
      continue;
    }
    std::vector<std::string> ids;
    for (auto& f : report["findings"]) ids.push_back(f["id"].get<std::string>());
    const std::string got = ::testing::PrintToString(ids);
    if (sc.contains("exit") && !sc["exit"].is_null()) {
      EXPECT_EQ(r.exit_code, sc["exit"].get<int>()) << got;
    }
    if (sc.contains("first") && !sc["first"].is_null()) {
      ASSERT_FALSE(ids.empty());
      EXPECT_EQ(ids.front(), sc["first"].get<std::string>()) << got;
    }
    const json& expect = sc.contains("expect") ? sc["expect"] : none;
    const json& absent = sc.contains("absent") ? sc["absent"] : none;
    for (auto& id : expect)
      EXPECT_NE(std::find(ids.begin(), ids.end(), id.get<std::string>()), ids.end())
          << "expected " << id << " in " << got;
    for (auto& id : absent)
      EXPECT_EQ(std::find(ids.begin(), ids.end(), id.get<std::string>()), ids.end())
          << "must not raise " << id << ": " << got;
    // The scenario's own id: the trigger raises it, the near miss must not.
    std::string own = name.substr(name.find('-') + 1);
    bool raised = std::find(ids.begin(), ids.end(), own) != ids.end();
    EXPECT_EQ(raised, name.starts_with("id-")) << own << " in " << got;
  }
}

}  // namespace
}  // namespace gpuenv
