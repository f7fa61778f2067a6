#include "facts/redact.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace gpuenv::facts {

namespace {

// A dot is a boundary: "labpc.local" holds the host name "labpc".
bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Replaces whole-word occurrences of `word` (neighbours are not word characters).
std::string replace_word(std::string_view text, std::string_view word, std::string_view by) {
  if (word.empty()) return std::string(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto pos = text.find(word, i);
    if (pos == std::string_view::npos) break;
    bool left = pos == 0 || !word_char(text[pos - 1]);
    std::size_t end = pos + word.size();
    bool right = end >= text.size() || !word_char(text[end]);
    // "/home/alice" and "alice@host" always count, whatever the neighbours.
    bool path = pos >= 6 && text.substr(pos - 6, 6) == "/home/";
    out.append(text.substr(i, pos - i));
    if ((left && right) || path)
      out.append(by);
    else
      out.append(word);
    i = end;
  }
  out.append(text.substr(i));
  return out;
}

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

// Length of a UUID (8-4-4-4-12 hex) starting at s[i], or 0.
std::size_t uuid_len(std::string_view s, std::size_t i) {
  static constexpr int groups[] = {8, 4, 4, 4, 12};
  std::size_t j = i;
  for (int g = 0; g < 5; ++g) {
    for (int k = 0; k < groups[g]; ++k, ++j)
      if (j >= s.size() || !is_hex(s[j])) return 0;
    if (g < 4) {
      if (j >= s.size() || s[j] != '-') return 0;
      ++j;
    }
  }
  return j - i;
}

}  // namespace

std::string redact_uuids(std::string_view text) {
  std::string out;
  std::map<std::string, int> seen;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t gpu = text.find("GPU-", i), mig = text.find("MIG-", i);
    std::size_t pos = std::min(gpu, mig);
    if (pos == std::string_view::npos) break;
    std::size_t n = uuid_len(text, pos + 4);
    out.append(text.substr(i, pos + 4 - i));
    if (n == 0) {
      i = pos + 4;
      continue;
    }
    std::string uuid(text.substr(pos + 4, n));
    auto [it, inserted] = seen.emplace(uuid, static_cast<int>(seen.size()) + 1);
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-0000-0000-%012d", it->second);
    out.append(buf);
    i = pos + 4 + n;
  }
  out.append(text.substr(i));
  return out;
}

Redactor::Redactor(std::vector<std::string> users, std::optional<std::string> host,
                   std::vector<std::string> secrets)
    : host_(std::move(host)), secrets_(std::move(secrets)) {
  for (auto& u : users)
    if (!u.empty() && u != "root" && std::find(users_.begin(), users_.end(), u) == users_.end())
      users_.push_back(u);
  // Longer names first, so "alice2" is not half-replaced by "alice".
  std::stable_sort(users_.begin(), users_.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
}

std::string Redactor::apply(std::string_view text) const {
  std::string s = redact_uuids(text);
  for (std::size_t i = 0; i < users_.size(); ++i) {
    const std::string by = "user" + std::to_string(i + 1);
    const std::string& u = users_[i];
    if (u.size() >= 3) {
      s = replace_word(s, u, by);
    } else {
      // Very short names are replaced only where they are surely the user: in /home/NAME.
      std::string from = "/home/" + u, to = "/home/" + by;
      std::string out;
      std::size_t i0 = 0, pos;
      while ((pos = s.find(from, i0)) != std::string::npos) {
        std::size_t end = pos + from.size();
        out.append(s, i0, pos - i0);
        out.append(end >= s.size() || s[end] == '/' || !word_char(s[end]) ? to : from);
        i0 = end;
      }
      out.append(s, i0);
      s = out;
    }
  }
  if (host_ && host_->size() >= 2 && *host_ != "localhost") s = replace_word(s, *host_, "host");
  for (auto& secret : secrets_)
    if (secret.size() >= 4) s = replace_word(s, secret, "redacted");
  return s;
}

Redactor redactor_for(const Machine& m, const std::vector<std::string>& extra_users) {
  std::vector<std::string> users;
  auto from_path = [&](std::string_view p) {
    constexpr std::string_view home = "/home/";
    auto pos = p.find(home);
    if (pos == std::string_view::npos) return;
    auto rest = p.substr(pos + home.size());
    auto name = rest.substr(0, rest.find('/'));
    if (!name.empty()) users.emplace_back(name);
  };
  for (auto& e : m.python_envs) {
    from_path(e.path);
    if (e.interpreter) from_path(*e.interpreter);
  }
  for (auto& k : m.jupyter_kernels) from_path(k.path);
  for (auto& u : m.user_sites) from_path(u);
  for (auto& [k, v] : m.env_vars)
    if (v) from_path(*v);
  for (auto& u : extra_users) users.push_back(u);
  std::vector<std::string> secrets;
  for (auto& g : m.gpus)
    if (g.serial) secrets.push_back(*g.serial);
  return Redactor(users, m.host.name, secrets);
}

}  // namespace gpuenv::facts
