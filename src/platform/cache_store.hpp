#pragma once
// gpuenv's cache on disk ($XDG_CACHE_HOME/gpuenv): small files, each written atomically (a temporary
// file in the same directory, then rename), so a reader sees the old content or the new, never half.
// The only thing a reading command writes (design.md §3).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gpuenv::platform {

class CacheStore {
 public:
  /// `dir` is a host path; empty disables the cache (--no-cache, --root): get() misses, put() does nothing.
  explicit CacheStore(std::string dir) : dir_(std::move(dir)) {}
  bool enabled() const { return !dir_.empty(); }
  const std::string& dir() const { return dir_; }

  /// The content of `name` ("fatbin/0123abcd.json", relative, no ".."), or nullopt when absent,
  /// unreadable, not a regular file, or longer than `cap`.
  std::optional<std::string> get(std::string_view name, std::size_t cap = 1u << 20) const;
  /// Writes `name` atomically, creating directories (mode 0700). Returns an error message, or an
  /// empty string on success (and when the cache is disabled).
  std::string put(std::string_view name, std::string_view data) const;

 private:
  std::string dir_;
};

/// True for a relative cache name without "..", "." or empty components.
bool valid_cache_name(std::string_view name);

}  // namespace gpuenv::platform
