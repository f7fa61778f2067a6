#include "platform/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace gpuenv::platform {

namespace {

bool is_executable_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

std::vector<std::string> build_env(const std::map<std::string, std::optional<std::string>>& overrides) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    std::string key = kv.substr(0, eq);
    if (overrides.count(key)) continue;
    out.push_back(std::move(kv));
  }
  for (auto& [k, v] : overrides)
    if (v) out.push_back(k + "=" + *v);
  return out;
}

}  // namespace

std::optional<std::string> find_program(const std::string& name, const std::string& path_var) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos)
    return is_executable_file(name) ? std::optional(name) : std::nullopt;
  std::size_t i = 0;
  while (i <= path_var.size()) {
    auto j = path_var.find(':', i);
    if (j == std::string::npos) j = path_var.size();
    std::string dir = path_var.substr(i, j - i);
    i = j + 1;
    // An empty or relative entry would mean the current directory: an admin running gpuenv as root
    // from a user's directory must not start a program planted there.
    if (dir.empty() || dir[0] != '/') continue;
    std::string cand = dir + "/" + name;
    if (is_executable_file(cand)) return cand;
  }
  return std::nullopt;
}

std::string shell_quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                            "-_./=:,+@%") == std::string::npos)
    return arg;
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string quote_argv(const std::vector<std::string>& argv) {
  std::string out;
  for (auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += shell_quote(a);
  }
  return out;
}

CommandResult DryRunCommandRunner::run(const Command& cmd) {
  commands.push_back(cmd);
  CommandResult r;
  r.status = CommandResult::Status::exited;
  r.exit_code = 0;
  return r;
}

CommandResult RealCommandRunner::run(const Command& cmd) {
  CommandResult r;
  auto start = std::chrono::steady_clock::now();
  if (cmd.argv.empty()) {
    r.status = CommandResult::Status::spawn_failed;
    r.error = "empty command";
    return r;
  }
  const char* path_env = ::getenv("PATH");
  auto it = cmd.env.find("PATH");
  std::string path_var =
      (it != cmd.env.end() && it->second) ? *it->second : (path_env ? path_env : "/usr/bin:/bin");
  auto exe = find_program(cmd.argv[0], path_var);
  if (!exe) {
    r.status = CommandResult::Status::not_found;
    r.error = cmd.argv[0] + ": not found";
    return r;
  }

  int out_pipe[2], err_pipe[2], in_pipe[2] = {-1, -1};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return r;
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return r;
  }
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    return r;
  }

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  if (cmd.cwd) posix_spawn_file_actions_addchdir_np(&fa, cmd.cwd->c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t empty, def;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attr, &empty);
  sigemptyset(&def);
  sigaddset(&def, SIGPIPE);
  sigaddset(&def, SIGINT);
  sigaddset(&def, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &def);

  std::vector<std::string> args = cmd.argv;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto envs = build_env(cmd.env);
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, exe->c_str(), &fa, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ::close(in_pipe[0]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    ::close(in_pipe[1]);
    r.status = CommandResult::Status::spawn_failed;
    r.error = *exe + ": " + std::strerror(rc);
    return r;
  }

  // Feed stdin (small inputs only: scripts), then close it.
  if (cmd.stdin_data) {
    const std::string& s = *cmd.stdin_data;
    std::size_t off = 0;
    sighandler_t old = ::signal(SIGPIPE, SIG_IGN);
    while (off < s.size()) {
      ssize_t n = ::write(in_pipe[1], s.data() + off, s.size() - off);
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      off += static_cast<std::size_t>(n);
    }
    ::signal(SIGPIPE, old);
  }
  ::close(in_pipe[1]);

  auto deadline = start + cmd.timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  bool timed_out = false;
  char buf[65536];
  auto cancelled = [&cmd] { return cmd.cancel && cmd.cancel->load(); };
  while (open_fds > 0) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      timed_out = true;
      break;
    }
    if (cancelled()) {
      r.cancelled = true;
      break;
    }
    int wait_ms =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count());
    int n = ::poll(fds, 2, std::min(wait_ms, cmd.cancel ? 100 : 1000));
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      std::string& dst = i == 0 ? r.out : r.err;
      std::string_view chunk(buf, static_cast<std::size_t>(got));
      if (cmd.on_output) cmd.on_output(i == 1, chunk);
      if (dst.size() < cmd.output_cap) {
        dst.append(chunk.substr(0, cmd.output_cap - dst.size()));
        if (dst.size() == cmd.output_cap) r.truncated = true;
      } else {
        r.truncated = true;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);

  int status = 0;
  if (timed_out || r.cancelled) {
    ::kill(-pid, SIGTERM);
    for (int i = 0; i < 20; ++i) {
      if (::waitpid(pid, &status, WNOHANG) == pid) goto reaped;
      ::usleep(50000);
    }
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  reaped:
    // The child is gone, but what it started in its group may ignore SIGTERM and hold on: kill the rest.
    ::kill(-pid, SIGKILL);
    if (timed_out) {
      r.status = CommandResult::Status::timed_out;
    } else {
      r.status = CommandResult::Status::signaled;
      r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : SIGTERM;
    }
  } else {
    // Output closed; wait for the exit, still bounded by the deadline.
    for (;;) {
      pid_t w = ::waitpid(pid, &status, WNOHANG);
      if (w == pid) break;
      if (w < 0 && errno != EINTR) break;
      if (std::chrono::steady_clock::now() >= deadline || cancelled()) {
        bool late = std::chrono::steady_clock::now() >= deadline;
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        timed_out = late;
        r.cancelled = !late;
        break;
      }
      ::usleep(2000);
    }
    if (timed_out)
      r.status = CommandResult::Status::timed_out;
    else if (WIFEXITED(status)) {
      r.status = CommandResult::Status::exited;
      r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      r.status = CommandResult::Status::signaled;
      r.signal = WTERMSIG(status);
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace gpuenv::platform
