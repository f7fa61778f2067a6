// Problems met while reading (issue 9 + issue 11): each warning is a catalog message, said in the
// user's language in the text and Markdown reports (under its environment, or in "What gpuenv could not
// read" with its path), while the JSON keeps `probe`/`path`/`message` in English (design.md §5) and
// adds the localized text only for another language.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

using nlohmann::json;

constexpr const char* kBanner = "/proc/driver/nvidia/version";

/// A root with an unreadable driver banner and a venv whose base interpreter is gone; `gone_envs`
/// lines of ~/.conda/environments.txt naming environments that no longer exist add as many warnings.
std::string make_root(const TempDir& d, int gone_envs = 0) {
  d.write("root/etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\nPRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\n");
  d.write("root/proc/driver/nvidia/version", "this is not a driver banner\n");
  d.write("root/home/u/.venv/pyvenv.cfg",
          "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n"
          "executable = /usr/bin/python3.11\n");
  d.symlink("/usr/bin/python3.11", "root/home/u/.venv/bin/python");
  d.mkdir("root/home/u/.venv/lib/python3.11/site-packages");
  std::string listed;
  for (int i = 0; i < gone_envs; ++i) listed += "/home/u/gone" + std::to_string(i) + "\n";
  if (gone_envs) d.write("root/home/u/.conda/environments.txt", listed);
  return d.path() + "/root";
}

platform::CommandResult run(const std::string& root, std::vector<std::string> extra,
                            std::map<std::string, std::string> env = {}) {
  std::vector<std::string> args = {"--root", root, "--no-cache"};
  args.insert(args.end(), extra.begin(), extra.end());
  env.emplace("HOME", "/home/u");
  env.emplace("PATH", "");
  return run_gpuenv(args, env);
}

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

