// `gpuenv fleet` and `gpuenv export` end to end, on the 25-node lab of tests/fixtures/fleet.
// Golden files: tests/fixtures/fleet/golden (GPUENV_UPDATE_GOLDEN=1 rewrites them).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string_view>
#include <thread>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

std::string reports() {
  return source_dir() + "/tests/fixtures/fleet/reports";
}
std::string report(const std::string& name) {
  return reports() + "/" + name;
}

/// Paths in the output as the golden files hold them.
std::string normalise(std::string s) {
  std::string from = source_dir();
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p))
    s.replace(p, from.size(), "<src>");
  return s;
}

void golden(const std::string& name, const std::string& actual) {
  std::string path = source_dir() + "/tests/fixtures/fleet/golden/" + name;
  if (update_golden()) {
    write_file(path, actual);
    return;
  }
  EXPECT_EQ(actual, read_file(path)) << "golden " << name << " (GPUENV_UPDATE_GOLDEN=1 to rewrite)";
}

platform::CommandResult run_with_stdin(const std::vector<std::string>& args, const std::string& input) {
  platform::Command c;
  c.argv.push_back(gpuenv_binary());
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.stdin_data = input;
  c.env["NO_COLOR"] = "1";
  for (const char* k : {"LANG", "LC_ALL", "LC_MESSAGES"}) c.env[k] = std::nullopt;
  c.timeout = std::chrono::seconds(60);
  platform::RealCommandRunner r;
  return r.run(c);
}

std::string compact(const std::string& file) {
  return nlohmann::json::parse(read_file(file)).dump() + "\n";
}

TEST(FleetCli, GoldenText) {
  auto r = run_gpuenv({"fleet", reports(), "--no-color"});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // gpu05, gpu09, old03, nodrv01 have error findings
  golden("fleet.txt", normalise(r.out));
}

