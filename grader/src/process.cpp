// fork/exec with setrlimit and affinity, a process group for clean kills, a reader thread for the
// output, wait4 for the exit status and resource use.
// Not portable beyond Linux/POSIX, which is all the grader runs on.
#include "tt/grade/process.hpp"

#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
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

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Every process below `root` (and root), from each thread's list of children in /proc: a few
// small reads for a sandboxed program, so it can be asked at every clock reading (a process the
// program forks to work in is counted from then on).
std::vector<pid_t> process_tree(pid_t root) {
  std::vector<pid_t> tree{root};
  std::error_code ec;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const std::filesystem::path tasks = "/proc/" + std::to_string(tree[i]) + "/task";
    for (const auto& t : std::filesystem::directory_iterator(tasks, ec)) {
      std::ifstream in(t.path() / "children");
      for (long c; in >> c;) tree.push_back(static_cast<pid_t>(c));
    }
  }
  return tree;
}

// The same from the parent links of every process (slow, for a kernel without the children lists).
std::vector<pid_t> process_tree_by_scan(pid_t root) {
  std::multimap<pid_t, pid_t> children;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "stat");
    std::string stat;
    std::getline(in, stat);
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2)
      children.emplace(ppid, static_cast<pid_t>(std::stol(name)));
  }
  std::vector<pid_t> tree{root};
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const auto [b, e] = children.equal_range(tree[i]);
    for (auto it = b; it != e; ++it) tree.push_back(it->second);
  }
  return tree;
}

// The tree of `root` by the fastest way this kernel offers.
std::vector<pid_t> descendants(pid_t root) {
  static const bool children_lists =
      std::filesystem::exists("/proc/self/task/" + std::to_string(getpid()) + "/children");
  return children_lists ? process_tree(root) : process_tree_by_scan(root);
}

// /proc/PID/task/TID of every thread of every process in the tree of `root`.
std::vector<std::filesystem::path> tree_threads(pid_t root) {
  std::vector<std::filesystem::path> threads;
  std::error_code ec;
  for (const pid_t p : descendants(root))
    for (const auto& t : std::filesystem::directory_iterator("/proc/" + std::to_string(p) + "/task", ec))
      threads.push_back(t.path());
  return threads;
}

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

