#include "platform/fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace gpuenv::platform {

namespace {

constexpr int kMaxLinkFollows = 40;  // as the kernel's MAXSYMLINKS

FileKind kind_of(mode_t mode) {
  if (S_ISREG(mode)) return FileKind::regular;
  if (S_ISDIR(mode)) return FileKind::directory;
  if (S_ISLNK(mode)) return FileKind::symlink;
  if (S_ISFIFO(mode)) return FileKind::fifo;
  if (S_ISCHR(mode) || S_ISBLK(mode)) return FileKind::device;
  if (S_ISSOCK(mode)) return FileKind::socket;
  return FileKind::other;
}

FileStat from_stat(const struct stat& st) {
  FileStat out;
  out.kind = kind_of(st.st_mode);
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  out.mode = st.st_mode;
  out.inode = st.st_ino;
  out.device = st.st_dev;
  return out;
}

std::vector<std::string_view> split_components(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

}  // namespace

const char* kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::missing:
      return "missing";
    case FileKind::regular:
      return "file";
    case FileKind::directory:
      return "directory";
    case FileKind::symlink:
      return "symlink";
    case FileKind::fifo:
      return "FIFO";
    case FileKind::device:
      return "device";
    case FileKind::socket:
      return "socket";
    case FileKind::other:
      return "special file";
  }
  return "?";
}

std::string normalize(std::string_view path) {
  std::vector<std::string_view> out;
  for (auto part : split_components(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(part);
  }
  std::string result;
  for (auto p : out) {
    result += '/';
    result += p;
  }
  return result.empty() ? "/" : result;
}

std::string join(std::string_view a, std::string_view b) {
  if (b.starts_with('/')) return normalize(b);
  std::string s(a);
  if (s.empty() || s.back() != '/') s += '/';
  s += b;
  return normalize(s);
}

std::string_view basename(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto pos = path.rfind('/');
  return pos == std::string_view::npos ? path : path.substr(pos + 1);
}

std::string dirname(std::string_view path) {
  std::string n = normalize(path);
  auto pos = n.rfind('/');
  if (pos == 0 || pos == std::string::npos) return "/";
  return n.substr(0, pos);
}

std::vector<Access> FileSystem::accesses() const {
  std::lock_guard lock(mu_);
  return accesses_;
}

void FileSystem::record(Access::Kind kind, std::string_view path) const {
  if (!recording_) return;
  std::lock_guard lock(mu_);
  for (auto it = accesses_.rbegin(); it != accesses_.rend() && it - accesses_.rbegin() < 4; ++it)
    if (it->kind == kind && it->path == path) return;
  accesses_.push_back({kind, std::string(path)});
}

RootedFileSystem::RootedFileSystem(std::string root) {
  while (!root.empty() && root.back() == '/') root.pop_back();
  root_ = std::move(root);
}

std::optional<std::string> RootedFileSystem::resolve(std::string_view path, bool follow_last) const {
  // Walk component by component, as libnvidia-container's path_resolve does: each symlink met is
  // read and spliced in; an absolute target restarts at the root; ".." stops at the root.
  // The directory part of a clean path (no "." or "..") is resolved once and cached: probes read many
  // files in the same few directories, and each component costs an lstat.
  auto parts = split_components(path);
  bool clean = std::none_of(parts.begin(), parts.end(), [](auto p) { return p == "." || p == ".."; });
  if (clean && parts.size() > 1) {
    std::string dir;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      dir.push_back('/');
      dir.append(parts[i]);
    }
    auto resolved_dir = resolve_dir_cached(dir, {parts.begin(), parts.end() - 1});
    if (!resolved_dir) return std::nullopt;
    return walk(*resolved_dir == "/" ? std::string() : *resolved_dir, {parts.back()}, follow_last);
  }
  return walk({}, {parts.begin(), parts.end()}, follow_last);
}

