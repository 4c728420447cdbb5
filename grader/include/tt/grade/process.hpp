// Runs child processes with resource limits, a wall-clock timeout and a cap on their output:
// run_process for a command that runs to its end, Child for a program the grader talks to.
// Not a sandbox by itself: sandbox.hpp wraps the command line in bubblewrap first.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tt::grade {

struct Limits {
  double wall_seconds = 10;                      // killed (SIGKILL, whole process group) after this
  long cpu_seconds = 0;                          // RLIMIT_CPU; 0 = none
  std::size_t address_space = 0;                 // RLIMIT_AS in bytes; 0 = none
  std::size_t file_size = 0;                     // RLIMIT_FSIZE in bytes; 0 = none
  long processes = 0;                            // RLIMIT_NPROC; 0 = none (not enforced for root)
  std::size_t output_keep = 64 * 1024UL;         // bytes of stdout+stderr kept for the report
  std::size_t output_kill = 16UL * 1024 * 1024;  // killed once it has written this much; 0 = never
};

struct ProcessResult {
  bool started = false;  // false: fork/exec failed (see error)
  std::string error;
  int exit_code = -1;             // when it exited normally
  int signal = 0;                 // when a signal ended it (0 otherwise)
  bool timed_out = false;         // killed by the wall-clock timeout
  bool output_limit = false;      // killed for writing more than output_kill bytes
  std::string output;             // first output_keep bytes of stdout+stderr (merged)
  std::size_t output_bytes = 0;   // everything it wrote
  double seconds = 0;             // wall-clock
  double cpu_seconds = 0;         // user + system time of the process and its waited-for children
  std::size_t max_rss_bytes = 0;  // the largest resident set of the process or one of its children
};

// Extra settings of a child process.
struct SpawnOptions {
  std::string cwd;                       // empty = inherit
  std::vector<std::string> env;          // "K=V" entries added to the inherited environment
  std::vector<std::pair<int, int>> fds;  // (open file in the parent, its number in the child), e.g. {memfd, 3}
  int cpu = -1;                          // pinned to this CPU (sched_setaffinity); -1 = any
};

// A started child process whose stdout and stderr a thread collects (capped, killed past
// output_kill). The child dies with the thread that started it (PR_SET_PDEATHSIG) and leads its
// own process group; the destructor kills the group if it is still running.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const Limits& limits, const SpawnOptions& spawn = {});
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return result_.started; }
  pid_t pid() const { return pid_; }
  // Waits for the end until `deadline_seconds` after the start (then kills it); collects everything.
  ProcessResult wait(double deadline_seconds);
  // The same, at most `seconds` from now.
  ProcessResult wait_from_now(double seconds);
  // Kills the whole process group now.
  void kill();
  // The output so far (for messages while it runs).
  std::string output() const;
  // CPU seconds used so far by the child and every process below it (their CPU clocks).
  double tree_cpu_seconds() const;
  // Whether a thread of the child or of a process below it is running or ready to run
  // (/proc/PID/task/TID/stat state R): the tree has not gone back to waiting yet.
  bool tree_running() const;
  // {resident, peak resident} bytes of the largest process below the child (the program itself
  // when the child is its sandbox), from /proc/PID/status.
  std::pair<std::size_t, std::size_t> tree_memory() const;
  // The peak resident size of every process below the child restarts from their current size.
  void reset_tree_peak() const;
  // Every thread of every process below the child from now on runs on `cpu` only.
  void pin_tree(int cpu) const;

 private:
  void drain(int fd);
  pid_t pid_ = -1;
  Limits limits_;
  ProcessResult result_;
  double start_ = 0;
  bool waited_ = false;
  std::thread reader_;
  std::atomic<bool> stop_{false}, reader_done_{false};
  mutable std::mutex mu_;
};

// Runs argv[0] (searched in PATH) with argv to its end, within limits.wall_seconds.
ProcessResult run_process(const std::vector<std::string>& argv, const Limits& limits, const SpawnOptions& spawn = {});

// True when a program's output says an allocation failed (std::bad_alloc, "out of memory", …).
bool mentions_out_of_memory(const std::string& output);

// "SIGSEGV", "SIGKILL", … (or "signal N").
std::string signal_name(int sig);

// The tail-trimmed output of a command, for messages: at most max_lines lines.
std::string first_lines(const std::string& text, std::size_t max_lines);

}  // namespace tt::grade
