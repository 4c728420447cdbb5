// Runs one child process with resource limits, a wall-clock timeout and a cap on its output.
// Not a sandbox by itself: sandbox.hpp wraps the command line in bubblewrap first.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tt::grade {

struct Limits {
  double wall_seconds = 10;                    // killed (SIGKILL, whole process group) after this
  long cpu_seconds = 0;                        // RLIMIT_CPU; 0 = none
  std::size_t address_space = 0;               // RLIMIT_AS in bytes; 0 = none
  std::size_t file_size = 0;                   // RLIMIT_FSIZE in bytes; 0 = none
  long processes = 0;                          // RLIMIT_NPROC; 0 = none (not enforced for root)
  std::size_t output_keep = 64 * 1024;         // bytes of stdout+stderr kept for the report
  std::size_t output_kill = 16 * 1024 * 1024;  // killed once it has written this much; 0 = never
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
  std::string cwd;               // empty = inherit
  std::vector<std::string> env;  // "K=V" entries added to the inherited environment
  int fd3 = -1;                  // an open file handed to the child as its fd 3 (e.g. bwrap --args 3)
};

// Runs argv[0] (searched in PATH) with argv. The child dies with the calling thread
// (PR_SET_PDEATHSIG), leads its own process group, and the whole group is killed on timeout.
ProcessResult run_process(const std::vector<std::string>& argv, const Limits& limits, const SpawnOptions& spawn = {});

// True when a program's output says an allocation failed (std::bad_alloc, "out of memory", …).
bool mentions_out_of_memory(const std::string& output);

// "SIGSEGV", "SIGKILL", … (or "signal N").
std::string signal_name(int sig);

// The tail-trimmed output of a command, for messages: at most max_lines lines.
std::string first_lines(const std::string& text, std::size_t max_lines);

}  // namespace tt::grade
