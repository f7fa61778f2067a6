#include "platform/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace gpuenv::platform {

namespace {

std::string why(const std::string& path) {
  return path + ": " + std::strerror(errno);
}

std::string parent_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::optional<std::string> make_dirs(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return std::nullopt;
    return dir + ": not a directory";
  }
  if (errno != ENOENT) return why(dir);
  if (auto e = make_dirs(parent_of(dir))) return e;
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return why(dir);
  return std::nullopt;
}

bool write_all(int fd, std::string_view data) {
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::optional<std::string> write_file_atomic(const std::string& path, std::string_view data,
                                             const AtomicWriteOptions& opts) {
  if (path.empty() || path.back() == '/') return path + ": not a file name";
  std::string dir = parent_of(path);
  std::string name =
      path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  if (opts.make_parents) {
    if (auto e = make_dirs(dir)) return e;
  }
  std::string tmpl = (dir == "/" ? "" : dir) + "/." + name + ".XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = ::mkostemp(buf.data(), O_CLOEXEC);
  if (fd < 0) return why(dir);
  std::string tmp(buf.data());
  auto fail = [&](const std::string& reason) -> std::optional<std::string> {
    ::close(fd);
    ::unlink(tmp.c_str());
    return reason;
  };
  if (!write_all(fd, data)) return fail(why(tmp));
  if (::fchmod(fd, static_cast<mode_t>(opts.mode)) != 0) return fail(why(tmp));
  if (opts.durable && ::fsync(fd) != 0) return fail(why(tmp));
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return why(tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string reason = why(path);
    ::unlink(tmp.c_str());
    return reason;
  }
  // Make the rename itself durable; a failure here does not undo a completed write.
  int dfd = opts.durable ? ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return std::nullopt;
}

}  // namespace gpuenv::platform
