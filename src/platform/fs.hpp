#pragma once
// The file system as the probes see it: every path is a machine path ("/proc/driver/nvidia/version")
// resolved inside a root directory (design.md §4). Absolute symlink targets are re-rooted, ".." never
// leaves the root, loops are detected, only regular files are read and reads are capped.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gpuenv::platform {

enum class FileKind { missing, regular, directory, symlink, fifo, device, socket, other };

/// What `stat` saw at a machine path (links followed unless `lstat`). `kind == missing` when absent.
struct FileStat {
  FileKind kind = FileKind::missing;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint32_t mode = 0;
  std::uint64_t inode = 0;
  std::uint64_t device = 0;
  std::string error;  ///< non-empty when the path exists but could not be examined (EACCES, ELOOP...)
};

/// Found / absent / failed are three outcomes (style.md): a missing file means "try the next source",
/// a failure is reported with its reason.
struct ReadResult {
  enum class Status { ok, absent, failed } status = Status::absent;
  std::string data;
  bool truncated = false;  ///< the file was longer than the cap; `data` holds the first bytes
  std::string error;       ///< for `failed`: "permission denied", "not a regular file (FIFO)", ...
  bool ok() const { return status == Status::ok; }
};

struct DirEntry {
  std::string name;
  FileKind kind = FileKind::other;  ///< from d_type / lstat: a symlink is `symlink`, not its target
};

/// One access the probes made, for `-v` and `capture` (which copies exactly these paths).
struct Access {
  enum class Kind { read, list, link, stat } kind;  ///< stat: existence/type checks (/.dockerenv, bin/nvcc)
  std::string path;                                 ///< machine path as asked
};

struct ListResult {
  std::vector<DirEntry> entries;  ///< sorted by name
  bool truncated = false;         ///< more than the cap: the rest were not listed
  std::string error;              ///< non-empty when the directory exists but could not be listed
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  static constexpr std::size_t kDefaultReadCap = 4u << 20;
  static constexpr std::size_t kDefaultListCap = 20000;

  /// Reads a regular file (links followed inside the root), at most `cap` bytes. Never blocks on a
  /// FIFO or device: those are `failed` with a reason.
  virtual ReadResult read(std::string_view path, std::size_t cap = kDefaultReadCap) const = 0;
  /// Lists a directory, sorted by name, at most `cap` entries.
  virtual ListResult list(std::string_view path, std::size_t cap = kDefaultListCap) const = 0;
  virtual FileStat stat(std::string_view path) const = 0;
  virtual FileStat lstat(std::string_view path) const = 0;
  /// The raw target of a symlink, or nullopt when `path` is not a link.
  virtual std::optional<std::string> read_link(std::string_view path) const = 0;
  /// The machine path `path` resolves to (all links followed inside the root), or nullopt if a
  /// component is missing or the resolution loops.
  virtual std::optional<std::string> real_path(std::string_view path) const = 0;
  /// The path on the host for an already-resolved machine path: for readers that need the file
  /// itself (the fatbin reader maps it). Returns nullopt when the path does not resolve.
  virtual std::optional<std::string> host_path(std::string_view path) const = 0;
  /// Whether the current user could open the path for reading and writing (device nodes).
  virtual bool can_open_rw(std::string_view path) const = 0;
  /// True when this file system is the real machine ("/"): only then may libraries be loaded.
  virtual bool is_live() const = 0;

  /// The accesses made so far (deduplicated, in order). Thread-safe.
  std::vector<Access> accesses() const;
  void set_recording(bool on) { recording_ = on; }

 protected:
  void record(Access::Kind kind, std::string_view path) const;

 private:
  mutable std::mutex mu_;
  mutable std::vector<Access> accesses_;
  bool recording_ = true;
};

/// The real file system seen through `root` ("/" for the live machine).
class RootedFileSystem final : public FileSystem {
 public:
  explicit RootedFileSystem(std::string root);
  ReadResult read(std::string_view path, std::size_t cap = kDefaultReadCap) const override;
  ListResult list(std::string_view path, std::size_t cap = kDefaultListCap) const override;
  FileStat stat(std::string_view path) const override;
  FileStat lstat(std::string_view path) const override;
  std::optional<std::string> read_link(std::string_view path) const override;
  std::optional<std::string> real_path(std::string_view path) const override;
  std::optional<std::string> host_path(std::string_view path) const override;
  bool can_open_rw(std::string_view path) const override;
  bool is_live() const override { return root_.empty(); }
  const std::string& root() const { return root_; }

  /// Resolves `path` inside the root. `follow_last` false keeps a final symlink unresolved.
  /// Returns the machine path, or nullopt (missing component, loop, or not a directory).
  std::optional<std::string> resolve(std::string_view path, bool follow_last) const;
  /// Forgets resolved directories (after the tree under the root changed, e.g. an install).
  void clear_cache() const {
    std::lock_guard lock(cache_mu_);
    dir_cache_.clear();
    list_cache_.clear();
  }

 private:
  std::optional<std::string> resolve_dir_cached(const std::string& dir,
                                                std::vector<std::string_view> parts) const;
  std::optional<std::string> walk(std::string cur, std::vector<std::string_view> parts,
                                  bool follow_last) const;
  mutable std::mutex cache_mu_;
  mutable std::unordered_map<std::string, std::optional<std::string>> dir_cache_;
  struct CachedList {
    ListResult result;
    std::size_t cap = 0;
  };
  mutable std::unordered_map<std::string, CachedList> list_cache_;
  ListResult list_uncached(const std::string& resolved, std::size_t cap) const;
  std::string host(std::string_view machine_path) const { return root_ + std::string(machine_path); }
  std::string root_;  ///< host path without trailing slash; empty for "/"
};

/// Joins machine paths: join("/usr/local", "cuda") == "/usr/local/cuda".
std::string join(std::string_view a, std::string_view b);
/// Lexical normalisation of an absolute path: collapses "//", "." and ".." (never above "/").
std::string normalize(std::string_view path);
std::string_view basename(std::string_view path);
std::string dirname(std::string_view path);
const char* kind_name(FileKind kind);

}  // namespace gpuenv::platform
