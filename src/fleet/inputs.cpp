#include "fleet/inputs.hpp"

#include <map>
#include <nlohmann/json.hpp>

namespace gpuenv::fleet {

namespace {

constexpr std::size_t kMaxReportBytes = 16u << 20;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}

/// "gpu01: {" → {"gpu01", "{"}; nullopt when the line has no "NAME: " prefix.
std::optional<std::pair<std::string, std::string_view>> pdsh_prefix(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && is_name_char(line[i])) ++i;
  if (i == 0 || i + 1 > line.size() || line[i] != ':') return std::nullopt;
  std::string_view rest = line.substr(i + 1);
  if (!rest.empty() && rest.front() == ' ')
    rest.remove_prefix(1);
  else if (!rest.empty())
    return std::nullopt;
  return std::make_pair(std::string(line.substr(0, i)), rest);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string file_stem(std::string_view path) {
  auto slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (std::string_view ext : {".json", ".jsonl", ".ndjson"})
    if (ends_with(name, ext) && name.size() > ext.size())
      return std::string(name.substr(0, name.size() - ext.size()));
  return std::string(name);
}

SplitResult split_stream(std::string_view text, const std::string& source, const std::string& name_hint) {
  SplitResult out;
  std::string_view body = trim(text);
  if (body.empty()) {
    out.problems.push_back({source, {"fleet.input.empty", {}}});
    return out;
  }
  // One document (the common case: a saved `doctor --json`).
  if (body.front() == '{') {
    // One document, or a broken one: JSON Lines would have a whole document on the first line.
    std::string_view first = body.substr(0, body.find('\n'));
    if (nlohmann::json::accept(body.begin(), body.end()) ||
        !nlohmann::json::accept(first.begin(), first.end())) {
      out.docs.push_back({source, std::nullopt, name_hint, std::string(text)});  // keeps line numbers
      return out;
    }
  }
  // Line by line: JSON Lines and pdsh-prefixed lines, possibly mixed.
  std::map<std::string, std::size_t> node_doc;  // pdsh node → index in out.docs
  std::size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    std::string_view line = trim(raw);
    if (line.empty()) {
      if (nl == text.size()) break;
      continue;
    }
    std::string where = source + ":" + std::to_string(line_no);
    if (line.front() == '{') {
      out.docs.push_back({where, std::nullopt, name_hint, std::string(line)});
    } else if (auto p = pdsh_prefix(raw)) {
      auto [it, fresh] = node_doc.try_emplace(p->first, out.docs.size());
      if (fresh) out.docs.push_back({source + " (" + p->first + ")", p->first, p->first, ""});
      auto& doc = out.docs[it->second].text;
      doc.append(p->second);
      doc.push_back('\n');
    } else {
      std::string shown(line.substr(0, 80));
      out.problems.push_back({where, {"fleet.input.stray_line", {{"line", shown}}}});
    }
    if (nl == text.size()) break;
  }
  return out;
}

SplitResult read_inputs(const platform::FileSystem& fs, const std::vector<std::string>& paths,
                        const std::vector<std::string>& shown) {
  SplitResult out;
  auto read_one = [&](const std::string& path, const std::string& display) {
    auto r = fs.read(path, kMaxReportBytes);
    if (!r.ok()) {
      std::string why = r.status == platform::ReadResult::Status::absent ? "no such file" : r.error;
      out.problems.push_back({display, {"fleet.input.unreadable", {{"reason", why}}}});
      return;
    }
    if (r.truncated) {
      out.problems.push_back({display, {"fleet.input.too_large", {{"limit", "16 MiB"}}}});
      return;
    }
    auto part = split_stream(r.data, display, file_stem(display));
    for (auto& d : part.docs) out.docs.push_back(std::move(d));
    for (auto& p : part.problems) out.problems.push_back(std::move(p));
  };
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string& display = i < shown.size() ? shown[i] : paths[i];
    auto st = fs.stat(paths[i]);
    if (st.kind != platform::FileKind::directory) {
      read_one(paths[i], display);
      continue;
    }
    auto list = fs.list(paths[i]);
    if (!list.error.empty()) {
      out.problems.push_back({display, {"fleet.input.unreadable", {{"reason", list.error}}}});
      continue;
    }
    std::size_t before = out.docs.size() + out.problems.size();
    for (auto& e : list.entries) {
      if (e.name.empty() || e.name.front() == '.') continue;
      if (!ends_with(e.name, ".json") && !ends_with(e.name, ".jsonl") && !ends_with(e.name, ".ndjson"))
        continue;
      std::string sep = (!display.empty() && display.back() == '/') ? "" : "/";
      read_one(platform::join(paths[i], e.name), display + sep + e.name);
    }
    if (out.docs.size() + out.problems.size() == before)
      out.problems.push_back({display, {"fleet.input.empty_dir", {}}});
  }
  return out;
}

}  // namespace gpuenv::fleet