std::optional<std::string> RootedFileSystem::resolve_dir_cached(const std::string& dir,
                                                                std::vector<std::string_view> parts) const {
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = dir_cache_.find(dir); it != dir_cache_.end()) return it->second;
  }
  // Each directory is resolved once: its parent from the cache, then its own last component.
  std::optional<std::string> resolved;
  if (parts.size() == 1) {
    resolved = walk({}, std::move(parts), true);
  } else {
    auto last = parts.back();
    parts.pop_back();
    auto parent = resolve_dir_cached(dir.substr(0, dir.rfind('/')), std::move(parts));
    if (parent) resolved = walk(*parent == "/" ? std::string() : *parent, {last}, true);
  }
  std::lock_guard lock(cache_mu_);
  if (dir_cache_.size() < 100000) dir_cache_.emplace(dir, resolved);
  return resolved;
}

std::optional<std::string> RootedFileSystem::walk(std::string cur, std::vector<std::string_view> parts,
                                                  bool follow_last) const {
  std::vector<std::string> todo;  // remaining components, last first
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.emplace_back(*it);
  int follows = 0;
  while (!todo.empty()) {
    const std::string part = todo.back();  // a copy: moving out trips GCC 12's -Wmaybe-uninitialized
    todo.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      cur.resize(cur.rfind('/') == std::string::npos ? 0 : cur.rfind('/'));
      continue;
    }
    std::string candidate = cur;
    candidate.push_back('/');
    candidate.append(part);
    struct stat st {};
    // A missing component, or one we may not look into, ends the resolution.
    if (::lstat(host(candidate).c_str(), &st) != 0) return std::nullopt;
    bool last = todo.empty();
    if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
      if (++follows > kMaxLinkFollows) return std::nullopt;  // a loop
      char buf[4096];
      ssize_t n = ::readlink(host(candidate).c_str(), buf, sizeof buf);
      if (n <= 0 || static_cast<std::size_t>(n) >= sizeof buf) return std::nullopt;
      std::string_view target(buf, static_cast<std::size_t>(n));
      if (target.starts_with('/')) cur.clear();  // re-rooted under the root
      auto tparts = split_components(target);
      for (auto it = tparts.rbegin(); it != tparts.rend(); ++it) todo.emplace_back(*it);
      continue;
    }
    if (!last && !S_ISDIR(st.st_mode)) return std::nullopt;
    cur = std::move(candidate);
  }
  if (cur.empty()) return std::optional<std::string>(std::in_place, 1, '/');
  return cur;
}

ReadResult RootedFileSystem::read(std::string_view path, std::size_t cap) const {
  record(Access::Kind::read, path);
  ReadResult r;
  auto resolved = resolve(path, true);
  if (!resolved) {
    // Distinguish "absent" from "a loop / a link out of reach": look at the link itself.
    struct stat st {};
    auto direct = resolve(path, false);
    if (direct && ::lstat(host(*direct).c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      r.status = ReadResult::Status::failed;
      r.error = "symbolic link cannot be resolved (dangling or a loop)";
    }
    return r;
  }
  int fd = ::open(host(*resolved).c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT) return r;
    r.status = ReadResult::Status::failed;
    r.error = std::strerror(errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    r.status = ReadResult::Status::failed;
    r.error = std::string("not a regular file (") + kind_name(kind_of(st.st_mode)) + ")";
    ::close(fd);
    return r;
  }
  // procfs and sysfs report size 0 (or 4096): read until EOF, up to the cap.
  std::size_t want = cap;
  if (st.st_size > 0 && static_cast<std::uint64_t>(st.st_size) < cap)
    want = static_cast<std::size_t>(st.st_size) + 1;
  r.data.resize(std::min<std::size_t>(want, 65536));
  std::size_t got = 0;
  for (;;) {
    if (got == r.data.size()) {
      if (r.data.size() >= cap) break;
      r.data.resize(std::min(cap, r.data.size() * 2));
    }
    ssize_t n = ::read(fd, r.data.data() + got, r.data.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      r.status = ReadResult::Status::failed;
      r.error = std::strerror(errno);
      ::close(fd);
      r.data.clear();
      return r;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got == cap) {
    char extra;
    if (::read(fd, &extra, 1) == 1) r.truncated = true;
  }
  ::close(fd);
  r.data.resize(got);
  r.status = ReadResult::Status::ok;
  return r;
}

ListResult RootedFileSystem::list(std::string_view path, std::size_t cap) const {
  record(Access::Kind::list, path);
  auto resolved = resolve(path, true);
  if (!resolved) return {};
  // Probes list the same directories more than once (the loader dirs for each library stem): the
  // listing of a resolved directory is read once and kept.
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = list_cache_.find(*resolved); it != list_cache_.end() && it->second.cap >= cap) {
      ListResult out = it->second.result;
      if (out.entries.size() > cap) {
        out.entries.resize(cap);
        out.truncated = true;
      }
      return out;
    }
  }
  ListResult out = list_uncached(*resolved, cap);
  std::lock_guard lock(cache_mu_);
  list_cache_[*resolved] = {out, cap};
  return out;
}

