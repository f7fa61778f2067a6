// Privacy (issue 11): `--redact` output of every golden scenario root holds none of the user names,
// host names or GPU UUIDs planted in it; the report carries only the environment variables design.md
// §5 lists. The roots are discovered (tests/fixtures/roots/*, tests/fixtures/scenarios/*/root), so
// scenarios added later are covered without editing this file. Each root is copied to a temporary
// directory and seeded with: a host name (/etc/hostname, /etc/HOSTNAME, /proc/sys/kernel/hostname),
// a user's home with a virtual environment, fresh GPU UUIDs in the driver's information files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kUser = "zqmallory";
constexpr const char* kHost = "zq-secret-host7";
constexpr const char* kSecretEnv = "zq-api-token-4242";

std::vector<fs::path> scenario_roots() {
  std::vector<fs::path> roots;
  fs::path fx = fs::path(source_dir()) / "tests" / "fixtures";
  for (auto& e : fs::directory_iterator(fx / "roots"))
    if (e.is_directory()) roots.push_back(e.path());
  std::error_code ec;
  if (fs::is_directory(fx / "scenarios", ec))
    for (auto& e : fs::directory_iterator(fx / "scenarios"))
      if (fs::is_directory(e.path() / "root")) roots.push_back(e.path() / "root");
  std::sort(roots.begin(), roots.end());
  return roots;
}

void put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  fs::remove(p);  // a fixture may have a link there
  std::ofstream(p, std::ios::binary) << text;
}

// Every secret the copy of `root` at `dst` holds after planting: user names, host names, UUIDs.
std::set<std::string> plant(const fs::path& dst) {
  std::set<std::string> secrets = {kUser, kHost, kSecretEnv};
  put(dst / "etc/hostname", std::string(kHost) + "\n");
  put(dst / "etc/HOSTNAME", std::string(kHost) + "\n");
  put(dst / "proc/sys/kernel/hostname", std::string(kHost) + "\n");
  fs::path venv = dst / "home" / kUser / "proj" / ".venv";
  put(venv / "pyvenv.cfg", "home = /usr/bin\nversion = 3.11.2\ninclude-system-site-packages = false\n");
  put(venv / "lib/python3.11/site-packages/torch-2.5.1+cu124.dist-info/METADATA",
      "Metadata-Version: 2.1\nName: torch\nVersion: 2.5.1+cu124\n");
  put(dst / "home" / kUser / ".bashrc", "export PATH=/home/" + std::string(kUser) + "/bin:$PATH\n");
  // Users already in the fixture (alice, bob, eve, ...) are secrets too.
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dst / "home", ec))
    if (e.is_directory()) secrets.insert(e.path().filename().string());
  // GPU UUIDs: every information file gets a fresh one (and its old one stays a secret if shown).
  const std::regex uuid_re("GPU-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  int n = 0;
  for (auto it = fs::recursive_directory_iterator(dst, fs::directory_options::none, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec || it->is_symlink() || !it->is_regular_file()) continue;
    if (it->path().filename() != "information") continue;
    std::string text = read_file(it->path().string());
    char fresh[64];
    std::snprintf(fresh, sizeof fresh, "GPU-9e8d7c6b-5a49-3827-1605-f4e3d2c1b%03d", n++);
    for (std::sregex_iterator m(text.begin(), text.end(), uuid_re), end; m != end; ++m)
      secrets.insert(m->str().substr(4));
    if (std::regex_search(text, uuid_re))
      text = std::regex_replace(text, uuid_re, fresh);
    else
      text += std::string("GPU UUID: \t ") + fresh + "\n";
    secrets.insert(std::string(fresh).substr(4));
    put(it->path(), text);
  }
  return secrets;
}

// Whether `word` occurs in `text` as a whole word (user names of three letters could be inside words).
bool has_word(const std::string& text, const std::string& word) {
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
  for (auto pos = text.find(word); pos != std::string::npos; pos = text.find(word, pos + 1)) {
    bool left = pos == 0 || !is_word(text[pos - 1]);
    bool right = pos + word.size() >= text.size() || !is_word(text[pos + word.size()]);
    if (left && right) return true;
  }
  return false;
}

