// The local executor: N `tt-arena worker` child processes, each pinned to its share of the CPUs,
// dying with the server (PR_SET_PDEATHSIG) and restarted when one dies.
// Not the worker loop itself (worker.cpp).
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>

#include "tt/arena/executor.hpp"

namespace tt::arena {

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> out;
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    for (int i = 0; i < CPU_SETSIZE; ++i)
      if (CPU_ISSET(i, &set)) out.push_back(i);
  if (out.empty()) out.push_back(0);
  return out;
}

std::string cpus_for_worker(int k, int n) {
  const auto cpus = allowed_cpus();
  const int c = static_cast<int>(cpus.size());
  n = std::max(1, n);
  int a = k * c / n, b = (k + 1) * c / n;
  if (b <= a) {  // more workers than CPUs: share round-robin
    a = k % c;
    b = a + 1;
  }
  std::string out;
  for (int i = a; i < b; ++i) {
    if (!out.empty()) out += ',';  // append, not "," + string: GCC 12's false -Wrestrict (bug 105651)
    out += std::to_string(cpus[i]);
  }
  return out;
}

namespace {

class LocalExecutor final : public Executor {
 public:
  LocalExecutor(const WorkerConfig& cfg, const LocalSettings& s) : cfg_(cfg), s_(s), pids_(s.workers, -1) {}
  ~LocalExecutor() override { LocalExecutor::stop(); }

  void start() override {
    std::ofstream(s_.config_file) << worker_config_json(cfg_).dump(2) << "\n";
    thread_ = std::thread([this] { supervise(); });
  }

  void stop() override {
    if (stop_.exchange(true)) return;
    if (thread_.joinable()) thread_.join();
    for (pid_t p : pids_)
      if (p > 0) kill(p, SIGTERM);
    for (pid_t p : pids_)
      if (p > 0) waitpid(p, nullptr, 0);
  }

 private:
  pid_t spawn(int k) {
    const std::string id = "local-" + std::to_string(k), cpus = cpus_for_worker(k, s_.workers);
    const std::vector<std::string> args{s_.exe.string(), "worker", "--config", s_.config_file.string(),
                                        "--id",          id,       "--cpus",   cpus};
    std::vector<char*> argv;  // built before fork: the child may only exec
    argv.reserve(args.size() + 1);
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return pid;
  }

  void supervise() {
    for (int k = 0; k < s_.workers; ++k) pids_[k] = spawn(k);
    while (!stop_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      for (int k = 0; k < s_.workers && !stop_; ++k) {
        int status = 0;
        if (pids_[k] > 0 && waitpid(pids_[k], &status, WNOHANG) == pids_[k]) {
          std::cerr << "tt-arena: worker local-" << k << " ended ("
                    << (WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                            : "exit " + std::to_string(WEXITSTATUS(status)))
                    << "); restarting it (its job is requeued when its lease expires)\n";
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
          pids_[k] = spawn(k);
        }
      }
    }
  }

  WorkerConfig cfg_;
  LocalSettings s_;
  std::vector<pid_t> pids_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Executor> make_local_executor(const WorkerConfig& cfg, const LocalSettings& s) {
  return std::make_unique<LocalExecutor>(cfg, s);
}

}  // namespace tt::arena
