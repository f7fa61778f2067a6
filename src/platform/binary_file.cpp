#include "platform/binary_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "platform/fs.hpp"

namespace gpuenv::platform {

std::int64_t MemoryBytes::read_at(std::uint64_t offset, void* out, std::size_t n) const {
  if (offset >= data_.size()) return 0;
  std::size_t k = std::min<std::uint64_t>(n, data_.size() - offset);
  std::memcpy(out, data_.data() + offset, k);
  return static_cast<std::int64_t>(k);
}

BinaryFile::Opened BinaryFile::open(const std::string& host_path) {
  Opened r;
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below then refuses it.
  int fd = ::open(host_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    r.missing = errno == ENOENT;
    r.error = std::strerror(errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    r.error = std::strerror(errno);
    ::close(fd);
    return r;
  }
  if (!S_ISREG(st.st_mode)) {
    FileKind k = S_ISDIR(st.st_mode)                            ? FileKind::directory
                 : S_ISFIFO(st.st_mode)                         ? FileKind::fifo
                 : (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) ? FileKind::device
                 : S_ISSOCK(st.st_mode)                         ? FileKind::socket
                                                                : FileKind::other;
    r.error = std::string("not a regular file (") + kind_name(k) + ")";
    ::close(fd);
    return r;
  }
  std::int64_t mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  r.file.reset(new BinaryFile(fd, static_cast<std::uint64_t>(st.st_size), mtime));
  return r;
}

BinaryFile::~BinaryFile() {
  ::close(fd_);
}

std::int64_t BinaryFile::read_at(std::uint64_t offset, void* out, std::size_t n) const {
  if (offset > static_cast<std::uint64_t>(INT64_MAX) - n) return 0;  // beyond any file: nothing
  std::size_t got = 0;
  auto* dst = static_cast<char*>(out);
  while (got < n) {
    ssize_t k = ::pread(fd_, dst + got, n - got, static_cast<off_t>(offset + got));
    if (k < 0) {
      if (errno == EINTR) continue;
      error_ = std::strerror(errno);
      return -1;
    }
    if (k == 0) break;  // end of file (it may have shrunk since it was opened)
    got += static_cast<std::size_t>(k);
  }
  return static_cast<std::int64_t>(got);
}

}  // namespace gpuenv::platform
