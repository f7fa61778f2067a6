// Issue 5: capture → doctor --root on the capture gives the same findings; the capture is redacted.
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::pair<std::string, std::string>> finding_ids(const std::string& json_text) {
  auto j = nlohmann::json::parse(json_text);
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& f : j["findings"]) out.emplace_back(f["id"], f["severity"]);
  return out;
}

// Every file and link target under `dir`, concatenated with the paths, for "contains no X" checks.
std::string everything_in(const std::string& dir) {
  std::string all;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    all += it->path().string() + "\n";
    if (it->is_symlink())
      all += fs::read_symlink(it->path()).string() + "\n";
    else if (it->is_regular_file())
      all += read_file(it->path().string()) + "\n";
  }
  return all;
}

bool contains_word(const std::string& hay, const std::string& word) {
  for (std::size_t pos = hay.find(word); pos != std::string::npos; pos = hay.find(word, pos + 1)) {
    auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
    bool left = pos == 0 || !is_word(hay[pos - 1]);
    bool right = pos + word.size() >= hay.size() || !is_word(hay[pos + word.size()]);
    if (left && right) return true;
  }
  return false;
}

TEST(Capture, ThisMachineRoundTrips) {
  TempDir tmp;
  std::string dest = tmp.path() + "/capture";
  auto cap = run_gpuenv({"capture", dest});
  ASSERT_EQ(cap.exit_code, 0) << cap.err;
  auto live = run_gpuenv({"doctor", "--json", "--no-cache"});
  auto back = run_gpuenv({"doctor", "--json", "--root", dest});
  ASSERT_TRUE(live.exit_code == 0 || live.exit_code == 1) << live.err;
  EXPECT_EQ(live.exit_code, back.exit_code);
  EXPECT_EQ(finding_ids(live.out), finding_ids(back.out));
  auto lj = nlohmann::json::parse(live.out), bj = nlohmann::json::parse(back.out);
  EXPECT_EQ(lj["machine"]["cuda_toolkits"], bj["machine"]["cuda_toolkits"]);
  EXPECT_EQ(lj["machine"]["cudnn"], bj["machine"]["cudnn"]);
  EXPECT_EQ(lj["machine"]["driver"], bj["machine"]["driver"]);
  EXPECT_EQ(lj["machine"]["gpus"], bj["machine"]["gpus"]);
  // No host name in the capture.
  std::string host =
      lj["machine"]["host"]["name"].is_string() ? lj["machine"]["host"]["name"].get<std::string>() : "";
  if (host.size() >= 2) {
    EXPECT_FALSE(contains_word(everything_in(dest), host)) << "host name " << host << " leaked";
  }
  EXPECT_EQ(bj["machine"]["host"]["name"], "host");
  // No user name either ("root" is no secret: /root is where its files are).
  std::string user;
  if (const auto* pw = ::getpwuid(::getuid())) user = pw->pw_name;
  if (user.size() >= 3 && user != "root") {
    EXPECT_FALSE(contains_word(everything_in(dest), user)) << "user name " << user << " leaked";
  }
}

// A scenario root with a user's home, several environments and a CPU torch on a GPU machine: the capture
// names neither the user nor the host, and the doctor on it reaches the same findings (ids, severities,
// the same environments).
TEST(Capture, ScenarioWithAUserHomeRoundTrips) {
  TempDir tmp;
  std::string dest = tmp.path() + "/capture";
  std::string root = source_dir() + "/tests/fixtures/scenarios/fm-activated-conda-first/root";
  auto cap = run_gpuenv({"capture", dest, "--root", root}, {{"USER", "alice"}, {"HOME", "/home/alice"}});
  ASSERT_EQ(cap.exit_code, 0) << cap.err;
  std::string all = everything_in(dest);
  EXPECT_FALSE(contains_word(all, "alice")) << "user name leaked";
  EXPECT_FALSE(contains_word(all, "labpc")) << "host name leaked";
  EXPECT_EQ(all.find("3f1d2c8e-4b5a"), std::string::npos) << "GPU UUID leaked";
  std::string kb = source_dir() + "/tests/fixtures/kb/frozen.json";
  auto a = run_gpuenv({"doctor", "--json", "--kb", kb, "--root", root});
  auto b = run_gpuenv({"doctor", "--json", "--kb", kb, "--root", dest});
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(a.exit_code, b.exit_code);
  auto ids = finding_ids(a.out);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front().first, "torch-cpu-build");
  EXPECT_EQ(ids, finding_ids(b.out));
  auto aj = nlohmann::json::parse(a.out), bj = nlohmann::json::parse(b.out);
  EXPECT_EQ(aj["machine"]["gpus"].size(), bj["machine"]["gpus"].size());
  EXPECT_EQ(aj["machine"]["python_envs"].size(), bj["machine"]["python_envs"].size());
  EXPECT_EQ(aj["machine"]["driver"], bj["machine"]["driver"]);
}

