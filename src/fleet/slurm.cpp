#include "fleet/slurm.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "fleet/hostlist.hpp"

namespace gpuenv::fleet {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

template <class F>
void for_each_line(std::string_view text, F f) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    f(trim(text.substr(pos, nl - pos)));
    pos = nl + 1;
  }
}

}  // namespace

std::vector<SinfoNode> parse_sinfo(std::string_view out) {
  std::vector<SinfoNode> nodes;
  std::set<std::string> seen;
  for_each_line(out, [&](std::string_view line) {
    auto a = line.find('|');
    if (a == std::string_view::npos) return;
    auto b = line.find('|', a + 1);
    if (b == std::string_view::npos) return;
    std::string name(trim(line.substr(0, a)));
    if (name.empty() || !seen.insert(name).second) return;
    std::string reason(trim(line.substr(b + 1)));
    if (reason == "none" || reason == "(null)") reason.clear();
    nodes.push_back({name, std::string(trim(line.substr(a + 1, b - a - 1))), reason});
  });
  return nodes;
}

Availability classify_state(std::string_view state) {
  std::string s(state);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Suffixes (sinfo(1) "NODE STATE CODES"): * not responding, ~ powered off, # powering up,
  // ! pending power down, % powering down, $ maintenance reservation, @ pending reboot,
  // ^ reboot issued, - planned for a pending job, + more than one state.
  bool not_responding = false, powered_off = false, maintenance = false;
  while (!s.empty() && std::string_view("*~#!%$@^-+").find(s.back()) != std::string_view::npos) {
    char c = s.back();
    not_responding |= c == '*';
    powered_off |= c == '~' || c == '%' || c == '!';
    maintenance |= c == '$' || c == '@' || c == '^';
    s.pop_back();
  }
  if (not_responding || powered_off || maintenance) return Availability::unreachable;
  static const std::array<std::string_view, 5> usable{"idle", "mixed", "completing", "planned",
                                                      "powering_up"};
  static const std::array<std::string_view, 2> busy{"allocated", "reserved"};
  if (std::find(usable.begin(), usable.end(), s) != usable.end()) return Availability::usable;
  if (std::find(busy.begin(), busy.end(), s) != busy.end()) return Availability::busy;
  return Availability::unreachable;  // down, drained, draining, fail, failing, future, unknown, ...
}

SrunErrors parse_srun_errors(std::string_view err) {
  SrunErrors out;
  constexpr std::string_view kPrefix = "srun: error: ";
  for_each_line(err, [&](std::string_view line) {
    if (line.substr(0, kPrefix.size()) != kPrefix) return;
    std::string_view msg = line.substr(kPrefix.size());
    constexpr std::string_view kLaunch = " failed on node ";
    if (auto p = msg.find(kLaunch); p != std::string_view::npos && msg.substr(0, 12) == "Task launch ") {
      std::string_view rest = msg.substr(p + kLaunch.size());
      auto colon = rest.find(':');
      std::string node(trim(rest.substr(0, colon)));
      std::string why = colon == std::string_view::npos ? "" : std::string(trim(rest.substr(colon + 1)));
      if (!node.empty()) out.launch_failed.try_emplace(node, why);
      return;
    }
    // "n2: task 1: Exited with exit code 3"
    auto c1 = msg.find(": task ");
    if (c1 != std::string_view::npos && msg.substr(0, c1).find(' ') == std::string_view::npos) {
      out.task_failed.try_emplace(std::string(msg.substr(0, c1)), std::string(msg.substr(c1 + 2)));
      return;
    }
    out.general.emplace_back(msg);
  });
  return out;
}

std::vector<std::string> srun_argv(const SrunRequest& r) {
  std::string k = std::to_string(r.nodes.size());
  std::vector<std::string> argv{
      r.srun,          "--job-name=gpuenv-fleet", "--nodes=" + k,
      "--ntasks=" + k, "--ntasks-per-node=1",     "--nodelist=" + compress_hostlist(r.nodes)};
  if (r.partition) argv.push_back("--partition=" + *r.partition);
  argv.push_back("--time=" + std::to_string(std::max(1, r.time_limit_minutes)));
  if (r.immediate_seconds > 0) argv.push_back("--immediate=" + std::to_string(r.immediate_seconds));
  argv.push_back("--kill-on-bad-exit=0");
  argv.insert(argv.end(), r.extra.begin(), r.extra.end());
  argv.insert(argv.end(), r.command.begin(), r.command.end());
  return argv;
}

}  // namespace gpuenv::fleet
