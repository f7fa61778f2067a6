#include "fleet/redact.hpp"

#include <algorithm>

#include "fleet/hostlist.hpp"

namespace gpuenv::fleet {

namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/// Replaces `from` where it stands as a whole word (host names inside longer names stay).
std::string replace_word(std::string_view text, const std::string& from, const std::string& to) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto hit = text.find(from, pos);
    if (hit == std::string_view::npos || from.empty()) break;
    bool start_ok = hit == 0 || !word_char(text[hit - 1]);
    std::size_t end = hit + from.size();
    bool end_ok = end == text.size() || !word_char(text[end]);
    out.append(text.substr(pos, hit - pos));
    out += (start_ok && end_ok) ? to : from;
    pos = end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace

std::string FleetRedaction::apply(std::string_view text) const {
  // Longest names first: a fully qualified "n1.lab.example.org" goes whole before "n1" (a '.'
  // ends a word, so "n1" alone would leave ".lab.example.org" behind).
  std::vector<std::pair<std::string, std::string>> order(names.begin(), names.end());
  std::sort(order.begin(), order.end(), [](auto& a, auto& b) { return a.first.size() > b.first.size(); });
  std::string out(text);
  for (auto& [from, to] : order) out = replace_word(out, from, to);
  return users.apply(out);
}

FleetRedaction redact_rows(std::vector<NodeRow>& rows, std::vector<InputProblem>& skipped,
                           const std::vector<std::string>& extra_users) {
  std::vector<std::string> users = extra_users;
  for (auto& r : rows)
    if (r.report) users.insert(users.end(), r.report->users.begin(), r.report->users.end());
  std::vector<std::string> row_names;
  for (auto& r : rows) row_names.push_back(r.name);
  std::sort(row_names.begin(), row_names.end(), [](auto& a, auto& b) { return natural_less(a, b); });
  row_names.erase(std::unique(row_names.begin(), row_names.end()), row_names.end());
  std::size_t width = std::max<std::size_t>(2, std::to_string(row_names.size()).size());
  FleetRedaction red{{}, facts::Redactor(users, std::nullopt)};
  for (std::size_t i = 0; i < row_names.size(); ++i) {
    std::string n = std::to_string(i + 1);
    red.names[row_names[i]] = "node" + std::string(width - n.size(), '0') + n;
  }
  for (auto& r : rows) {
    if (r.report && r.report->host && !red.names.count(*r.report->host))
      red.names[*r.report->host] = red.names[r.name];
  }
  for (auto& r : rows) {
    std::string old = r.name;
    r.name = red.names[old];
    r.source = red.apply(r.source);
    if (r.report) {
      r.report->host = r.report->host ? std::optional<std::string>(r.name) : std::nullopt;
      r.report->users.clear();
    }
    if (r.reason)
      for (auto& [k, v] : r.reason->args) v = red.apply(v);
  }
  for (auto& p : skipped) {
    p.source = red.apply(p.source);
    for (auto& [k, v] : p.reason.args) v = red.apply(v);
  }
  return red;
}

}  // namespace gpuenv::fleet