TEST(Capture, FixtureIsRedactedAndReadsBackTheSame) {
  TempDir tmp;
  std::string dest = tmp.path() + "/capture";
  std::string root = fixture_root("chain-proprietary-535");
  auto cap = run_gpuenv({"capture", dest, "--root", root}, {{"USER", "alice"}});
  ASSERT_EQ(cap.exit_code, 0) << cap.err;
  std::string all = everything_in(dest);
  EXPECT_FALSE(contains_word(all, "labpc"));
  EXPECT_EQ(all.find("3f1d2c8e"), std::string::npos) << "GPU UUID leaked";
  auto a = run_gpuenv({"doctor", "--json", "--root", root});
  auto b = run_gpuenv({"doctor", "--json", "--root", dest});
  EXPECT_EQ(finding_ids(a.out), finding_ids(b.out));
  auto aj = nlohmann::json::parse(a.out), bj = nlohmann::json::parse(b.out);
  EXPECT_EQ(aj["machine"]["cuda_toolkits"], bj["machine"]["cuda_toolkits"]);
  EXPECT_EQ(aj["machine"]["driver"], bj["machine"]["driver"]);
}

TEST(Capture, RefusesANonEmptyDirectory) {
  TempDir tmp;
  tmp.write("keep/file", "mine");
  auto cap = run_gpuenv({"capture", tmp.path() + "/keep", "--root", fixture_root("chain-nouveau")});
  EXPECT_EQ(cap.exit_code, 2);
  EXPECT_EQ(read_file(tmp.path() + "/keep/file"), "mine");
}

TEST(Redact, DoctorOutputHasNoHostOrUuid) {
  for (const char* scenario : {"chain-proprietary-535", "chain-open-570", "chain-multi-toolkit"}) {
    auto r = run_gpuenv({"doctor", "--json", "--redact", "--root", fixture_root(scenario)});
    auto plain = run_gpuenv({"doctor", "--json", "--root", fixture_root(scenario)});
    auto host = nlohmann::json::parse(plain.out)["machine"]["host"]["name"].get<std::string>();
    EXPECT_FALSE(contains_word(r.out, host)) << scenario;
    EXPECT_EQ(r.out.find("GPU-0000"), r.out.find("GPU-")) << "only redacted UUIDs: " << scenario;
  }
}

// The GPU code compiled into torch decides gpu-arch-not-in-torch-build: the capture carries a small
// stand-in with the same targets (never the library), so the finding survives the round trip.
TEST(Capture, GpuTargetsOfFrameworkLibrariesSurvive) {
  TempDir tmp;
  std::string dest = tmp.path() + "/capture";
  std::string root = source_dir() + "/tests/fixtures/scenarios/fm-15-rtx5090-cu124/root";
  auto cap = run_gpuenv({"capture", dest, "--root", root}, {{"USER", "sora"}, {"HOME", "/home/sora"}});
  ASSERT_EQ(cap.exit_code, 0) << cap.err;
  std::string all = everything_in(dest);
  EXPECT_FALSE(contains_word(all, "sora")) << "user name leaked";
  EXPECT_FALSE(contains_word(all, "blackwell")) << "host name leaked";
  std::string kb = source_dir() + "/tests/fixtures/kb/frozen.json";
  auto a = run_gpuenv({"doctor", "--json", "--kb", kb, "--root", root});
  auto b = run_gpuenv({"doctor", "--json", "--kb", kb, "--root", dest});
  auto ids = finding_ids(a.out);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front().first, "gpu-arch-not-in-torch-build");
  EXPECT_EQ(ids, finding_ids(b.out));
  EXPECT_EQ(a.exit_code, b.exit_code);
  auto torch_of = [](const std::string& out) {
    auto doc = nlohmann::json::parse(out);
    for (auto& e : doc["machine"]["python_envs"])
      if (e["packages"].contains("torch")) return e["packages"]["torch"]["arch_list"];
    return nlohmann::json();
  };
  EXPECT_EQ(torch_of(a.out), torch_of(b.out));
  EXPECT_FALSE(torch_of(b.out).empty());
}

}  // namespace
}  // namespace gpuenv::test
