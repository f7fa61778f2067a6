// The bounded home walk, on an in-memory file system: a home with thousands of directories costs
// nothing to build here (on a real disk, creating and removing them takes seconds; the e2e "slow"
// test does that once).
#include "probes/python_walk.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "probes/python.hpp"

namespace gpuenv::probes {
namespace {

using platform::FileKind;

class FakeFs final : public platform::FileSystem {
 public:
  void dir(const std::string& p) {
    for (std::string cur = p; cur != "/"; cur = platform::dirname(cur)) {
      if (nodes_.count(cur)) break;
      nodes_[cur] = {FileKind::directory, {}};
      children_[platform::dirname(cur)].insert(std::string(platform::basename(cur)));
    }
    nodes_["/"] = {FileKind::directory, {}};
  }
  void file(const std::string& p, std::string content) {
    dir(platform::dirname(p));
    nodes_[p] = {FileKind::regular, std::move(content)};
    children_[platform::dirname(p)].insert(std::string(platform::basename(p)));
  }
  void special(const std::string& p, FileKind kind) {  // a FIFO, device node or socket
    dir(platform::dirname(p));
    nodes_[p] = {kind, {}};
    children_[platform::dirname(p)].insert(std::string(platform::basename(p)));
  }
  void link(const std::string& p) {  // a symlink the walk must not follow
    dir(platform::dirname(p));
    nodes_[p] = {FileKind::symlink, {}};
    children_[platform::dirname(p)].insert(std::string(platform::basename(p)));
  }

  platform::ReadResult read(std::string_view path, std::size_t cap) const override {
    record(platform::Access::Kind::read, path);
    platform::ReadResult r;
    auto it = nodes_.find(std::string(path));
    if (it == nodes_.end() || it->second.kind != FileKind::regular) return r;
    r.status = platform::ReadResult::Status::ok;
    r.data = it->second.content.substr(0, cap);
    return r;
  }
  platform::ListResult list(std::string_view path, std::size_t cap) const override {
    record(platform::Access::Kind::list, path);
    platform::ListResult r;
    auto it = children_.find(std::string(path));
    if (it == children_.end()) return r;
    for (auto& name : it->second) {
      if (r.entries.size() >= cap) {
        r.truncated = true;
        break;
      }
      r.entries.push_back({name, nodes_.at(platform::join(path, name)).kind});
    }
    return r;
  }
  platform::FileStat stat(std::string_view path) const override {
    platform::FileStat s;
    auto it = nodes_.find(std::string(path));
    if (it != nodes_.end() && it->second.kind != FileKind::symlink) s.kind = it->second.kind;
    return s;
  }
  platform::FileStat lstat(std::string_view path) const override {
    platform::FileStat s;
    if (auto it = nodes_.find(std::string(path)); it != nodes_.end()) s.kind = it->second.kind;
    return s;
  }
  std::optional<std::string> read_link(std::string_view) const override { return std::nullopt; }
  std::optional<std::string> real_path(std::string_view path) const override {
    auto it = nodes_.find(std::string(path));
    if (it == nodes_.end() || it->second.kind == FileKind::symlink) return std::nullopt;
    return std::string(path);
  }
  std::optional<std::string> host_path(std::string_view) const override { return std::nullopt; }
  bool can_open_rw(std::string_view) const override { return false; }
  bool is_live() const override { return false; }

  std::size_t lists_under(const std::string& prefix) const {
    std::size_t n = 0;
    for (auto& a : accesses())
      if (a.kind == platform::Access::Kind::list && a.path.starts_with(prefix)) ++n;
    return n;
  }

 private:
  struct Node {
    FileKind kind;
    std::string content;
  };
  std::map<std::string, Node> nodes_;
  std::map<std::string, std::set<std::string>> children_;
};

TEST(HomeWalk, StaysBoundedInAHomeWithFiveThousandDirectories) {
  FakeFs fs;
  for (int a = 0; a < 100; ++a)
    for (int b = 0; b < 50; ++b) fs.dir("/home/u/a" + std::to_string(a) + "/b" + std::to_string(b));
  fs.file("/home/u/a0/b0/pyvenv.cfg", "home = /usr/bin\nversion = 3.11.2\n");  // depth 2: found first
  WalkLimits limits;
  auto r = walk_home_for_envs(fs, "/home/u", limits);
  EXPECT_EQ(r.venvs, (std::vector<std::string>{"/home/u/a0/b0"}));
  EXPECT_EQ(r.listed, 3000u);
  EXPECT_EQ(fs.lists_under("/home/u"), 3000u);
  ASSERT_TRUE(r.stopped_at);
  auto said = describe_walk_limits(r, "/home/u", limits);
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0].id, "warning.python.walk.stopped");
  EXPECT_EQ(
      said[0].en(),
      "search for pyvenv.cfg under /home/u: stopped after listing 3000 directories, before " + *r.stopped_at);
  EXPECT_EQ(said[0].render(i18n::Lang::ja),
            "/home/u 以下の pyvenv.cfg の検索: ディレクトリを 3000 個読んだところで、" + *r.stopped_at +
                " の前で止めました");
}