Child::Child(const std::vector<std::string>& argv, const Limits& limits, const SpawnOptions& spawn) : limits_(limits) {
  if (argv.empty()) {
    result_.error = "empty command";
    return;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    result_.error = std::string("pipe: ") + std::strerror(errno);
    return;
  }
  // Everything the child needs is prepared before fork (no allocation after it).
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_copy = spawn.env;
  const pid_t parent = getpid();
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (spawn.cpu >= 0) CPU_SET(spawn.cpu, &cpus);

  start_ = now();
  pid_ = fork();
  if (pid_ < 0) {
    result_.error = std::string("fork: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (pid_ == 0) {
    // Dies with the thread that started it: a killed grader leaves nothing running.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    setpgid(0, 0);
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    // Two passes, so that moving one file onto a number cannot close another before it moved.
    std::vector<int> moved;
    for (const auto& [from, to] : spawn.fds) moved.push_back(fcntl(from, F_DUPFD_CLOEXEC, 100));
    for (std::size_t i = 0; i < moved.size(); ++i) dup2(moved[i], spawn.fds[i].second);
    if (!spawn.cwd.empty() && chdir(spawn.cwd.c_str()) != 0) _exit(127);
    for (auto& e : env_copy) putenv(e.data());
    if (spawn.cpu >= 0) sched_setaffinity(0, sizeof cpus, &cpus);
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
  setpgid(pid_, pid_);
  close(fds[1]);
  result_.started = true;
  reader_ = std::thread([this, fd = fds[0]] { drain(fd); });
}

void Child::drain(int fd) {
  char buf[65536];
  while (!stop_) {
    pollfd p{fd, POLLIN, 0};
    const int n = poll(&p, 1, 50);
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    const ssize_t got = read(fd, buf, sizeof buf);
    if (got <= 0) break;  // every writer closed its end
    std::lock_guard<std::mutex> lock(mu_);
    result_.output_bytes += static_cast<std::size_t>(got);
    if (result_.output.size() < limits_.output_keep)
      result_.output.append(buf, std::min(static_cast<std::size_t>(got), limits_.output_keep - result_.output.size()));
    if (limits_.output_kill && result_.output_bytes > limits_.output_kill && !result_.output_limit) {
      result_.output_limit = true;
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
    }
  }
  close(fd);
  reader_done_ = true;
}

void Child::kill() {
  if (pid_ > 0 && !waited_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
  }
}

std::string Child::output() const {
  std::lock_guard<std::mutex> lock(mu_);
  return result_.output;
}

double Child::tree_cpu_seconds() const {
  if (pid_ <= 0 || waited_) return 0;
  double total = 0;
  for (const pid_t p : descendants(pid_)) {
    clockid_t clock;
    timespec ts{};
    if (clock_getcpuclockid(p, &clock) == 0 && clock_gettime(clock, &ts) == 0)
      total += static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  return total;
}

bool Child::tree_running() const {
  if (pid_ <= 0 || waited_) return false;
  for (const auto& t : tree_threads(pid_)) {
    std::ifstream in(t / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto comm_end = stat.rfind(')');  // the name may hold spaces and parentheses
    if (comm_end != std::string::npos && comm_end + 2 < stat.size() && stat[comm_end + 2] == 'R') return true;
  }
  return false;
}

std::pair<std::size_t, std::size_t> Child::tree_memory() const {
  std::pair<std::size_t, std::size_t> best{0, 0};
  if (pid_ <= 0 || waited_) return best;
  for (const pid_t p : descendants(pid_)) {
    std::ifstream in("/proc/" + std::to_string(p) + "/status");
    std::size_t rss = 0, hwm = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("VmRSS:", 0) == 0) rss = std::stoull(line.substr(6)) * 1024;  // kB
      if (line.rfind("VmHWM:", 0) == 0) hwm = std::stoull(line.substr(6)) * 1024;
    }
    if (rss > best.first) best = {rss, hwm};
  }
  return best;
}

void Child::reset_tree_peak() const {
  if (pid_ <= 0 || waited_) return;
  for (const pid_t p : descendants(pid_)) std::ofstream("/proc/" + std::to_string(p) + "/clear_refs") << "5";
}

void Child::pin_tree(int cpu) const {
  if (pid_ <= 0 || waited_ || cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  for (const auto& t : tree_threads(pid_))
    sched_setaffinity(static_cast<pid_t>(std::stol(t.filename().string())), sizeof set, &set);
}

ProcessResult Child::wait(double deadline_seconds) {
  if (!result_.started || waited_) return result_;
  int status = 0;
  rusage ru{};
  while (true) {
    const pid_t w = wait4(pid_, &status, WNOHANG, &ru);
    if (w == pid_ || w < 0) break;
    if (!result_.timed_out && now() - start_ >= deadline_seconds) {
      result_.timed_out = true;
      kill();
    }
    usleep(2000);
  }
  ::kill(-pid_, SIGKILL);  // anything left in its group
  waited_ = true;
  // Output written before the exit may still be in the pipe: the reader ends at end of file, or
  // after a second when something outside the group still holds the pipe open.
  for (const double until = now() + 1.0; !reader_done_ && now() < until;) usleep(2000);
  stop_ = true;
  if (reader_.joinable()) reader_.join();
  ProcessResult r;
  {
    std::lock_guard<std::mutex> lock(mu_);
    r = result_;
  }
  r.seconds = now() - start_;
  r.cpu_seconds = seconds_of(ru.ru_utime) + seconds_of(ru.ru_stime);
  r.max_rss_bytes = static_cast<std::size_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (r.output_bytes > r.output.size())
    r.output += "\n[… output trimmed: " + std::to_string(r.output_bytes) + " bytes in total]\n";
  return r;
}

ProcessResult Child::wait_from_now(double seconds) { return wait(now() - start_ + seconds); }

Child::~Child() {
  if (result_.started && !waited_) {
    kill();
    wait(0);
  }
  stop_ = true;
  if (reader_.joinable()) reader_.join();
}

ProcessResult run_process(const std::vector<std::string>& argv, const Limits& limits, const SpawnOptions& spawn) {
  Child c(argv, limits, spawn);
  return c.wait(limits.wall_seconds);
}

}  // namespace tt::grade
