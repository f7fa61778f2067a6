#include "platform/writer.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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
