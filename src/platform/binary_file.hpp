#pragma once
#include "platform/self.hpp"  // absolute_path
// Random access to the bytes of a binary without loading it: the fatbin reader (probes/fatbin.hpp)
// reads a few headers of a 1 GB libtorch_cuda.so through this seam. `MemoryBytes` serves tests and
// fuzzing from a buffer; `BinaryFile` reads a host file with pread (not mmap: a file truncated while
// it is read must give a short read, never a SIGBUS).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace gpuenv::platform {

class ByteReader {
 public:
  virtual ~ByteReader() = default;
  /// The size in bytes when the reader was opened.
  virtual std::uint64_t size() const = 0;
  /// Copies up to `n` bytes at `offset` into `out`; returns how many were copied (fewer only at the
  /// end of the data), or -1 on an I/O error (then `error()` says why).
  virtual std::int64_t read_at(std::uint64_t offset, void* out, std::size_t n) const = 0;
  /// Why the last read failed ("Input/output error"); empty when none did.
  virtual std::string error() const { return {}; }
};

/// A buffer seen as a file. The buffer must outlive the reader.
class MemoryBytes final : public ByteReader {
 public:
  explicit MemoryBytes(std::string_view data) : data_(data) {}
  std::uint64_t size() const override { return data_.size(); }
  std::int64_t read_at(std::uint64_t offset, void* out, std::size_t n) const override;

 private:
  std::string_view data_;
};

/// A regular file on the host, opened read-only. Never blocks on a FIFO or device.
class BinaryFile final : public ByteReader {
 public:
  struct Opened;
  /// Opens `host_path`. On failure `file` is null and `error` says why ("No such file or directory",
  /// "not a regular file (directory)"); `missing` is true when the path does not exist.
  static Opened open(const std::string& host_path);
  ~BinaryFile() override;
  BinaryFile(const BinaryFile&) = delete;
  BinaryFile& operator=(const BinaryFile&) = delete;

  std::uint64_t size() const override { return size_; }
  std::int64_t mtime_ns() const { return mtime_ns_; }
  std::int64_t read_at(std::uint64_t offset, void* out, std::size_t n) const override;
  std::string error() const override { return error_; }

 private:
  BinaryFile(int fd, std::uint64_t size, std::int64_t mtime_ns) : fd_(fd), size_(size), mtime_ns_(mtime_ns) {}
  int fd_;
  std::uint64_t size_;
  std::int64_t mtime_ns_;
  mutable std::string error_;
};

struct BinaryFile::Opened {
  std::unique_ptr<BinaryFile> file;
  std::string error;
  bool missing = false;
};

}  // namespace gpuenv::platform
