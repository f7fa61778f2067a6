#include "platform/self.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <climits>

#include "platform/fs.hpp"

namespace gpuenv::platform {

std::optional<std::string> self_executable() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof buf) return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<std::string> host_name() {
  struct utsname u {};
  if (::uname(&u) != 0 || u.nodename[0] == '\0') return std::nullopt;
  return std::string(u.nodename);
}

std::string absolute_path(const std::string& path) {
  if (!path.empty() && path.front() == '/') return normalize(path);
  char buf[PATH_MAX];
  std::string cwd = ::getcwd(buf, sizeof buf) ? buf : "/";
  return normalize(cwd + "/" + path);
}

}  // namespace gpuenv::platform
