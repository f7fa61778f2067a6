#include "platform/writer.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace gpuenv::platform {

std::string make_dirs(const std::string& host_path) {
  std::string cur;
  std::size_t i = 0;
  while (i <= host_path.size()) {
    auto j = host_path.find('/', i);
    if (j == std::string::npos) j = host_path.size();
    cur = host_path.substr(0, j);
    if (!cur.empty() && ::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST)
      return cur + ": " + std::strerror(errno);
    i = j + 1;
  }
  struct stat st {};
  if (::stat(host_path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return host_path + ": not a directory";
  return {};
}

std::string write_file_atomic(const std::string& host_path, std::string_view content, unsigned mode,
                              bool durable) {
  auto slash = host_path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : host_path.substr(0, slash);
  std::string base = slash == std::string::npos ? host_path : host_path.substr(slash + 1);
  std::random_device rd;
  std::string tmp = dir + "/." + base + ".tmp" + std::to_string(rd() % 1000000);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return tmp + ": " + std::strerror(errno);
  std::size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string err = tmp + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return err;
    }
    off += static_cast<std::size_t>(n);
  }
  if ((durable && ::fsync(fd) != 0) || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return tmp + ": " + std::strerror(errno);
  }
  if (::rename(tmp.c_str(), host_path.c_str()) != 0) {
    std::string err = host_path + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return err;
  }
  return {};
}

std::string make_symlink(const std::string& target, const std::string& host_path) {
  if (::symlink(target.c_str(), host_path.c_str()) != 0 && errno != EEXIST)
    return host_path + ": " + std::strerror(errno);
  return {};
}

bool absent_or_empty_dir(const std::string& host_path) {
  DIR* d = ::opendir(host_path.c_str());
  if (!d) return errno == ENOENT;
  bool empty = true;
  while (struct dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") {
      empty = false;
      break;
    }
  }
  ::closedir(d);
  return empty;
}

}  // namespace gpuenv::platform
