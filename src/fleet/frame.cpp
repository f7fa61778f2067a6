#include "fleet/frame.hpp"

#include <charconv>
#include <cstdio>
#include <vector>

namespace gpuenv::fleet {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

template <class T>
bool to_number(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

struct Parts {
  std::map<long, std::string> out, err;
  long out_n = 0, err_n = 0;
  std::size_t bytes = 0;
  std::string fnv;
  bool conflict = false;
};

}  // namespace

std::string base64_encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                 (static_cast<unsigned char>(data[i + 1]) << 8) | static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string base64_decode(std::string_view text, bool& ok) {
  ok = false;
  if (text.size() % 4 != 0) return {};
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return {};  // data after padding
      v[k] = b64_value(c);
      if (v[k] < 0) return {};
    }
    unsigned n = (static_cast<unsigned>(v[0]) << 18) | (static_cast<unsigned>(v[1]) << 12) |
                 (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  ok = true;
  return out;
}

std::uint64_t fnv1a64(std::string_view data) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string encode_task_output(std::string_view node, const TaskRun& run) {
  std::string head = std::string(kFrameTag) + " " + std::string(node) + " ";
  std::string out;
  long o = 0, e = 0;
  for (std::size_t i = 0; i < run.out.size(); i += kFrameChunk)
    out += head + "o " + std::to_string(o++) + " " +
           base64_encode(std::string_view(run.out).substr(i, kFrameChunk)) + "\n";
  std::string_view err = run.err;
  if (err.size() > kFrameStderrTail) err = err.substr(err.size() - kFrameStderrTail);
  for (std::size_t i = 0; i < err.size(); i += kFrameChunk)
    out += head + "e " + std::to_string(e++) + " " + base64_encode(err.substr(i, kFrameChunk)) + "\n";
  out += head + "end " + std::to_string(run.exit_code) + " " + std::to_string(o) + " " + std::to_string(e) +
         " " + std::to_string(run.out.size()) + " " + hex64(fnv1a64(run.out)) + "\n";
  return out;
}

std::map<std::string, TaskAnswer> decode_task_stream(std::string_view text) {
  std::map<std::string, Parts> parts;
  std::map<std::string, TaskAnswer> answers;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    auto f = split_spaces(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (f.size() < 4 || f[0] != kFrameTag) continue;
    std::string node(f[1]);
    auto& p = parts[node];
    auto& a = answers[node];
    if ((f[2] == "o" || f[2] == "e") && f.size() == 5) {
      long seq = 0;
      bool ok = false;
      std::string bytes = base64_decode(f[4], ok);
      if (!to_number(f[3], seq) || seq < 0 || !ok) {
        p.conflict = true;
        continue;
      }
      auto& dst = f[2] == "o" ? p.out : p.err;
      auto [it, fresh] = dst.try_emplace(seq, bytes);
      if (!fresh && it->second != bytes) p.conflict = true;
    } else if (f[2] == "end" && f.size() == 8) {
      int exit_code = 0;
      if (!to_number(f[3], exit_code) || !to_number(f[4], p.out_n) || !to_number(f[5], p.err_n) ||
          !to_number(f[6], p.bytes)) {
        p.conflict = true;
        continue;
      }
      p.fnv = std::string(f[7]);
      a.ended = true;
      a.run.exit_code = exit_code;
    } else {
      p.conflict = true;
    }
  }
  for (auto& [node, a] : answers) {
    auto& p = parts[node];
    for (auto& [seq, s] : p.out) a.run.out += s;
    for (auto& [seq, s] : p.err) a.run.err += s;
    if (!a.ended) continue;
    auto contiguous = [](const std::map<long, std::string>& m, long n) {
      return static_cast<long>(m.size()) == n && (m.empty() || m.rbegin()->first == n - 1);
    };
    if (p.conflict)
      a.problem = "unreadable or conflicting lines";
    else if (!contiguous(p.out, p.out_n))
      a.problem = std::to_string(p.out_n - static_cast<long>(p.out.size())) + " of " +
                  std::to_string(p.out_n) + " report lines missing";
    else if (a.run.out.size() != p.bytes || hex64(fnv1a64(a.run.out)) != p.fnv)
      a.problem = "the report does not match its checksum";
  }
  return answers;
}

}  // namespace gpuenv::fleet
