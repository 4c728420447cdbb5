// fork/exec with setrlimit, a process group for clean kills, a poll loop for timeout and output.
// Not portable beyond Linux/POSIX, which is all the grader runs on.
#include "tt/grade/process.hpp"

#include <chrono>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tt::grade {
namespace {

void set_limit(int resource, rlim_t value) {
  if (value == 0) return;
  rlimit rl{value, value};
  setrlimit(resource, &rl);
}

double seconds_of(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; }

}  // namespace

bool mentions_out_of_memory(const std::string& out) {
  for (const char* s :
       {"out of memory", "virtual memory exhausted", "std::bad_alloc", "Cannot allocate memory", "memory exhausted"})
    if (out.find(s) != std::string::npos) return true;
  return false;
}

std::string signal_name(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGABRT:
      return "SIGABRT";
    case SIGKILL:
      return "SIGKILL";
    case SIGFPE:
      return "SIGFPE";
    case SIGBUS:
      return "SIGBUS";
    case SIGILL:
      return "SIGILL";
    case SIGTERM:
      return "SIGTERM";
    case SIGXCPU:
      return "SIGXCPU (CPU time limit)";
    case SIGXFSZ:
      return "SIGXFSZ (file size limit)";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGTRAP:
      return "SIGTRAP";
    default:
      return "signal " + std::to_string(sig);
  }
}

std::string first_lines(const std::string& text, std::size_t max_lines) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < max_lines; ++i) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos) return text;
    ++pos;
  }
  return text.substr(0, pos) + "[… trimmed]\n";
}

ProcessResult run_process(const std::vector<std::string>& argv, const Limits& limits, const SpawnOptions& spawn) {
  ProcessResult r;
  if (argv.empty()) {
    r.error = "empty command";
    return r;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  // Everything the child needs is prepared before fork (no allocation after it).
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_copy = spawn.env;
  const pid_t parent = getpid();

  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    r.error = std::string("fork: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return r;
  }
  if (pid == 0) {
    // Dies with the thread that started it: a killed grader leaves nothing running.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    setpgid(0, 0);
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    if (spawn.fd3 >= 0) {
      if (spawn.fd3 == 3)
        fcntl(3, F_SETFD, 0);  // dup2 onto itself would keep close-on-exec
      else
        dup2(spawn.fd3, 3);
    }
    if (!spawn.cwd.empty() && chdir(spawn.cwd.c_str()) != 0) _exit(127);
    for (auto& e : env_copy) putenv(e.data());
    set_limit(RLIMIT_CPU, static_cast<rlim_t>(limits.cpu_seconds));
    set_limit(RLIMIT_AS, limits.address_space);
    set_limit(RLIMIT_FSIZE, limits.file_size);
    set_limit(RLIMIT_NPROC, static_cast<rlim_t>(limits.processes));
    rlimit core{0, 0};
    setrlimit(RLIMIT_CORE, &core);
    execvp(args[0], args.data());
    const char msg[] = "tt-grade: cannot execute the command\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(127);
  }
  setpgid(pid, pid);
  close(fds[1]);
  r.started = true;

  const auto deadline = t0 + std::chrono::duration<double>(limits.wall_seconds);
  bool killed = false;
  auto kill_all = [&] {
    if (!killed) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      killed = true;
    }
  };
  char buf[65536];
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      r.timed_out = true;
      kill_all();
      break;
    }
    const int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
    pollfd p{fds[0], POLLIN, 0};
    const int n = poll(&p, 1, ms);
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    const ssize_t got = read(fds[0], buf, sizeof buf);
    if (got <= 0) break;  // every writer closed its end: the process (tree) is done writing
    r.output_bytes += static_cast<std::size_t>(got);
    if (r.output.size() < limits.output_keep)
      r.output.append(buf, std::min(static_cast<std::size_t>(got), limits.output_keep - r.output.size()));
    if (limits.output_kill && r.output_bytes > limits.output_kill) {
      r.output_limit = true;
      kill_all();
      break;
    }
  }
  // The pipe can close before the process exits (it closed its stdout); keep the deadline.
  int status = 0;
  rusage ru{};
  while (true) {
    const pid_t w = wait4(pid, &status, WNOHANG, &ru);
    if (w == pid || w < 0) break;
    if (!killed && std::chrono::steady_clock::now() >= deadline) {
      r.timed_out = true;
      kill_all();
    }
    usleep(2000);
  }
  if (killed) kill(-pid, SIGKILL);  // anything left in the group
  close(fds[0]);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_seconds = seconds_of(ru.ru_utime) + seconds_of(ru.ru_stime);
  r.max_rss_bytes = static_cast<std::size_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (r.output_bytes > r.output.size())
    r.output += "\n[… output trimmed: " + std::to_string(r.output_bytes) + " bytes in total]\n";
  return r;
}

}  // namespace tt::grade