TEST(FleetCli, GoldenTextJapanese) {
  auto r = run_gpuenv({"fleet", reports(), "--no-color", "--lang", "ja"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  golden("fleet.ja.txt", normalise(r.out));
}

TEST(FleetCli, GoldenJson) {
  auto r = run_gpuenv({"fleet", reports(), "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["summary"]["nodes"], 25);
  EXPECT_EQ(j["summary"]["skipped_inputs"], 4);
  golden("fleet.json", normalise(r.out));
}

TEST(FleetCli, GoldenMarkdown) {
  auto r = run_gpuenv({"fleet", reports(), "--format", "markdown"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  golden("fleet.md", normalise(r.out));
}

TEST(FleetCli, WhichNodesCanRunThisTorch) {
  auto r = run_gpuenv({"fleet", reports(), "--no-color", "--torch", "==2.11.*", "--variant", "cu130"});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // still the fleet's status
  auto from = r.out.find("\nWho can run it\n");
  ASSERT_NE(from, std::string::npos) << r.out;
  golden("fleet-query.txt", r.out.substr(from + 1, r.out.find("\nSkipped inputs\n") - from));
  auto j = nlohmann::json::parse(
      run_gpuenv({"fleet", reports(), "--json", "--torch", "==2.11.*", "--variant", "cu130"}).out);
  EXPECT_EQ(j["query"]["torch"], "==2.11.*");
  EXPECT_EQ(j["query"]["variant"], "cu130");
  EXPECT_EQ(j["query"]["can"], nlohmann::json::parse(R"(["hgx01", "hgx02", "hgx03", "mix01"])"));
  EXPECT_EQ(j["query"]["cannot"].size(), 21u);
  for (auto& n : j["nodes"]) {
    if (n["name"] == "mix01") {
      EXPECT_EQ(n["query"]["cuda_visible_devices"], "0");
    }
    if (n["name"] == "old01") {
      EXPECT_EQ(n["query"]["reasons"][0]["id"], "driver-too-old-for-torch");
      EXPECT_EQ(n["query"]["reasons"][1]["id"], "gpu-arch-not-in-torch-build");
    }
  }
  auto ja = run_gpuenv({"fleet", reports(), "--no-color", "--lang", "ja", "--variant", "cu130"});
  EXPECT_NE(ja.out.find("torch （任意のリリース）（cu130）: 25 台中 4 台で実行できます"), std::string::npos)
      << ja.out;
}

TEST(FleetCli, QueryUsageErrors) {
  auto spec = run_gpuenv({"fleet", reports(), "--torch", "banana"});
  EXPECT_EQ(spec.exit_code, 2);
  EXPECT_EQ(spec.err,
            "error: --torch banana: not a PEP 440 version specifier (for example ==2.11.*, >=2.9,<2.12)\n");
  auto variant = run_gpuenv({"fleet", reports(), "--variant", "cpu"});
  EXPECT_EQ(variant.exit_code, 2);
  EXPECT_EQ(variant.err, "error: --variant cpu: use a CUDA build name such as cu126 or cu130\n");
}

TEST(FleetCli, HealthyFleetExitsZero) {
  auto r =
      run_gpuenv({"fleet", report("hgx01.json"), report("hgx02.json"), report("login1.json"), "--no-color"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Fleet status: ok\n"), std::string::npos) << r.out;
}

TEST(FleetCli, StdinJsonLines) {
  std::string in =
      compact(report("hgx01.json")) + compact(report("old03.json")) + "\n" + compact(report("ws01.json"));
  auto r = run_with_stdin({"fleet", "-", "--json"}, in);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["nodes"].size(), 3u);
  EXPECT_EQ(j["nodes"][0]["name"], "hgx01");
  EXPECT_EQ(j["nodes"][0]["source"], "stdin:1");
  EXPECT_EQ(j["nodes"][1]["name"], "old03");
  EXPECT_EQ(j["nodes"][1]["status"], "problems");
  EXPECT_EQ(j["nodes"][2]["source"], "stdin:4");
}

TEST(FleetCli, StdinPdshOutput) {
  // What `pdsh -w n[1-2] gpuenv doctor --json` prints: pretty JSON, every line prefixed, interleaved.
  std::string a = read_file(report("hgx01.json")), b = read_file(report("login1.json"));
  auto lines = [](const std::string& s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
      auto nl = s.find('\n', pos);
      out.push_back(s.substr(pos, nl - pos));
      pos = nl + 1;
    }
    return out;
  };
  auto la = lines(a), lb = lines(b);
  std::string in;
  for (std::size_t i = 0; i < std::max(la.size(), lb.size()); ++i) {
    if (i < la.size()) in += "n1: " + la[i] + "\n";
    if (i < lb.size()) in += "n2: " + lb[i] + "\n";
  }
  in += "pdsh@login: n3: ssh exited with exit code 255\n";
  auto r = run_with_stdin({"fleet", "-", "--json"}, in);
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["nodes"].size(), 2u) << r.out;
  EXPECT_EQ(j["nodes"][0]["name"], "n1");  // pdsh's name, not the report's host name
  EXPECT_EQ(j["nodes"][0]["report"]["host"], "hgx01");
  EXPECT_EQ(j["nodes"][1]["name"], "n2");
  ASSERT_EQ(j["skipped"].size(), 1u);
  EXPECT_EQ(j["skipped"][0]["reason"],
            "neither a JSON document nor \"NODE: text\": pdsh@login: n3: ssh exited with exit code 255");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(FleetCli, OnlyUnusableInputs) {
  auto r = run_gpuenv({"fleet", report("broken.json"), report("future.json"), "--no-color"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(
      normalise(r.out),
      "Fleet: 0 nodes — 0 ok, 0 with problems, 0 without GPU, 0 not surveyed\n"
      "\n"
      "Skipped inputs\n"
      "  <src>/tests/fixtures/fleet/reports/broken.json: not JSON: parse error at line 2, column 1: syntax "
      "error while parsing object - unexpected end of input; expected '}'\n"
      "  <src>/tests/fixtures/fleet/reports/future.json: schema_version 2: this gpuenv reads version 1; use "
      "a matching gpuenv to read it\n"
      "\n"
      "Fleet status: problems\n");
}

TEST(FleetCli, UsageErrors) {
  auto none = run_gpuenv({"fleet"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err, "error: give report files, directories or - (stdin), or use --slurm\n");
  auto mixed = run_gpuenv({"fleet", "--slurm", report("hgx01.json")});
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("arguments for srun go after --"), std::string::npos) << mixed.err;
}

TEST(FleetCli, SlurmRefusesToGuessWithoutSrun) {
  TempDir empty;
  auto r = run_gpuenv({"fleet", "--slurm"}, {{"PATH", empty.path()}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("error: `srun` is not on PATH: this is not a Slurm submit host"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("pdsh -w 'node[01-40]' gpuenv doctor --json | gpuenv fleet -"), std::string::npos)
      << r.err;
}

TEST(FleetCli, RedactHidesNodeAndUserNames) {
  auto r = run_gpuenv({"fleet", reports(), "--no-color", "--redact"});
  EXPECT_EQ(r.exit_code, 1);
  for (auto secret : {"gpu05", "hgx01", "login1", "old03", "alice", "carol"})
    EXPECT_EQ(r.out.find(secret), std::string::npos) << secret << "\n" << r.out;
  EXPECT_NE(r.out.find("\n      node[02-13]\n"), std::string::npos) << r.out;  // the 12 A100 nodes, renamed
}

// Reports recorded now, with `doctor --json --root`, from every fixture machine of the repository
// (the chain scenarios and whatever else lands there): the fleet reads each one as that machine's
// doctor said it, and its exit status is the worst of them.
TEST(FleetCli, RecordedFromEveryFixtureRoot) {
  TempDir t;
  std::map<std::string, std::string> status;  // file stem → doctor's status
  for (auto& e : std::filesystem::directory_iterator(source_dir() + "/tests/fixtures/roots")) {
    if (!e.is_directory()) continue;
    std::string name = e.path().filename().string();
    auto d = run_gpuenv({"doctor", "--json", "--root", e.path().string()}, {{"GPUENV_TODAY", "2026-11-30"}});
    ASSERT_TRUE(d.exit_code == 0 || d.exit_code == 1) << name << ": " << d.err;
    t.write(name + ".json", d.out);
    status[name] = nlohmann::json::parse(d.out)["status"];
  }
  ASSERT_GE(status.size(), 9u);
  auto r = run_gpuenv({"fleet", t.path(), "--json"});
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["nodes"].size(), status.size()) << r.out;
  EXPECT_TRUE(j["skipped"].empty()) << r.out;
  bool problems = false;
  for (auto& n : j["nodes"]) {
    std::string source = n["source"];
    std::string stem = source.substr(source.rfind('/') + 1);
    stem = stem.substr(0, stem.size() - 5);
    EXPECT_EQ(n["state"], "surveyed") << stem;
    EXPECT_EQ(n["status"], status.at(stem)) << stem;
    problems |= status.at(stem) == "problems";
  }
  EXPECT_EQ(r.exit_code, problems ? 1 : 0);
  EXPECT_EQ(j["status"], problems ? "problems" : "ok");
  auto text = run_gpuenv({"fleet", t.path(), "--no-color"});
  EXPECT_EQ(text.exit_code, r.exit_code);
  EXPECT_NE(text.out.find("\nGroups\n"), std::string::npos) << text.out;
}

TEST(ExportCli, NfdFileFromAReport) {
  TempDir t;
  std::string out = t.path() + "/etc/kubernetes/node-feature-discovery/features.d/gpuenv";
  auto r = run_gpuenv({"export", "nfd", "--report", report("hgx01.json"), "--output", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "wrote " + out + "\n");
  golden("nfd-hgx01.txt", read_file(out));
  auto text = read_file(out);
  EXPECT_LE(text.size(), 65536u);
}

// What NFD sees while `gpuenv export nfd` rewrites its file: the old labels or the new ones, never
// a part, and never a second (temporary) file that NFD would read as labels of its own.
TEST(ExportCli, NfdReaderNeverSeesAPartialFile) {
  TempDir t;
  std::string dir = t.path() + "/features.d", out = dir + "/gpuenv";
  std::string a = run_gpuenv({"export", "nfd", "--report", report("hgx01.json"), "--output", "-"}).out;
  std::string b = run_gpuenv({"export", "nfd", "--report", report("login1.json"), "--output", "-"}).out;
  ASSERT_NE(a, b);
  ASSERT_EQ(run_gpuenv({"export", "nfd", "--report", report("hgx01.json"), "--output", out}).exit_code, 0);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, bad{0}, stray{0};
  std::thread reader([&] {
    while (!done) {
      std::string got = read_file(out);
      if (got != a && got != b) ++bad;
      for (auto& e : std::filesystem::directory_iterator(dir)) {
        std::string n = e.path().filename().string();
        if (n != "gpuenv" && n[0] != '.') ++stray;
      }
      ++reads;
    }
  });
  for (int i = 0; i < 20; ++i) {
    auto r = run_gpuenv(
        {"export", "nfd", "--report", report(i % 2 ? "hgx01.json" : "login1.json"), "--output", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  done = true;
  reader.join();
  EXPECT_GT(reads, 20);
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(stray, 0);
  EXPECT_EQ(read_file(out), a);
}

TEST(ExportCli, NfdExpiryAndPrefix) {
  auto r = run_gpuenv({"export", "nfd", "--report", report("login1.json"), "--output", "-", "--expires-in",
                       "12h", "--prefix", "lab.example.org"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // "# +expiry-time=YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC), then the labels.
  auto at = r.out.find("\n# +expiry-time=");
  ASSERT_NE(at, std::string::npos) << r.out;
  std::string stamp = r.out.substr(at + 16, 20);
  const std::string_view shape = "dddd-dd-ddTdd:dd:ddZ";
  ASSERT_EQ(stamp.size(), shape.size()) << r.out;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd')
      EXPECT_TRUE(stamp[i] >= '0' && stamp[i] <= '9') << stamp;
    else
      EXPECT_EQ(stamp[i], shape[i]) << stamp;
  }
  EXPECT_EQ(r.out.substr(at + 36, 31), "\nlab.example.org/status=no-gpu\n") << r.out;
  auto bad = run_gpuenv({"export", "nfd", "--report", report("login1.json"), "--prefix", "Not_A_Domain"});
  EXPECT_EQ(bad.exit_code, 2);
  auto dur = run_gpuenv({"export", "nfd", "--report", report("login1.json"), "--expires-in", "soon"});
  EXPECT_EQ(dur.exit_code, 2);
  EXPECT_EQ(dur.err, "error: --expires-in soon: use a number with s, m, h or d (for example 12h)\n");
}

TEST(ExportCli, NfdOfThisMachine) {
  // Read through --root like any reading command; the stub probes see no GPU in an empty tree.
  auto r = run_gpuenv({"export", "nfd", "--root", fixture_root("empty"), "--output", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\ngpuenv.io/status=no-gpu\ngpuenv.io/healthy=true\ngpuenv.io/gpu.count=0\n"),
            std::string::npos)
      << r.out;
}

TEST(ExportCli, NfdWriteFailureNamesThePath) {
  TempDir t;
  t.write("file", "");
  auto r =
      run_gpuenv({"export", "nfd", "--report", report("login1.json"), "--output", t.path() + "/file/gpuenv"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: cannot write the labels: " + t.path() + "/file: not a directory\n");
}

TEST(ExportCli, SlurmFeatures) {
  auto one = run_gpuenv({"export", "slurm", "--report", report("hgx01.json")});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, "NodeName=hgx01 Features=cc90,drv580,cuda13.0,cu130\n");
  auto json = run_gpuenv({"export", "slurm", "--report", report("mix01.json"), "--json"});
  EXPECT_EQ(nlohmann::json::parse(json.out), nlohmann::json::parse(R"({"schema_version": 1, "node": "mix01",
                                      "features": ["cc61", "cc86", "drv580", "cuda13.0", "cu126"]})"));
  auto login = run_gpuenv({"export", "slurm", "--report", report("login1.json")});
  EXPECT_EQ(login.out, "# NodeName=login1: no NVIDIA GPU: no gpuenv features\n");
  auto all = run_gpuenv({"export", "slurm", "--report", reports()});
  EXPECT_EQ(all.exit_code, 0);
  golden("slurm-features.txt", all.out);
}

TEST(ExportCli, AnsibleFacts) {
  TempDir t;
  std::string out = t.path() + "/etc/ansible/facts.d/gpuenv.fact";
  auto r = run_gpuenv({"export", "ansible", "--report", report("old03.json"), "--output", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  golden("ansible-old03.json", read_file(out));
  auto many = run_gpuenv({"export", "ansible", "--report", reports()});
  EXPECT_EQ(many.exit_code, 2);
}

}  // namespace
}  // namespace gpuenv::test