// Whether /home/NAME occurs as a whole path component ("/home/u" is not in "/home/user1").
bool has_home(const std::string& text, const std::string& name) {
  const std::string from = "/home/" + name;
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + 1)) {
    auto end = pos + from.size();
    if (end >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_' ||
                                text[end] == '-' || text[end] == '.'))
      return true;
  }
  return false;
}

TEST(Privacy, RedactedOutputOfEveryScenarioHoldsNoPlantedSecret) {
  auto roots = scenario_roots();
  ASSERT_GE(roots.size(), 12u) << "fixture roots went missing";
  for (auto& root : roots) {
    SCOPED_TRACE(root.string());
    TempDir tmp;
    fs::path dst = fs::path(tmp.path()) / "root";
    // id-/near- scenarios reuse a chain root through a link: copy what it points to.
    fs::copy(fs::canonical(root), dst, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    auto secrets = plant(dst);
    std::map<std::string, std::string> env = {{"HOME", "/home/" + std::string(kUser)},
                                              {"USER", kUser},
                                              {"LOGNAME", kUser},
                                              {"PATH", "/home/" + std::string(kUser) + "/bin:/usr/bin"},
                                              {"VIRTUAL_ENV", "/home/" + std::string(kUser) + "/proj/.venv"},
                                              {"GPUENV_TEST_SECRET_TOKEN", kSecretEnv},
                                              {"HOSTNAME", kHost}};
    // The control: without --redact the planted secrets are there to be found (the planting works).
    auto plain = run_gpuenv({"facts", "--json", "--root", dst.string(), "--no-cache"}, env);
    EXPECT_NE(plain.out.find(kHost), std::string::npos) << "the planted host name is not read";
    EXPECT_NE(plain.out.find("/home/" + std::string(kUser)), std::string::npos)
        << "the planted venv is not found";
    if (secrets.count("9e8d7c6b-5a49-3827-1605-f4e3d2c1b000") &&
        plain.out.find("\"uuid\": \"GPU-") != std::string::npos) {
      EXPECT_NE(plain.out.find("GPU-9e8d7c6b-5a49-3827-1605-f4e3d2c1b000"), std::string::npos);
    }
    const std::vector<std::vector<std::string>> commands = {{"doctor", "--redact"},
                                                            {"doctor", "--redact", "--json"},
                                                            {"doctor", "--redact", "--format", "markdown"},
                                                            {"facts", "--redact", "--json"},
                                                            {"facts", "--redact"},
                                                            {"envs", "--redact"},
                                                            {"envs", "--redact", "--json"},
                                                            {"doctor", "--redact", "-v"}};
    for (auto args : commands) {
      std::string shown;
      for (auto& a : args) shown += a + " ";
      SCOPED_TRACE(shown);
      args.insert(args.end(), {"--root", dst.string(), "--no-cache"});
      auto r = run_gpuenv(args, env);
      ASSERT_TRUE(r.status == platform::CommandResult::Status::exited &&
                  (r.exit_code == 0 || r.exit_code == 1))
          << r.exit_code << "\n"
          << r.err;
      std::string all = r.out + "\n" + r.err;
      for (auto& s : secrets) {
        if (s.size() >= 3) {
          EXPECT_FALSE(has_word(all, s)) << "'" << s << "' is in the output:\n" << all.substr(0, 3000);
        }
        EXPECT_FALSE(has_home(all, s)) << "/home/" << s << " is in the output";
      }
      EXPECT_EQ(all.find(tmp.path()), std::string::npos) << "the host path of the root is in the output";
    }
  }
}

TEST(Privacy, ReportCarriesOnlyTheEnvironmentVariablesDesignLists) {
  const std::set<std::string> listed(design_env_vars().begin(), design_env_vars().end());
  auto r = run_gpuenv({"doctor", "--json", "--root", fixture_root("envs-pip"), "--no-cache"},
                      {{"GPUENV_TEST_SECRET_TOKEN", kSecretEnv}, {"AWS_SECRET_ACCESS_KEY", kSecretEnv}});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto j = json::parse(r.out);
  ASSERT_TRUE(j["machine"]["env_vars"].is_object()) << r.out.substr(0, 500);
  for (auto& [k, v] : j["machine"]["env_vars"].items()) EXPECT_TRUE(listed.count(k)) << k << " is reported";
  EXPECT_EQ(r.out.find(kSecretEnv), std::string::npos);
}

}  // namespace
}  // namespace gpuenv::test
