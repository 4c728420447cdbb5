// Executors: what turns queued jobs into grades. `local` keeps N `tt-arena worker` processes
// running on this machine (each pinned to its own CPUs, restarted when one dies); `slurm` submits
// each job with sbatch and collects its run folder from the shared filesystem (executor_slurm.cpp).
// Not the queue (queue.hpp) and not the grading (tt-grade).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tt/arena/db.hpp"
#include "tt/arena/worker.hpp"

namespace tt::arena {

class Executor {
 public:
  virtual ~Executor() = default;
  virtual void start() = 0;
  virtual void stop() = 0;  // stops dispatching; running grades end with the server
};

struct LocalSettings {
  int workers = 1;
  std::filesystem::path exe;  // tt-arena itself (its `worker` subcommand)
  std::filesystem::path config_file;
};

// N worker processes; worker k is pinned to CPUs [k·C/N, (k+1)·C/N) of the C this server may use.
std::unique_ptr<Executor> make_local_executor(const WorkerConfig& cfg, const LocalSettings& s);

struct SlurmSettings {
  std::string partition = "arena";
  int time_limit_minutes = 30;
  int max_in_flight = 16;  // jobs submitted to Slurm at once
  bool exclusive = true;   // a whole node per grade: nothing else runs beside a timing
  std::string sbatch = "sbatch", squeue = "squeue", scancel = "scancel";
  std::vector<std::string> extra_args;  // more sbatch options (e.g. --constraint=zen5)
};
std::unique_ptr<Executor> make_slurm_executor(Db& db, const WorkerConfig& cfg, const SlurmSettings& s);

// The CPUs this process may run on, as a list.
std::vector<int> allowed_cpus();
// "a-b" or "a,b,…" for worker k of n over the allowed CPUs.
std::string cpus_for_worker(int k, int n);

}  // namespace tt::arena
