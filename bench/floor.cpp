// The floor (issue 10): the least a process can do to make the file accesses gpuenv made, timed as a
// whole process like gpuenv by scripts/perf_process.py. It reads a list written from `gpuenv -v`, one
// access a line ("read PATH", "list PATH", "stat PATH", "link PATH"; PATH a machine path), and makes
// each under ROOT: read = open + fstat + read to the end (8 MiB at most, as gpuenv's largest cap) +
// close; list = open the directory + read every entry; stat = stat; link = readlink. Nothing is parsed,
// sorted or kept. libc only (no C++ runtime), so its start-up is that of the smallest program.
//   floor ROOT ACCESS-LIST
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

char g_buf[1 << 16];

void do_read(const char* p) {
  int fd = ::open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return;
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    long total = 0;
    for (;;) {
      ssize_t n = ::read(fd, g_buf, sizeof g_buf);
      if (n <= 0) break;
      total += n;
      if (total >= (8L << 20)) break;
    }
  }
  ::close(fd);
}

void do_list(const char* p) {
  DIR* d = ::opendir(p);
  if (!d) return;
  while (::readdir(d) != nullptr) {
  }
  ::closedir(d);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: floor ROOT ACCESS-LIST\n");
    return 2;
  }
  const char* root = std::strcmp(argv[1], "/") == 0 ? "" : argv[1];
  FILE* in = std::fopen(argv[2], "r");
  if (!in) {
    std::perror(argv[2]);
    return 2;
  }
  static char line[8192];
  static char path[16384];
  int n = 0;
  while (std::fgets(line, sizeof line, in)) {
    std::size_t len = std::strlen(line);
    if (len && line[len - 1] == '\n') line[--len] = '\0';
    char* sp = std::strchr(line, ' ');
    if (!sp) continue;
    *sp = '\0';
    std::snprintf(path, sizeof path, "%s%s", root, sp + 1);
    struct stat st;
    if (std::strcmp(line, "read") == 0)
      do_read(path);
    else if (std::strcmp(line, "list") == 0)
      do_list(path);
    else if (std::strcmp(line, "stat") == 0)
      (void)::stat(path, &st);
    else if (std::strcmp(line, "link") == 0)
      (void)::readlink(path, g_buf, sizeof g_buf);
    ++n;
  }
  std::fclose(in);
  return n > 0 ? 0 : 1;
}