TEST(HomeWalk, PyvenvCfgThatIsNotARegularFileIsNamedNotTaken) {
  FakeFs fs;
  fs.special("/home/u/fifo/pyvenv.cfg", FileKind::fifo);
  fs.special("/home/u/dev/pyvenv.cfg", FileKind::device);
  fs.file("/home/u/real/pyvenv.cfg", "home = /usr/bin\n");
  auto r = walk_home_for_envs(fs, "/home/u", {});
  EXPECT_EQ(r.venvs, (std::vector<std::string>{"/home/u/real"}));
  EXPECT_EQ(r.not_regular, (std::vector<std::string>{"/home/u/dev/pyvenv.cfg", "/home/u/fifo/pyvenv.cfg"}));
}

TEST(HomeWalk, ReportedAsAWarningOfThePythonProbe) {
  FakeFs fs;
  for (int a = 0; a < 100; ++a)
    for (int b = 0; b < 50; ++b) fs.dir("/home/u/a" + std::to_string(a) + "/b" + std::to_string(b));
  platform::MapEnvironment env({{"HOME", "/home/u"}, {"PATH", ""}});
  ProbeContext ctx{fs, env, kb::KnowledgeBase::builtin(), std::nullopt, {}, {}, {}, {}};
  facts::Machine m;
  probe_python(ctx, m);
  EXPECT_TRUE(m.python_envs.empty());
  ASSERT_EQ(ctx.warnings.size(), 1u);
  EXPECT_EQ(ctx.warnings[0].path, "/home/u");
  EXPECT_EQ(ctx.warnings[0].id, "warning.python.walk.stopped");
  EXPECT_EQ(
      ctx.warnings[0].message.rfind("search for pyvenv.cfg under /home/u: stopped after listing 3000", 0),
      0u);
  EXPECT_LE(fs.lists_under("/home/u/"), 3000u + 20u);  // + the fixed places (~/.pyenv/versions, ...)
}

TEST(HomeWalk, SkipsLargeHiddenDeepAndLinkedDirectories) {
  FakeFs fs;
  for (int i = 0; i < 1500; ++i) fs.dir("/home/u/data/" + std::to_string(i));
  fs.file("/home/u/data/0/pyvenv.cfg", "version = 3.11.2\n");  // inside a directory too large to enter
  fs.file("/home/u/.hidden/env/pyvenv.cfg", "version = 3.11.2\n");
  fs.file("/home/u/proj/.venv/pyvenv.cfg", "version = 3.12.1\n");  // hidden, but the usual name: checked
  fs.file("/home/u/1/2/3/ok/pyvenv.cfg", "version = 3.10.1\n");    // depth 4
  fs.file("/home/u/1/2/3/4/too-deep/pyvenv.cfg", "version = 3.9.1\n");
  fs.file("/home/u/node_modules/x/pyvenv.cfg", "");
  fs.file("/home/u/conda-env/conda-meta/python-3.12.0-0.json", "{}");
  fs.file("/home/u/conda-env/sub/pyvenv.cfg", "");  // inside an environment: not entered
  fs.link("/home/u/loop");
  WalkLimits limits;
  auto r = walk_home_for_envs(fs, "/home/u", limits);
  EXPECT_EQ(r.venvs, (std::vector<std::string>{"/home/u/proj/.venv", "/home/u/1/2/3/ok"}));
  EXPECT_EQ(r.conda_envs, (std::vector<std::string>{"/home/u/conda-env"}));
  EXPECT_EQ(r.skipped_large, (std::vector<std::string>{"/home/u/data"}));
  EXPECT_EQ(r.below_depth, 1u);
  EXPECT_FALSE(r.stopped_at);
  auto said = describe_walk_limits(r, "/home/u", limits);
  ASSERT_EQ(said.size(), 2u);
  EXPECT_EQ(said[0].en(),
            "search for pyvenv.cfg under /home/u: skipped 1 directories with more than 1000 entries "
            "(/home/u/data)");
  EXPECT_EQ(said[1].en(),
            "search for pyvenv.cfg under /home/u: did not enter 1 directories deeper than 4 levels");
}

TEST(HomeWalk, NothingToSayWhenEverythingWasSearched) {
  FakeFs fs;
  fs.file("/home/u/p/venv/pyvenv.cfg", "version = 3.11.2\n");
  auto r = walk_home_for_envs(fs, "/home/u");
  EXPECT_EQ(r.venvs, (std::vector<std::string>{"/home/u/p/venv"}));
  EXPECT_TRUE(describe_walk_limits(r, "/home/u", {}).empty());
}

}  // namespace
}  // namespace gpuenv::probes
