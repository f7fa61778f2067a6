#pragma once
// Moving installed files aside and back (install's journal, issue 8). Host paths; every function
// returns "" on success or the reason naming the path.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::platform {

/// Reads a whole regular file (at most `cap` bytes); nullopt when it cannot be read.
std::optional<std::string> read_host_file(const std::string& path, std::size_t cap = 64u << 20);
/// Names in a directory (no "." / ".."), sorted; empty when it cannot be listed.
std::vector<std::string> list_names(const std::string& dir);
/// True when something (a link counts, even dangling) exists at `path`.
bool path_exists(const std::string& path);
bool is_directory(const std::string& path);  ///< links followed

/// Puts a copy of `from` at `to` (parents made): a symlink is re-created as a symlink, a regular file
/// is hard-linked when both are on one file system, else copied with its mode. An existing `to` is
/// replaced.
std::string link_or_copy(const std::string& from, const std::string& to);
/// Removes a file or symlink; an absent one is fine.
std::string remove_file(const std::string& path);
/// Removes a directory tree (links are removed, never followed); an absent one is fine.
std::string remove_tree(const std::string& path);
/// Removes `dir` and then its parents while they are empty, stopping at `stop` (never removed).
void remove_empty_dirs(std::string dir, const std::string& stop);

/// The effective user is root.
bool running_as_root();
/// "20261130T051500Z" (UTC, now).
std::string utc_stamp();
/// "2026-11-30T05:15:00Z" (UTC, now).
std::string utc_iso();

}  // namespace gpuenv::platform

namespace gpuenv::platform {
/// Appends `data` to the file at `path` (created 0600 when absent).
std::string append_file(const std::string& path, std::string_view data);
}  // namespace gpuenv::platform
