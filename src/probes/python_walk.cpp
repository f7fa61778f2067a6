#include "probes/python_walk.hpp"

#include <algorithm>
#include <deque>

namespace gpuenv::probes {

namespace {

using platform::FileKind;

// Directories that never hold an environment worth finding, or that gpuenv reads another way.
constexpr std::string_view kSkip[] = {"node_modules", "__pycache__", "site-packages", "dist-packages",
                                      "miniconda3",   "anaconda3",   "miniforge3",    "mambaforge",
                                      "micromamba",   "snap"};
// Project-local venv names worth a look although hidden.
constexpr std::string_view kHiddenVenvNames[] = {".venv", ".env"};

bool has_entry(const platform::ListResult& l, std::string_view name, FileKind kind) {
  auto it = std::lower_bound(l.entries.begin(), l.entries.end(), name,
                             [](const platform::DirEntry& e, std::string_view n) { return e.name < n; });
  return it != l.entries.end() && it->name == name && (it->kind == kind || it->kind == FileKind::symlink);
}

}  // namespace

WalkResult walk_home_for_envs(const platform::FileSystem& fs, const std::string& home,
                              const WalkLimits& limits) {
  WalkResult r;
  std::deque<std::pair<std::string, int>> queue{{home, 0}};
  while (!queue.empty()) {
    auto [dir, depth] = queue.front();
    queue.pop_front();
    if (r.listed >= limits.max_dirs) {
      r.stopped_at = dir;
      break;
    }
    auto l = fs.list(dir, limits.large_dir + 1);
    ++r.listed;
    if (!l.error.empty()) {
      r.unreadable.push_back(dir);
      continue;
    }
    if (l.truncated || l.entries.size() > limits.large_dir) {
      r.skipped_large.push_back(dir);
      continue;
    }
    if (auto odd =
            std::lower_bound(l.entries.begin(), l.entries.end(), std::string_view("pyvenv.cfg"),
                             [](const platform::DirEntry& e, std::string_view n) { return e.name < n; });
        odd != l.entries.end() && odd->name == "pyvenv.cfg" &&
        (odd->kind == FileKind::fifo || odd->kind == FileKind::device || odd->kind == FileKind::socket))
      r.not_regular.push_back(platform::join(dir, "pyvenv.cfg"));
    if (depth > 0 && has_entry(l, "pyvenv.cfg", FileKind::regular)) {
      r.venvs.push_back(dir);
      continue;
    }
    if (depth > 0 && has_entry(l, "conda-meta", FileKind::directory)) {
      r.conda_envs.push_back(dir);
      continue;
    }
    for (auto& e : l.entries) {
      if (e.kind != FileKind::directory) continue;  // links are not followed: no loops, no escapes
      std::string child = platform::join(dir, e.name);
      if (e.name.starts_with('.')) {
        if (std::find(std::begin(kHiddenVenvNames), std::end(kHiddenVenvNames), e.name) !=
                std::end(kHiddenVenvNames) &&
            depth + 1 <= limits.max_depth &&
            fs.stat(platform::join(child, "pyvenv.cfg")).kind == FileKind::regular)
          r.venvs.push_back(child);
        continue;
      }
      if (std::find(std::begin(kSkip), std::end(kSkip), e.name) != std::end(kSkip)) continue;
      if (depth + 1 > limits.max_depth) {
        ++r.below_depth;
        continue;
      }
      queue.emplace_back(std::move(child), depth + 1);
    }
  }
  return r;
}

std::vector<i18n::Text> describe_walk_limits(const WalkResult& r, const std::string& home,
                                             const WalkLimits& limits) {
  std::vector<i18n::Text> out;
  if (r.stopped_at)
    out.push_back({"warning.python.walk.stopped",
                   {{"home", home}, {"listed", std::to_string(r.listed)}, {"path", *r.stopped_at}}});
  if (!r.skipped_large.empty()) {
    std::string dirs;
    for (std::size_t i = 0; i < r.skipped_large.size() && i < 3; ++i)
      dirs += (i ? ", " : "") + r.skipped_large[i];
    if (r.skipped_large.size() > 3) dirs += ", ...";
    out.push_back({"warning.python.walk.skipped_large",
                   {{"home", home},
                    {"count", std::to_string(r.skipped_large.size())},
                    {"limit", std::to_string(limits.large_dir)},
                    {"dirs", dirs}}});
  }
  if (r.below_depth)
    out.push_back({"warning.python.walk.too_deep",
                   {{"home", home},
                    {"count", std::to_string(r.below_depth)},
                    {"depth", std::to_string(limits.max_depth)}}});
  if (!r.unreadable.empty())
    out.push_back(
        {"warning.python.walk.unreadable", {{"home", home}, {"count", std::to_string(r.unreadable.size())}}});
  return out;
}

}  // namespace gpuenv::probes
