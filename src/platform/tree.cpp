#include "platform/tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "platform/writer.hpp"

namespace gpuenv::platform {
namespace {

std::string fail(const std::string& path) {
  return path + ": " + std::strerror(errno);
}

std::string parent_of(const std::string& p) {
  auto i = p.find_last_of('/');
  return i == std::string::npos || i == 0 ? std::string("/") : p.substr(0, i);
}

std::string copy_regular(const std::string& from, const std::string& to, mode_t mode) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return fail(from);
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 07777);
  if (out < 0) {
    ::close(in);
    return fail(to);
  }
  char buf[1 << 16];
  std::string err;
  for (;;) {
    ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = fail(from);
      break;
    }
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = ::write(out, buf + off, static_cast<std::size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        err = fail(to);
        break;
      }
      off += w;
    }
    if (!err.empty()) break;
  }
  ::close(in);
  if (::close(out) != 0 && err.empty()) err = fail(to);
  if (err.empty()) ::chmod(to.c_str(), mode & 07777);
  return err;
}

}  // namespace

std::optional<std::string> read_host_file(const std::string& path, std::size_t cap) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return std::nullopt;
  }
  std::string data;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
    if (data.size() >= cap) break;
  }
  ::close(fd);
  return data;
}

std::vector<std::string> list_names(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (struct dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") out.push_back(n);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

bool path_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string link_or_copy(const std::string& from, const std::string& to) {
  struct stat st {};
  if (::lstat(from.c_str(), &st) != 0) return fail(from);
  if (auto e = make_dirs(parent_of(to)); !e.empty()) return e;
  if (S_ISDIR(st.st_mode)) return make_dirs(to);
  if (::unlink(to.c_str()) != 0 && errno != ENOENT) return fail(to);
  if (S_ISLNK(st.st_mode)) {
    std::string target(static_cast<std::size_t>(st.st_size) + 1, '\0');
    ssize_t n = ::readlink(from.c_str(), target.data(), target.size());
    if (n < 0) return fail(from);
    target.resize(static_cast<std::size_t>(n));
    return ::symlink(target.c_str(), to.c_str()) == 0 ? std::string() : fail(to);
  }
  if (!S_ISREG(st.st_mode)) return from + ": not a regular file";
  if (::link(from.c_str(), to.c_str()) == 0) return {};
  return copy_regular(from, to, st.st_mode);
}

std::string remove_file(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return fail(path);
  return {};
}

std::string remove_tree(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT ? std::string() : fail(path);
  if (!S_ISDIR(st.st_mode)) return remove_file(path);
  std::string err;
  for (auto& n : list_names(path))
    if (auto e = remove_tree(path + "/" + n); !e.empty() && err.empty()) err = e;
  if (::rmdir(path.c_str()) != 0 && err.empty()) err = fail(path);
  return err;
}

void remove_empty_dirs(std::string dir, const std::string& stop) {
  while (dir.size() > stop.size() && dir.starts_with(stop) && dir[stop.size()] == '/') {
    if (::rmdir(dir.c_str()) != 0) return;  // not empty (or gone): stop climbing
    dir = parent_of(dir);
  }
}

bool running_as_root() {
  return ::geteuid() == 0;
}

namespace {
std::tm utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string utc_stamp() {
  std::tm tm = utc_now();
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}
std::string utc_iso() {
  std::tm tm = utc_now();
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace gpuenv::platform

namespace gpuenv::platform {
std::string append_file(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return fail(path);
  std::string err;
  for (std::size_t off = 0; off < data.size();) {
    ssize_t w = ::write(fd, data.data() + off, data.size() - off);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      err = fail(path);
      break;
    }
    off += static_cast<std::size_t>(w);
  }
  ::close(fd);
  return err;
}
}  // namespace gpuenv::platform