ListResult RootedFileSystem::list_uncached(const std::string& resolved, std::size_t cap) const {
  ListResult out;
  int fd = ::open(host(resolved).c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT && errno != ENOTDIR) out.error = std::strerror(errno);
    return out;
  }
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    out.error = std::strerror(errno);
    ::close(fd);
    return out;
  }
  while (struct dirent* e = ::readdir(dir)) {
    std::string_view name(e->d_name);
    if (name == "." || name == "..") continue;
    if (out.entries.size() >= cap) {
      out.truncated = true;
      break;
    }
    FileKind kind = FileKind::other;
    switch (e->d_type) {
      case DT_REG:
        kind = FileKind::regular;
        break;
      case DT_DIR:
        kind = FileKind::directory;
        break;
      case DT_LNK:
        kind = FileKind::symlink;
        break;
      case DT_FIFO:
        kind = FileKind::fifo;
        break;
      case DT_CHR:
      case DT_BLK:
        kind = FileKind::device;
        break;
      case DT_SOCK:
        kind = FileKind::socket;
        break;
      default: {
        struct stat st {};
        if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) kind = kind_of(st.st_mode);
      }
    }
    out.entries.push_back({std::string(name), kind});
  }
  ::closedir(dir);
  std::sort(out.entries.begin(), out.entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

FileStat RootedFileSystem::stat(std::string_view path) const {
  record(Access::Kind::stat, path);
  FileStat out;
  auto resolved = resolve(path, true);
  if (!resolved) return out;
  struct stat st {};
  if (::stat(host(*resolved).c_str(), &st) != 0) {
    if (errno != ENOENT) {
      out.kind = FileKind::other;
      out.error = std::strerror(errno);
    }
    return out;
  }
  return from_stat(st);
}

FileStat RootedFileSystem::lstat(std::string_view path) const {
  FileStat out;
  auto resolved = resolve(path, false);
  if (!resolved) return out;
  struct stat st {};
  if (::lstat(host(*resolved).c_str(), &st) != 0) return out;
  return from_stat(st);
}

std::optional<std::string> RootedFileSystem::read_link(std::string_view path) const {
  auto resolved = resolve(path, false);
  if (!resolved) return std::nullopt;
  char buf[4096];
  ssize_t n = ::readlink(host(*resolved).c_str(), buf, sizeof buf);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof buf) return std::nullopt;
  record(Access::Kind::link, path);
  return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<std::string> RootedFileSystem::real_path(std::string_view path) const {
  return resolve(path, true);
}

std::optional<std::string> RootedFileSystem::host_path(std::string_view path) const {
  auto resolved = resolve(path, true);
  if (!resolved) return std::nullopt;
  return host(*resolved);
}

bool RootedFileSystem::can_open_rw(std::string_view path) const {
  auto resolved = resolve(path, true);
  if (!resolved) return false;
  return ::access(host(*resolved).c_str(), R_OK | W_OK) == 0;
}

}  // namespace gpuenv::platform
