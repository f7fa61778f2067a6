#include "install/capture.hpp"

#include <set>

#include "platform/atomic_write.hpp"
#include "platform/writer.hpp"

namespace gpuenv::install {

namespace {

// Capture writes thousands of small files into a new directory: no fsync for each.
const platform::AtomicWriteOptions kQuick{0644, false, false};

// `strings`-like: printable runs of at least 6 characters, one per line.
std::string printable_strings(std::string_view data) {
  std::string out, run;
  for (char c : data) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 0x20 && u < 0x7f) || c == '\t') {
      run += c;
    } else {
      if (run.size() >= 6) out += run + "\n";
      run.clear();
    }
  }
  if (run.size() >= 6) out += run + "\n";
  return out;
}

class Copier {
 public:
  Copier(const platform::FileSystem& fs, const std::string& dest, const facts::Redactor& r)
      : fs_(fs), dest_(dest), r_(r) {}

  /// Re-creates every symlink met while resolving `path`, and the directories on the way. Returns the
  /// resolved machine path (or nullopt when it does not resolve).
  std::optional<std::string> walk(const std::string& path, int depth = 0) {
    if (depth > 16) return std::nullopt;
    std::string cur;
    std::string norm = platform::normalize(path);
    std::size_t i = 1;
    while (i <= norm.size()) {
      auto j = norm.find('/', i);
      if (j == std::string::npos) j = norm.size();
      if (j == i) break;
      std::string next = cur + "/" + norm.substr(i, j - i);
      i = j + 1;
      auto st = fs_.lstat(next);
      if (st.kind == platform::FileKind::missing) return std::nullopt;
      if (st.kind == platform::FileKind::symlink) {
        if (auto target = fs_.read_link(next)) link(next, *target);
        auto real = fs_.real_path(next);
        if (!real) return std::nullopt;
        if (done_walk_.insert(*real).second) walk(*real, depth + 1);
        cur = *real;
      } else {
        if (st.kind == platform::FileKind::directory) dir(next);
        cur = next;
      }
    }
    return cur.empty() ? std::string("/") : cur;
  }

  void copy_file(const std::string& real) {
    if (!copied_.insert(real).second) return;
    auto r = fs_.read(real, 8u << 20);
    if (!r.ok()) {
      if (r.status == platform::ReadResult::Status::failed) result.errors.push_back(real + ": " + r.error);
      return;
    }
    bool binary = r.data.find('\0') != std::string::npos;
    std::string content = r_.apply(binary ? printable_strings(r.data) : r.data);
    std::string host = host_of(real);
    if (auto e = platform::make_dirs(host.substr(0, host.rfind('/'))); !e.empty())
      return result.errors.push_back(e);
    if (auto e = platform::write_file_atomic(host, content, kQuick)) return result.errors.push_back(*e);
    ++result.files;
  }

  void list_entries(const std::string& real) {
    auto l = fs_.list(real);
    dir(real);
    for (auto& e : l.entries) {
      std::string p = real == "/" ? "/" + e.name : real + "/" + e.name;
      if (e.kind == platform::FileKind::directory) {
        dir(p);
      } else if (e.kind == platform::FileKind::symlink) {
        if (auto target = fs_.read_link(p)) link(p, *target);
      } else {
        placeholder(p);  // the name is what the probes used (libcuda.so.535.104.05, /dev/nvidia0)
      }
    }
  }

  void placeholder(const std::string& p) {
    if (copied_.count(p) || !placeholders_.insert(p).second) return;
    std::string host = host_of(p);
    platform::make_dirs(host.substr(0, host.rfind('/')));
    if (!platform::write_file_atomic(host, "", kQuick)) ++result.files;
  }

  CaptureResult result;

 private:
  std::string host_of(const std::string& machine_path) const { return dest_ + r_.apply(machine_path); }

  void dir(const std::string& p) {
    if (!dirs_.insert(p).second) return;
    if (auto e = platform::make_dirs(host_of(p)); !e.empty())
      result.errors.push_back(e);
    else
      ++result.dirs;
  }

  void link(const std::string& p, const std::string& target) {
    if (!links_.insert(p).second) return;
    dir(platform::dirname(p));
    if (auto e = platform::make_symlink(r_.apply(target), host_of(p)); !e.empty())
      result.errors.push_back(e);
    else
      ++result.links;
  }

  const platform::FileSystem& fs_;
  std::string dest_;
  const facts::Redactor& r_;
  std::set<std::string> dirs_, links_, copied_, placeholders_, done_walk_;
};

}  // namespace

CaptureResult capture_tree(const platform::FileSystem& fs, const std::vector<platform::Access>& accesses,
                           const std::string& dest, const facts::Redactor& redactor) {
  Copier c(fs, dest, redactor);
  // Reads first, so listings never put an empty placeholder where a real file's copy belongs.
  using K = platform::Access::Kind;
  for (K kind : {K::read, K::link, K::list, K::stat}) {
    for (auto& a : accesses) {
      if (a.kind != kind) continue;
      if (kind == K::stat) {
        // Existence checks: the path must exist with the same type (an empty file stands for a file).
        auto real = c.walk(a.path);
        if (real && fs.stat(*real).kind == platform::FileKind::regular) c.placeholder(*real);
        continue;
      }
      if (a.kind == platform::Access::Kind::link) {
        c.walk(platform::dirname(a.path));
        if (auto t = fs.read_link(a.path)) {
          // walk() of the parent re-created the directories; the link itself:
          c.walk(a.path);
        }
        continue;
      }
      auto real = c.walk(a.path);
      if (!real) continue;
      auto st = fs.stat(*real);
      if (a.kind == platform::Access::Kind::read && st.kind == platform::FileKind::regular)
        c.copy_file(*real);
      if (a.kind == platform::Access::Kind::list && st.kind == platform::FileKind::directory)
        c.list_entries(*real);
    }
  }
  return c.result;
}

}  // namespace gpuenv::install