TEST(Warnings, DoctorTextNamesTheUnreadableBannerInEnglish) {
  TempDir d;
  auto root = make_root(d);
  auto r = run(root, {"doctor"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  EXPECT_TRUE(has(r.out, "\nWhat gpuenv could not read\n")) << r.out;
  EXPECT_TRUE(has(r.out, "  ! /proc/driver/nvidia/version: unrecognised driver banner\n")) << r.out;
  EXPECT_FALSE(has(r.out, "and ")) << r.out;  // fewer than the limit: no "and N more"
  // The section comes after the diagnosis, just before the status line.
  EXPECT_LT(r.out.find("What gpuenv could not read"), r.out.find("Status:")) << r.out;
}

TEST(Warnings, DoctorTextSaysThemInJapanese) {
  TempDir d;
  auto root = make_root(d);
  for (auto how : {std::string("flag"), std::string("env")}) {
    auto r = how == "flag" ? run(root, {"doctor", "--lang", "ja"})
                           : run(root, {"doctor"}, {{"LANG", "ja_JP.UTF-8"}});
    EXPECT_TRUE(has(r.out, "\ngpuenv が読み取れなかったもの\n")) << how << "\n" << r.out;
    EXPECT_TRUE(
        has(r.out, "  ! /proc/driver/nvidia/version: NVIDIAドライバのバージョン表示を解釈できません\n"))
        << how << "\n"
        << r.out;
    EXPECT_FALSE(has(r.out, "unrecognised driver banner")) << how << "\n" << r.out;
  }
}

TEST(Warnings, AVenvWhoseBaseIsGoneIsSaidUnderItsLine) {
  TempDir d;
  auto root = make_root(d);
  auto en = run(root, {"doctor"}, {{"COLUMNS", "200"}});
  auto line = en.out.find("/home/u/.venv (venv");
  ASSERT_NE(line, std::string::npos) << en.out;
  EXPECT_EQ(en.out.compare(line - 6, 6, "  ✗ "), 0) << en.out;  // it cannot start: marked as broken
  auto next = en.out.find('\n', line) + 1;
  EXPECT_EQ(en.out.substr(next, en.out.find('\n', next) - next),
            "  warning: the base interpreter /usr/bin/python3.11 is gone: this venv cannot start until it is "
            "recreated")
      << en.out;
  auto ja = run(root, {"doctor", "--lang", "ja"}, {{"COLUMNS", "200"}});
  EXPECT_TRUE(has(
      ja.out,
      "\n  警告: 元のインタープリタ /usr/bin/python3.11 がありません。作り直すまでこの仮想環境は起動できませ"
      "ん\n"))
      << ja.out;
  // Markdown: the environment's row says it, and the section lists the banner with its path.
  auto md = run(root, {"doctor", "--format", "markdown"});
  EXPECT_TRUE(has(md.out, "— warning: the base interpreter /usr/bin/python3.11 is gone")) << md.out;
  EXPECT_TRUE(
      has(md.out,
          "#### What gpuenv could not read\n\n- `/proc/driver/nvidia/version`: unrecognised driver banner\n"))
      << md.out;
  auto mdja = run(root, {"doctor", "--format", "markdown", "--lang", "ja"});
  EXPECT_TRUE(
      has(mdja.out, "#### gpuenv が読み取れなかったもの\n\n- `/proc/driver/nvidia/version`: NVIDIAドライバ"))
      << mdja.out;
  EXPECT_TRUE(has(mdja.out, "警告: 元のインタープリタ /usr/bin/python3.11 がありません")) << mdja.out;
}

TEST(Warnings, JsonKeepsEnglishAndAddsTheLocalizedTextOnlyForAnotherLanguage) {
  TempDir d;
  auto root = make_root(d);
  auto en = json::parse(run(root, {"doctor", "--json"}).out);
  auto ja = json::parse(run(root, {"doctor", "--json", "--lang", "ja"}).out);
  auto banner = [](const json& doc) {
    for (auto& w : doc["machine"]["warnings"])
      if (w["path"] == kBanner) return w;
    return json();
  };
  auto we = banner(en), wj = banner(ja);
  ASSERT_TRUE(we.is_object()) << en.dump(1);
  EXPECT_EQ(we["probe"], "driver");
  EXPECT_EQ(we["message"], "unrecognised driver banner");
  EXPECT_EQ(we["id"], "warning.driver.banner");
  EXPECT_FALSE(we.contains("message_localized"));
  ASSERT_TRUE(wj.is_object()) << ja.dump(1);
  EXPECT_EQ(wj["message"], "unrecognised driver banner");  // English whatever the language
  EXPECT_EQ(wj["message_localized"], "NVIDIAドライバのバージョン表示を解釈できません");

  // python_envs[].warnings stays a list of English strings; warnings_localized runs beside it.
  auto env_of = [](const json& doc) {
    for (auto& e : doc["machine"]["python_envs"])
      if (e["path"] == "/home/u/.venv") return e;
    return json();
  };
  auto ee = env_of(en), ej = env_of(ja);
  ASSERT_TRUE(ee.is_object()) << en.dump(1);
  EXPECT_EQ(ee["warnings"], json::array({"the base interpreter /usr/bin/python3.11 is gone: this venv cannot "
                                         "start until it is recreated"}));
  EXPECT_FALSE(ee.contains("warnings_localized"));
  EXPECT_EQ(ej["warnings"], ee["warnings"]);
  EXPECT_EQ(
      ej["warnings_localized"],
      json::array(
          {"元のインタープリタ /usr/bin/python3.11 がありません。作り直すまでこの仮想環境は起動できません"}));
  // `envs --json` the same way.
  auto envs = json::parse(run(root, {"envs", "--json", "--lang", "ja"}).out);
  ASSERT_EQ(envs["python_envs"].size(), 1u);
  EXPECT_EQ(envs["python_envs"][0]["warnings_localized"], ej["warnings_localized"]);
}

TEST(Warnings, ManyAreCutAfterTenUnlessVerbose) {
  TempDir d;
  auto root = make_root(d, 12);  // 12 environments gone + the banner = 13 warnings
  auto doc = json::parse(run(root, {"doctor", "--json"}).out);
  ASSERT_EQ(doc["machine"]["warnings"].size(), 13u) << doc["machine"]["warnings"].dump(1);
  auto r = run(root, {"doctor"});
  auto section = r.out.substr(r.out.find("What gpuenv could not read"));
  std::size_t items = 0;
  for (auto p = section.find("\n  ! "); p != std::string::npos; p = section.find("\n  ! ", p + 1)) ++items;
  EXPECT_EQ(items, 10u) << section;
  EXPECT_TRUE(has(section, "and 3 more (see --json or -v)")) << section;
  EXPECT_TRUE(
      has(section, "  ! /home/u/.conda/environments.txt: lists /home/u/gone0, which no longer exists\n"))
      << section;
  auto v = run(root, {"doctor", "-v"});
  auto all = v.out.substr(v.out.find("What gpuenv could not read"));
  items = 0;
  for (auto p = all.find("\n  ! "); p != std::string::npos; p = all.find("\n  ! ", p + 1)) ++items;
  EXPECT_EQ(items, 13u) << all;
  EXPECT_FALSE(has(all, "more (see")) << all;
  auto ja = run(root, {"doctor", "--lang", "ja"});
  EXPECT_TRUE(has(ja.out, "ほかに 3 件あります（--json または -v で確認できます）")) << ja.out;
}

TEST(Warnings, AReplayedSnapshotIsStillLocalized) {
  TempDir d;
  auto root = make_root(d);
  auto facts = run(root, {"facts", "--json"});
  ASSERT_EQ(facts.exit_code, 0) << facts.err;
  auto file = d.write("facts.json", facts.out);
  auto r = run_gpuenv({"doctor", "--facts", file, "--lang", "ja"}, {{"HOME", "/home/u"}, {"PATH", ""}});
  EXPECT_TRUE(has(r.out, "/proc/driver/nvidia/version: NVIDIAドライバのバージョン表示を解釈できません"))
      << r.out;
  // An id this build does not know (a newer gpuenv wrote the file) falls back to the English message.
  auto j = json::parse(facts.out);
  j["machine"]["warnings"] = json::array(
      {{{"probe", "gpu"},
        {"path", "/sys/x"},
        {"message", "from the future"},
        {"id", "warning.not.known"},
        {"args", json::object()}},
       {{"probe", "gpu"}, {"path", "/sys/y"}, {"message", "args missing"}, {"id", "warning.cannot_read"}}});
  auto file2 = d.write("facts2.json", j.dump());
  auto r2 = run_gpuenv({"doctor", "--facts", file2, "--lang", "ja"}, {{"HOME", "/home/u"}, {"PATH", ""}});
  EXPECT_TRUE(has(r2.out, "  ! /sys/x: from the future\n")) << r2.out;
  EXPECT_TRUE(has(r2.out, "  ! /sys/y: args missing\n")) << r2.out;
}

}  // namespace
}  // namespace gpuenv::test
